/**
 * `nova-libvirt-cpu advise`: the migration advisor from the shell. Host CPUs come from files
 * (--host-cpu) or from each inventory host's virsh over the host runner (--inventory); the work
 * is advise/advisor.ts, the output advise/render.ts or the Advice JSON.
 */
import { execFileSync } from 'node:child_process';
import { LocalRunner } from '../hosts/localRunner';
import { decodeText, readRegularFile } from '../core/readFile';
import { MAX_CHECKED_BYTES } from '../core/inputChecks';
import { normalizeSettings } from '../core/settings';
import { getKnowledge } from '../knowledge/knowledge';
import { loadCpuCatalog, hostMapPath } from '../knowledge/cpumap/load';
import { BUNDLED_LIBVIRT_VERSION } from '../knowledge/cpumap/bundled';
import { BaselineError } from '../knowledge/cpumap/baseline';
import type { CpuCatalog } from '../knowledge/cpumap/types';
import { advise } from '../advise/advisor';
import { renderAdvice } from '../advise/render';
import { hostsFromText, HostFileError } from '../advise/hostFiles';
import { collectHosts, inventoryRunner } from '../advise/collect';
import { crossCheck } from '../advise/crossCheck';
import type { AdviseHost } from '../advise/types';
import { InventoryError, selectHosts } from '../inventory/ansibleInventory';
import { loadAnsibleInventory } from '../inventory/ansibleSource';
import type { Io } from './hostCommands';
import { parseStrict, textOrJson, UsageError } from './args';

export const ADVISE_USAGE = `Usage: nova-libvirt-cpu advise (--host-cpu FILE... | --inventory INV [--limit GROUP]) [options]

The richest guest CPU every host can run (libvirt's cpu-baseline), as [libvirt] cpu_mode = custom,
cpu_models and cpu_model_extra_flags; the hosts × candidate models table; what each host loses
against host-passthrough; a split into host aggregates by CPU generation when the common model is
poor (it loses AVX-512, or is --max-gap generations older than a host); the custom-model route.

  --host-cpu FILE        a host <cpu> as 'virsh capabilities' prints it (or the whole output, or
                         libvirt's cputestdata host file); repeat for each host
  --inventory INV        an Ansible inventory, read by 'ansible-inventory -i INV --list' (without
                         Ansible: an INI or YAML file, by us); each host's
                         CPU comes from its own virsh over OpenSSH (ansible_connection=local: here)
  --limit NAMES          inventory groups or hosts, comma-separated
  --ssh-config FILE      ssh client config for the inventory hosts (ssh -F; default ~/.ssh/config)
  --uri URI              libvirt URI on the hosts (default qemu:///system)
  --virt-type T          domcapabilities --virttype (kvm, qemu)
  --libvirt-version V    the hosts' libvirt: its cpu_map decides the models (12.8: the bundled map;
                         this machine's version: its /usr/share/libvirt map; others need --cpu-map)
  --cpu-map PATH         the hosts' cpu_map (a directory with index.xml, or a cpu_map.xml)
  --no-host-cpu-map      without --libvirt-version: ignore this machine's /usr/share/libvirt map
  --no-nested            do not add vmx/svm even when every host has it
  --max-gap N            generations a host may lose before a split is proposed (default 2)
  --cross-check          also run 'virsh hypervisor-cpu-baseline' here (--uri) on the same CPUs
  --format text|json     (default text); JSON has cpu_mode, cpu_models, cpu_model_extra_flags,
                         and per host its table row and nova.conf change
  -h, --help

Exit status: 0 advice given, 1 no CPU model runs on every host (see the split), 2 usage error or
unreadable file, 4 some inventory host could not be read (the advice covers the others).`;


