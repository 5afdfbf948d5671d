// cpu_map catalog benchmarks: medians over many runs, each with a peer measured in the same run.
//   node --import tsx bench/cpumap.bench.ts
// Cold load runs the esbuild bundle (as dist/server.js ships it: cpu_map.json inlined) in fresh
// node processes; warm load and baseline run in this process.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { loadCpuCatalog, hostMapPath } from '../server/src/knowledge/cpumap/load';
import { hostSetFiles, hostSetText, loadHosts, readTsv } from '../test/unit/cpumap.support';
import { SHARED_DATA } from '../test/support/ops';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function time(runs: number, fn: () => void): number {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

const fmt = (ms: number) => `${ms < 1 ? ms.toFixed(3) : ms.toFixed(2)} ms`;
const rows: Array<[string, string, string]> = [];
const report = (what: string, ms: number, note = '') => {
  rows.push([what, fmt(ms), note]);
  console.log(`${what.padEnd(58)} ${fmt(ms).padStart(10)}  ${note}`);
};

async function coldLoad(runs: number): Promise<{ load: number; nodeBaseline: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'cpumap-bench-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, `
    const t0 = performance.now();
    const { loadCpuCatalog } = require(${JSON.stringify(join(__dirname, '..', 'server/src/knowledge/cpumap/load.ts'))});
    const c = loadCpuCatalog({ useHostMap: false, extraPaths: [] });
    c.model('Haswell');
    process.stdout.write(String(performance.now() - t0));
  `);
  const bundle = join(dir, 'entry.js');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'warning' });
  const empty = join(dir, 'empty.js');
  writeFileSync(empty, 'process.stdout.write("0")');
  const load: number[] = [];
  const spawnAll: number[] = [];
  const spawnEmpty: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    load.push(Number(execFileSync(process.execPath, [bundle], { encoding: 'utf8' })));
    spawnAll.push(performance.now() - t0);
    t0 = performance.now();
    execFileSync(process.execPath, [empty]);
    spawnEmpty.push(performance.now() - t0);
  }
  return { load: median(load), nodeBaseline: median(spawnAll) - median(spawnEmpty) };
}

function naiveParse(dir: string): number {
  const files = readdirSync(dir).filter((f) => f.endsWith('.xml'));
  const parser = new XMLParser({ ignoreAttributes: false });
  return time(20, () => {
    for (const f of files) parser.parse(readFileSync(join(dir, f), 'utf8'));
  });
}

function virshAvailable(): boolean {
  try {
    execFileSync('virsh', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const cold = await coldLoad(25);
  report('catalog load, cold (fresh node, esbuild bundle), median/25', cold.load, 'target < 30 ms');
  report('  same, wall time added to a bare node start', cold.nodeBaseline, 'process spawn difference');

  const warm = time(200, () => loadCpuCatalog({ useHostMap: false, extraPaths: [] }));
  report('catalog load, warm (module loaded), median/200', warm);
  const warmFirst = time(50, () => {
    const c = loadCpuCatalog({ useHostMap: false, extraPaths: [] });
    c.model('haswell');
    c.baseline([{ model: 'Haswell', vendor: 'Intel', features: [] }]);
  });
  report('  + first lookup and first baseline (lazy indexes)', warmFirst);

  const mapDir = [join(SHARED_DATA, 'cpu_map'), hostMapPath()].find((d) => d && existsSync(join(d, 'index.xml')));
  if (mapDir) {
    const n = readdirSync(mapDir).filter((f) => f.endsWith('.xml')).length;
    const naive = naiveParse(mapDir);
    report(`peer: naive fast-xml-parser of ${n} map files, median/20`, naive, `ours is ${(naive / warm).toFixed(1)}x faster (warm)`);
    const ourXml = time(20, () => loadCpuCatalog({ useHostMap: false, extraPaths: [mapDir], bundled: false }));
    report('  our own XML loader on the same directory (+ expansion)', ourXml);
  }

  // 10 Intel generations (set S056): 10 hosts.
  const fleet = readTsv('oracle-baseline.tsv').find((r) => Number(r.n_hosts) === 10)!;
  const catalog = loadCpuCatalog({ useHostMap: false, extraPaths: [] });
  const hosts = loadHosts(hostSetFiles(fleet.hosts));
  catalog.baseline(hosts);
  const ours = time(500, () => catalog.baseline(hosts));
  report(`baseline of 10 hosts (${fleet.set_id}, bundled 12.8 map), median/500`, ours, 'target < 5 ms');

  const hostMap = hostMapPath();
  if (virshAvailable() && hostMap) {
    const files = hostSetFiles(fleet.hosts, 'hosts-libvirt-9.0.0');
    const set = join(mkdtempSync(join(tmpdir(), 'cpumap-bench-')), 'set.xml');
    writeFileSync(set, hostSetText(files));
    const hostCatalog = loadCpuCatalog({ useHostMap: true, bundled: false, extraPaths: [] });
    const hosts9 = loadHosts(files);
    hostCatalog.baseline(hosts9);
    const ours9 = time(500, () => hostCatalog.baseline(hosts9));
    report('baseline of the same 10 hosts on the host map (9.0), median/500', ours9);
    const virsh = time(30, () => execFileSync('virsh', ['-c', 'test:///default', 'cpu-baseline', set, '--features']));
    report('peer: virsh -c test:///default cpu-baseline --features, median/30', virsh, `ours is ${(virsh / ours9).toFixed(0)}x faster (virsh includes its process start)`);
  } else {
    console.log('(virsh or the host map missing: no virsh peer)');
  }
}

void main();
