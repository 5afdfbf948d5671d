// nova.conf benchmarks: diagnostics after a change on Nova's full sample nova.conf, and completion
// latency, with peers measured in the same run.
//   node --import tsx bench/novaconf.bench.ts
// Peers: the `ini` npm package parsing the same text (it keeps no positions and drops comments,
// so it could not drive diagnostics; it shows what a bare parse costs), and oslo.config's own
// parser in Debian's Python when python3-nova is installed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { LineIndex } from '../server/src/core/lineIndex';
import { ZedOptions } from '../server/src/knowledge/nova/zed';
import { novaConfService } from '../server/src/novaconf/service';
import { DEBIAN_PYTHON, knowledgeFor, novaOracleAvailable } from '../test/fixtures/novaconf/helpers';
import { fmt, median, percentile, timeRuns } from './support';

// `ini` ships no types; we only call parse().
const ini = require('ini') as { parse(text: string): Record<string, unknown> };

const SAMPLE = 'test/fixtures/novaconf/nova.conf.sample';
const sample = readFileSync(SAMPLE, 'utf8');
// The generator's sample has every option commented out; a real file has some set. Add a live
// [libvirt] block with mistakes, so every rule runs.
const live = sample.replace('\n[libvirt]\n', `\n[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = Skylake-Client, Haswell-noTSX, Cascadelake-Server\ncpu_model_extra_flags = +vmx, -pcid, md_clear\nnum_pcie_ports = 16\n`)
  .replace('\n[compute]\n', '\n[compute]\ncpu_shared_set = 0-3\ncpu_dedicated_set = 4-31,^8\n');
const knowledge = knowledgeFor('zed');

function diagnose(text: string) {
  const model = novaConfService.parse(text, new LineIndex(text), knowledge);
  return novaConfService.diagnose(model, knowledge);
}

// "After a change": each run sees a new text (one character differs), as the server does per version.
let n = 0;
const edited = () => live.replace('num_pcie_ports = 16', `num_pcie_ports = ${n++ % 28}`);
const ours = timeRuns(100, () => diagnose(edited()));
const peer = timeRuns(100, () => ini.parse(edited()));
console.log(`sample: ${sample.split('\n').length} lines, ${(live.length / 1024).toFixed(0)} KiB; ${diagnose(live).length} findings on the live variant`);
console.log(`diagnostics (parse + all rules)   median ${fmt(median(ours))}  p99 ${fmt(percentile(ours, 99))}`);
console.log(`ini.parse (no positions, peer)     median ${fmt(median(peer))}  -> ours/ini = ${(median(ours) / median(peer)).toFixed(2)}x`);

if (novaOracleAvailable()) {
  const py = `
import time, statistics
from oslo_config import cfg
xs = []
for i in range(30):
    t = time.perf_counter(); cfg.ConfigParser(${JSON.stringify(SAMPLE)}, {}).parse(); xs.append((time.perf_counter() - t) * 1000)
print(statistics.median(xs))`;
  const r = spawnSync(DEBIAN_PYTHON, ['-c', py], { encoding: 'utf8' });
  if (r.status === 0) {
    const osloMs = Number(r.stdout.trim());
    const oursSample = median(timeRuns(50, () => diagnose(sample)));
    console.log(`oslo.config ConfigParser (Python)  median ${fmt(osloMs)} on the plain sample; ours (parse + rules) ${fmt(oursSample)} -> ours/oslo = ${(oursSample / osloMs).toFixed(2)}x`);
  }
}

// Completion: keys, choices, CPU models (176) and flags, at the 99th percentile.
const model = novaConfService.parse(live, new LineIndex(live), knowledge);
const libvirtLine = live.split('\n').indexOf('[libvirt]');
const positions = [
  { line: libvirtLine + 1, character: 3 }, // key
  { line: libvirtLine + 2, character: 13 }, // cpu_mode value
  { line: libvirtLine + 3, character: 20 }, // cpu_models item
  { line: libvirtLine + 4, character: 27 }, // flags item
];
const completion = positions.flatMap((p) => timeRuns(500, () => novaConfService.complete!(model, p, knowledge), 20));
const hover = positions.flatMap((p) => timeRuns(200, () => novaConfService.hover!(model, p, knowledge), 20));
console.log(`completion  median ${fmt(median(completion))}  p99 ${fmt(percentile(completion, 99))} (${completion.length} requests)`);
console.log(`hover       median ${fmt(median(hover))}  p99 ${fmt(percentile(hover, 99))}`);

// Nova 26's option data for every group (server/data/nova-zed.json, bundled into dist/server.js):
// indexing it happens once per server, on first use. Peer: JSON.parse of the same bytes.
const zedText = readFileSync('server/data/nova-zed.json', 'utf8');
const zedGroups = (JSON.parse(zedText) as { groups: ConstructorParameters<typeof ZedOptions>[0] }).groups;
const index = median(timeRuns(50, () => new ZedOptions(zedGroups)));
const parse = median(timeRuns(50, () => JSON.parse(zedText)));
console.log(`Zed option data (${(zedText.length / 1024).toFixed(0)} KiB, ${new ZedOptions(zedGroups).groups().length} groups): index ${fmt(index)}, JSON.parse peer ${fmt(parse)} -> index/parse = ${(index / parse).toFixed(2)}x`);