const OPTIONS = {
  'host-cpu': { type: 'string', multiple: true }, inventory: { type: 'string' }, limit: { type: 'string' },
  'ssh-config': { type: 'string' }, uri: { type: 'string' }, 'virt-type': { type: 'string' }, 'libvirt-version': { type: 'string' }, 'cpu-map': { type: 'string' },
  'no-host-cpu-map': { type: 'boolean' }, 'no-nested': { type: 'boolean' }, 'max-gap': { type: 'string' },
  'cross-check': { type: 'boolean' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

function localLibvirtVersion(): string | undefined {
  try {
    return execFileSync('virsh', ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

const majorMinor = (v: string) => /^(\d+)\.(\d+)/.exec(v)?.slice(1, 3).join('.') ?? v;

/** The cpu_map the hosts' libvirt uses, as well as we can have it here. */
export function catalogFor(v: { 'libvirt-version'?: string; 'cpu-map'?: string; 'no-host-cpu-map'?: boolean }, local = localLibvirtVersion): { catalog: CpuCatalog; label: string } {
  const wanted = v['libvirt-version'];
  const extra = v['cpu-map'] ? [v['cpu-map']] : [];
  if (wanted === undefined) {
    const k = getKnowledge(normalizeSettings({ cpuMapPath: v['cpu-map'], useHostCpuMap: !v['no-host-cpu-map'] }));
    return { catalog: k.catalog, label: 'the bundled map' };
  }
  if (!/^\d+\.\d+/.test(wanted)) throw new UsageError(`--libvirt-version must look like 9.0 or 12.8, not '${wanted}'`);
  if (extra.length) return { catalog: loadCpuCatalog({ useHostMap: false, bundled: false, extraPaths: extra }), label: extra[0] };
  if (majorMinor(wanted) === majorMinor(BUNDLED_LIBVIRT_VERSION)) return { catalog: loadCpuCatalog({ useHostMap: false, extraPaths: [] }), label: `libvirt ${BUNDLED_LIBVIRT_VERSION}'s map (bundled)` };
  const here = local();
  const map = hostMapPath();
  if (here && map && majorMinor(here) === majorMinor(wanted)) return { catalog: loadCpuCatalog({ useHostMap: true, bundled: false, extraPaths: [] }), label: `${map} (libvirt ${here})` };
  throw new UsageError(`no cpu_map of libvirt ${wanted} here (bundled: ${BUNDLED_LIBVIRT_VERSION}; this machine: ${here ?? 'no virsh'}): pass the hosts' map with --cpu-map PATH`);
}

function readHostFiles(paths: readonly string[]): AdviseHost[] {
  return paths.flatMap((p) => {
    const read = readRegularFile(p, MAX_CHECKED_BYTES);
    if (!read.ok) throw new HostFileError(p, read.tooLarge !== undefined ? `larger than ${MAX_CHECKED_BYTES} bytes` : read.reason);
    return hostsFromText(p, decodeText(read.bytes));
  });
}

async function run(argv: string[], io: Io): Promise<number> {
  const v = parseStrict({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  if (v.help) { io.out(`${ADVISE_USAGE}\n`); return 0; }
  const format = textOrJson(v.format);
  const files = v['host-cpu'] ?? [];
  if (!files.length && !v.inventory) throw new UsageError('give --host-cpu FILE... or --inventory INV');
  if (files.length && v.inventory) throw new UsageError('--host-cpu and --inventory exclude each other');
  if (v.limit !== undefined && !v.inventory) throw new UsageError('--limit needs --inventory');
  const gap = v['max-gap'] === undefined ? undefined : Number(v['max-gap']);
  if (gap !== undefined && !(Number.isInteger(gap) && gap >= 1 && gap <= 50)) throw new UsageError(`--max-gap must be a whole number from 1 to 50, not '${v['max-gap']}'`);
  const uri = v.uri ?? 'qemu:///system';
  const { catalog, label } = catalogFor(v);
  for (const p of catalog.problems) io.err(`nova-libvirt-cpu: warning: cpu_map ${p.file}: ${p.message}\n`);

  let hosts: AdviseHost[];
  let notCollected: Array<{ name: string; reason: string }> = [];
  if (files.length) {
    hosts = readHostFiles(files);
  } else {
    const inv = (await loadAnsibleInventory(new LocalRunner(), v.inventory!)).inventory;
    const targets = selectHosts(inv, v.limit);
    io.err(`collecting the CPUs of ${targets.length} host(s) from ${v.inventory}${v.limit ? ` (--limit ${v.limit})` : ''}…\n`);
    const got = await collectHosts(targets, (h) => inventoryRunner(h, v['ssh-config']), { uri, ...(v['virt-type'] ? { virtType: v['virt-type'] } : {}) });
    hosts = got.hosts;
    notCollected = got.failed;
    for (const f of notCollected) io.err(`nova-libvirt-cpu: ${f.name}: not collected: ${f.reason}\n`);
    if (!hosts.length) { io.err('nova-libvirt-cpu: no host CPU could be read; nothing to advise\n'); return 4; }
  }
  const advice = advise(hosts, catalog, { nested: !v['no-nested'], ...(gap ? { maxGenerationGap: gap } : {}) });
  if (notCollected.length) advice.notCollected = notCollected;
  if (v['cross-check']) advice.crossCheck = await crossCheck(new LocalRunner(), hosts.map((h) => h.cpu), advice.fleet, { uri, ...(v['virt-type'] ? { virtType: v['virt-type'] } : {}) });
  if (format === 'json') io.out(`${JSON.stringify({ cpu_map: label, ...advice }, null, 2)}\n`);
  else {
    io.out(renderAdvice(advice));
    if (advice.crossCheck) {
      const c = advice.crossCheck;
      const r = 'error' in c.result ? `error: ${c.result.error}` : `${c.result.model}${c.result.disable.length ? `, -${c.result.disable.join(', -')}` : ''} (${c.result.require.length} feature(s) on top)`;
      io.out(`\nCross-check: ${c.argv.join(' ')}\n  ${r}\n  ${c.sameAsBaseline ? 'same as the cpu-baseline above' : "differs from the cpu-baseline above: hypervisor-cpu-baseline keeps only what this machine's hypervisor runs"}\n`);
    }
    io.err(`cpu_map: ${label}\n`);
  }
  if (notCollected.length) return 4;
  return advice.fleet.cpu_models.length ? 0 : 1;
}

export async function runAdvise(argv: string[], io: Io): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof UsageError) { io.err(`nova-libvirt-cpu: ${e.message}\n\n${ADVISE_USAGE}\n`); return 2; }
    if (e instanceof HostFileError) { io.err(`nova-libvirt-cpu: cannot read ${e.message}\n`); return 2; }
    if (e instanceof InventoryError) { io.err(`nova-libvirt-cpu: ${e.message}\n`); return 2; }
    if (e instanceof BaselineError) { io.err(`nova-libvirt-cpu: ${e.virshMessage} (the hosts' CPUs need the cpu_map of the libvirt that described them: see --libvirt-version, --cpu-map)\n`); return 1; }
    throw e;
  }
}
