// The migration advisor over 1,000 hosts (the recorded host CPUs repeated), medians of repeated runs,
// with peers in the same run: libvirt's baseline alone over the same 1,000 CPUs (what the advisor
// builds on), and the advisor's parse of the 1,000 capabilities <cpu> texts.
//   node --import tsx bench/advise.bench.ts
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { loadCpuCatalog } from '../server/src/knowledge/cpumap/load';
import { advise } from '../server/src/advise/advisor';
import { hostsFromText } from '../server/src/advise/hostFiles';
import type { AdviseHost } from '../server/src/advise/types';
import { FIXTURES } from '../test/unit/cpumap.support';
import { fmt, median, timeRuns } from './support';

const N = 1000;
const RUNS = 30;
const catalog = loadCpuCatalog({ useHostMap: false, extraPaths: [] });
const dir = join(FIXTURES, 'hosts');
const files = readdirSync(dir).filter((f) => f.endsWith('.xml')).sort().map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
const recorded = files.flatMap((f) => hostsFromText(f.name, f.text));

function fleet(pool: AdviseHost[]): AdviseHost[] {
  return Array.from({ length: N }, (_, i) => ({ ...pool[i % pool.length], name: `compute-${String(i).padStart(4, '0')}` }));
}
const intel = fleet(recorded.filter((h) => h.cpu.vendor === 'Intel'));
const mixed = fleet(recorded);
const texts = Array.from({ length: N }, (_, i) => files[i % files.length]);

/**
 * Wall time and this process's CPU time per run, medians. The machine is shared (load average
 * printed below): CPU time is the work itself, wall time what a user waits on a loaded host.
 */
const rows: Array<[string, number, number]> = [];
const run = (what: string, fn: () => void) => {
  const cpu: number[] = [];
  const wall = timeRuns(RUNS, () => {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  });
  rows.push([what, median(wall), median(cpu.slice(-RUNS))]);
};

run(`advise: ${N} Intel hosts (48 CPUs repeated; split into aggregates)`, () => advise(intel, catalog));
run(`peer: libvirt baseline alone over the same ${N} CPUs`, () => catalog.baseline(intel.map((h) => h.cpu)));
run(`advise: ${N} hosts of all 61 CPUs (Intel, AMD, Hygon: split by vendor)`, () => advise(mixed, catalog));
run(`parse: ${N} host <cpu> texts (virsh capabilities form)`, () => { for (const t of texts) hostsFromText(t.name, t.text); });

const load = loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`advise bench, median of ${RUNS} runs; load average ${load}`);
console.log(`${''.padEnd(72)} ${'wall'.padStart(10)} ${'cpu'.padStart(10)}`);
for (const [what, wall, cpu] of rows) console.log(`${what.padEnd(72)} ${fmt(wall).padStart(10)} ${fmt(cpu).padStart(10)}`);
const [, aWall, a] = rows[0];
const [, peerWall, peer] = rows[1];
console.log(`advisor / baseline-alone ratio: wall ${(aWall / peerWall).toFixed(2)}, cpu ${(a / peer).toFixed(2)}`);
const advice = advise(intel, catalog);
console.log(`(Intel fleet: ${advice.split?.aggregates.length ?? 0} aggregates, candidates ${advice.candidates.length}, fleet model ${advice.cpu_models.join(',')})`);
if (a >= 100) { console.error(`advise over ${N} hosts took ${fmt(a)} of CPU: over the 100 ms budget`); process.exitCode = 1; }
