/**
 * nova-compute's other config-only start-up checks (rules.md §1 and §6): vTPM and file-backed
 * memory need kvm/qemu, file-backed memory needs its ratios right, live migration cannot be both
 * tunnelled and native TLS, rbd images need raw images, enforced multipath needs multipath, and
 * the compute manager's own: [compute] max_disk_devices_to_attach must not be 0.
 */
import type { Finding } from '../../core/findings';
import type { Code } from '../../codes';
import { novaMessages, WALLABY } from '../messages';
import type { Entry } from '../scan';
import { parseBool } from '../values';

const GAZPACHO = 33;
import type { Rule, RuleContext } from './context';

const isEmptyList = (v: unknown) => !Array.isArray(v) || v.length === 0;

function finding(ctx: RuleContext, code: Code, entry: Entry | undefined, upstream: string, explanation: string, severity: Finding['severity'] = 'error'): Finding {
  return { code, severity, range: entry ? ctx.entryRange(entry) : ctx.range(0, 0), stage: 'nova-compute start', upstream, explanation };
}

const startup: Rule = (ctx) => {
  const virt = ctx.get('libvirt', 'virt_type');
  const virtType = String(virt.value ?? 'kvm');
  const kvmQemu = virt.valid && (virtType === 'kvm' || virtType === 'qemu');

  const swtpm = ctx.get('libvirt', 'swtpm_enabled');
  if (swtpm.option && swtpm.value === true && !kvmQemu && virt.valid) {
    ctx.report(finding(ctx, 'nova/vtpm-needs-kvm-qemu', swtpm.entry, novaMessages.vtpmVirtType(virtType), `vTPM works only with virt_type kvm or qemu; nova-compute refuses to start with ${virtType}.`));
  }

  const fbm = ctx.get('libvirt', 'file_backed_memory');
  if (fbm.option && fbm.valid && typeof fbm.value === 'number' && fbm.value > 0) {
    if (!kvmQemu && virt.valid) {
      ctx.report(finding(ctx, 'nova/file-backed-memory-virt-type', fbm.entry, novaMessages.fileBackedVirtType(virtType), 'file_backed_memory works only with virt_type kvm or qemu.'));
    }
    const ratio = ctx.get('DEFAULT', 'ram_allocation_ratio');
    if (ratio.valid && ratio.value !== 1) {
      ctx.report(finding(ctx, 'nova/file-backed-memory-ratio', ratio.entry ?? fbm.entry, novaMessages.fileBackedRatio,
        'With file_backed_memory, [DEFAULT] ram_allocation_ratio must be set explicitly to 1.0 (unset counts as different).'));
    }
    const reserved = ctx.get('DEFAULT', 'reserved_host_memory_mb');
    if (reserved.valid && typeof reserved.value === 'number') {
      if (reserved.value >= fbm.value) {
        ctx.report(finding(ctx, 'nova/file-backed-memory-reserved', reserved.entry ?? fbm.entry, novaMessages.fileBackedReserved,
          `file_backed_memory (${fbm.value} MiB) must be larger than [DEFAULT] reserved_host_memory_mb (${reserved.value}${reserved.entry ? '' : ', the default'}).`));
      } else if (reserved.value !== 0) {
        ctx.report(finding(ctx, 'nova/file-backed-memory-reserved', reserved.entry ?? fbm.entry, novaMessages.fileBackedReservedWarning,
          `With file_backed_memory, set [DEFAULT] reserved_host_memory_mb = 0${reserved.entry ? '' : ' (the default is 512)'}.`, 'warning'));
      }
    }
  }

  const uidMaps = ctx.get('libvirt', 'uid_maps');
  const gidMaps = ctx.get('libvirt', 'gid_maps');
  if (virt.valid && virtType === 'lxc' && isEmptyList(uidMaps.value) && isEmptyList(gidMaps.value)) {
    ctx.report(finding(ctx, 'nova/lxc-without-user-namespaces', virt.entry, novaMessages.lxcWithoutUserns,
      'Set [libvirt] uid_maps and gid_maps (guest-id:host-id:count) so container root is not host root.', 'warning'));
  }

  const tbCache = ctx.get('libvirt', 'tb_cache_size');
  if (tbCache.entry && tbCache.valid && typeof tbCache.value === 'number' && tbCache.value > 0 && virt.valid && virtType !== 'qemu') {
    ctx.report({
      code: 'nova/option-unused-for-virt-type', severity: 'hint', range: ctx.entryRange(tbCache.entry), stage: 'advice', tags: ['unnecessary'],
      explanation: `tb_cache_size sizes QEMU's TCG translation cache; Nova applies it only with virt_type = qemu, so with ${virtType} it has no effect.`,
    });
  }

  const concurrent = ctx.get('DEFAULT', 'max_concurrent_live_migrations');
  if (ctx.major >= GAZPACHO && concurrent.entry && concurrent.valid && concurrent.value === 0) {
    ctx.report({
      code: 'nova/deprecated-value', severity: 'information', range: ctx.valueRange(concurrent.entry), stage: 'advice', tags: ['deprecated'],
      explanation: `max_concurrent_live_migrations = 0 ("unlimited") is deprecated since 2026.1 Gazpacho (33): it now means 1000 green threads, or 5 native threads. Set the number you want.`,
    });
  }

  const parallel = ctx.get('libvirt', 'live_migration_parallel_connections');
  const postCopy = ctx.get('libvirt', 'live_migration_permit_post_copy');
  if (parallel.entry && parallel.valid && typeof parallel.value === 'number' && parallel.value > 1 && postCopy.value === true && kvmQemu) {
    // Depends on the host's QEMU, which we cannot see: say what to check.
    ctx.report({
      code: 'nova/parallel-post-copy-needs-qemu', severity: 'information', range: ctx.entryRange(parallel.entry), stage: 'nova-compute start',
      upstream: novaMessages.parallelPostCopyQemu('10.1.0'),
      explanation: 'Parallel migration connections together with post-copy need QEMU 10.1.0 or newer on this host; with an older QEMU nova-compute refuses to start.',
    });
  }

  // ComputeManager.init_host, before the driver's (Wallaby on): 0 would allow no disk at all.
  const maxDisks = ctx.get('compute', 'max_disk_devices_to_attach');
  if (ctx.major >= WALLABY && maxDisks.entry && maxDisks.valid && maxDisks.value === 0) {
    ctx.report(finding(ctx, 'nova/max-disk-devices-zero', maxDisks.entry, novaMessages.maxDiskDevicesZero,
      'Not even the root disk could be attached, so nova-compute refuses to start. Use -1 for no limit, or a number of disks (at least 1).'));
  }

  const tunnelled = ctx.get('libvirt', 'live_migration_tunnelled');
  const tls = ctx.get('libvirt', 'live_migration_with_native_tls');
  if (tunnelled.option && tls.option && tunnelled.value === true && tls.value === true) {
    ctx.report(finding(ctx, 'nova/tunnelled-and-native-tls', tunnelled.entry, novaMessages.tunnelledAndTls, 'Choose one way to protect live-migration traffic: native TLS (preferred) or tunnelling; remove live_migration_tunnelled.'));
  }

  const images = ctx.get('libvirt', 'images_type');
  const forceRaw = ctx.get('DEFAULT', 'force_raw_images');
  if (images.valid && images.value === 'rbd' && forceRaw.entry && parseBool(String(forceRaw.value)) === false) {
    ctx.report(finding(ctx, 'nova/rbd-needs-raw-images', forceRaw.entry, novaMessages.rbdForceRaw, 'Ceph (rbd) image backends need raw images: set [DEFAULT] force_raw_images = True.'));
  }

  const enforce = ctx.get('libvirt', 'volume_enforce_multipath');
  const multipath = ctx.get('libvirt', 'volume_use_multipath');
  if (enforce.option && enforce.value === true && multipath.valid && multipath.value !== true) {
    ctx.report(finding(ctx, 'nova/enforce-multipath-needs-multipath', enforce.entry, novaMessages.enforceMultipath, 'Set volume_use_multipath = True too, or stop enforcing multipath.'));
  }
};

export const startupRules: Rule[] = [startup];
