/**
 * The setting `novaLibvirtCpu.novaConf.launch` (the CLI's --launch / --launch-arg): which launch
 * of nova-compute orders a config set (launchOrder.ts).
 * - `auto` (default): for /etc/nova, the launch found on this machine (a running nova-compute,
 *   else its systemd unit or init script: hosts/launch.ts), which is right on a compute node (a
 *   Remote-SSH or code-server workspace, the CLI there); for any other directory (a config
 *   repository), and when nothing is found, oslo.config's order without arguments.
 * - `no-arguments`: nova-compute started without arguments (RDO's openstack-nova-compute unit,
 *   kolla's nova_compute container): nova.conf, nova-compute.conf, then nova.conf.d/*.conf and
 *   nova-compute.conf.d/*.conf, so a fragment wins over the files.
 * - `debian`: Debian's init script (Ubuntu's packages share it), `--config-file` for nova.conf and
 *   nova-compute.conf: the fragments are read first, so both files win over them.
 * - an array: nova-compute's own arguments, e.g. `["--config-file", "/etc/nova/nova.conf",
 *   "--config-dir", "/etc/nova/nova.conf.d"]`.
 */
import { DEBIAN_INIT, NO_ARGUMENTS, NOVA_ETC, type Launch } from './launchOrder';

export const LAUNCH_NAMES = ['auto', 'no-arguments', 'debian'] as const;
export type LaunchSetting = (typeof LAUNCH_NAMES)[number] | readonly string[];

/** A loosely typed setting value as a LaunchSetting, or why it is not one. */
export function readLaunchSetting(raw: unknown): LaunchSetting | { error: string } {
  if (raw === undefined || raw === null) return 'auto';
  if (typeof raw === 'string' && (LAUNCH_NAMES as readonly string[]).includes(raw.trim())) return raw.trim() as LaunchSetting;
  if (Array.isArray(raw) && raw.every((a) => typeof a === 'string')) return [...raw];
  return { error: `novaConf.launch must be one of ${LAUNCH_NAMES.join(', ')} or an array of nova-compute's arguments, not ${JSON.stringify(raw)?.slice(0, 80)}` };
}

/** The launch that orders the set rooted at `root`; `detect` finds this machine's (asked only for /etc/nova under `auto`). */
export function launchFor(setting: LaunchSetting, root: string, detect: () => Launch | undefined): Launch {
  if (Array.isArray(setting)) return { args: setting, source: 'the setting novaConf.launch' };
  if (setting === 'debian') return DEBIAN_INIT;
  if (setting === 'no-arguments' || root !== NOVA_ETC) return NO_ARGUMENTS;
  return detect() ?? NO_ARGUMENTS;
}
