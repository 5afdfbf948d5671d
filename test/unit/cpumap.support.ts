// Shared by the cpumap tests and bench: fixture paths, the oracle TSVs, host sets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BaselineResult, HostCpu } from '../../server/src/knowledge/cpumap/types';
import { parseHostCpus } from '../../server/src/knowledge/cpumap/hostCpuXml';
import { BaselineError } from '../../server/src/knowledge/cpumap/baseline';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'cpumap');

export function readTsv(name: string): Array<Record<string, string>> {
  const [header, ...lines] = readFileSync(join(FIXTURES, name), 'utf8').trimEnd().split('\n');
  const cols = header.split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

/** The oracle's host paths are relative to host-cpus/ (`hosts/X.xml`, `domcaps/...`). */
export function hostSetFiles(hosts: string, dir: 'hosts' | 'hosts-libvirt-9.0.0' = 'hosts'): string[] {
  return hosts.split(',').map((h) => join(FIXTURES, h.replace(/^hosts\//, `${dir}/`)));
}

/** What `virsh cpu-baseline SET` reads: the files concatenated. */
export function hostSetText(files: string[]): string {
  return files.map((f) => readFileSync(f, 'utf8')).join('');
}

export function loadHosts(files: string[]): HostCpu[] {
  return parseHostCpus(hostSetText(files));
}

/** The oracle's notation: expanded features sorted by name, disabled ones as `-name`. */
export function oracleFeatures(b: BaselineResult): string {
  const all = [...b.expanded.map((n) => ({ n, s: n })), ...b.disable.map((n) => ({ n, s: `-${n}` }))];
  return all.sort((x, y) => (x.n < y.n ? -1 : x.n > y.n ? 1 : 0)).map((x) => x.s).join(',');
}

/** One line per outcome, comparable with the oracle columns: ok|model|vendor|features|fallback or the error. */
export function outcome(run: () => BaselineResult): string {
  try {
    const b = run();
    return `ok|${b.model}|${b.vendor ?? ''}|${oracleFeatures(b)}|${b.fallback}`;
  } catch (e) {
    if (e instanceof BaselineError) return `error: ${e.virshMessage}`;
    throw e;
  }
}
