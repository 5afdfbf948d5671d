/**
 * `virsh hypervisor-cpu-baseline`: libvirt's baseline limited to what one hypervisor (its QEMU's
 * models and features) can run. On a compute node of the set it is the hypervisor's own answer;
 * elsewhere (say a TCG-only machine) it answers for that machine, so the advisor reports it beside
 * its own result instead of replacing it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runner } from '../hosts/runner';
import type { HostCpu } from '../knowledge/cpumap/types';
import { childrenNamed, firstChild, parseXml } from '../knowledge/cpumap/xmlTree';
import type { Domain } from './types';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;');

/** A host CPU as `virsh capabilities` prints it (what virsh's baseline commands read). */
export function hostCpuXml(cpu: HostCpu): string {
  return [
    '<cpu>',
    ...(cpu.arch ? [`  <arch>${esc(cpu.arch)}</arch>`] : []),
    `  <model>${esc(cpu.model)}</model>`,
    ...(cpu.vendor ? [`  <vendor>${esc(cpu.vendor)}</vendor>`] : []),
    ...cpu.features.map((f) => `  <feature name='${esc(f)}'/>`),
    '</cpu>',
    '',
  ].join('\n');
}

export interface CrossCheck {
  argv: string[];
  /** virsh's answer, or its error in its words. */
  result: { model: string; vendor?: string; require: string[]; disable: string[] } | { error: string };
  /** Same model, same listed features as the advisor's cpu-baseline. */
  sameAsBaseline: boolean;
}

export function parseVirshCpu(xml: string): { model: string; vendor?: string; require: string[]; disable: string[] } | string {
  const cpu = parseXml(xml);
  if (typeof cpu === 'string') return `unreadable output: ${cpu}`;
  const model = firstChild(cpu, 'model')?.text?.trim();
  if (!model) return 'no <model> in the output';
  const features = childrenNamed(cpu, 'feature');
  const names = (p: string) => features.filter((f) => (f.attrs.policy ?? 'require') === p).map((f) => f.attrs.name).sort();
  const vendor = firstChild(cpu, 'vendor')?.text?.trim();
  return { model, require: names('require'), disable: names('disable'), ...(vendor ? { vendor } : {}) };
}

export async function crossCheck(runner: Runner, cpus: readonly HostCpu[], fleet: Domain, opts: { uri: string; virtType?: string }): Promise<CrossCheck> {
  const dir = mkdtempSync(join(tmpdir(), 'nova-libvirt-cpu-advise-'));
  try {
    const file = join(dir, 'hosts.xml');
    writeFileSync(file, cpus.map(hostCpuXml).join(''), { mode: 0o600 });
    const argv = ['virsh', '-c', opts.uri, 'hypervisor-cpu-baseline', file, ...(opts.virtType ? ['--virttype', opts.virtType] : [])];
    const r = await runner.run(argv, { timeoutMs: 60_000 });
    const shown = argv.map((a) => (a === file ? 'HOSTS.xml' : a));
    if (r.error || r.code !== 0) return { argv: shown, result: { error: (r.error ?? r.stderr.toString('utf8').trim().replace(/^error: /, '')) || `exit status ${r.code}` }, sameAsBaseline: false };
    const got = parseVirshCpu(r.stdout.toString('utf8'));
    if (typeof got === 'string') return { argv: shown, result: { error: got }, sameAsBaseline: false };
    const b = fleet.baseline;
    const same = !('error' in b) && b.model === got.model && b.require.join() === got.require.join() && b.disable.join() === got.disable.join();
    return { argv: shown, result: got, sameAsBaseline: same };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
