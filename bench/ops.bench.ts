// Planner benchmarks: a CPU-mode change planned on the 10k-line files (Debian's packaged
// nova.conf + nova-compute.conf, Nova's 10,639-line sample), our diagnostics of the result
// included, and a domain <cpu> change; medians with a peer measured in the same run.
//   node --import tsx bench/ops.bench.ts
//
// Before/after one parse plus an incremental edit (this bench file run on both trees, alternately,
// 2 runs each, 2026-12-01, 2 cores at load average 20-22 from other jobs, so wall medians are mostly
// waiting for a core; CPU time is what the planner costs). Cold planNovaCpuMode, median:
//                          before (7f29e13: 3 full parses)   after (1 parse + spliceScan, indexOf LineIndex)
//   Debian set, CPU        13.0 / 12.4 ms                     3.7 / 4.2 ms   (3.2x less)
//   Debian set, wall       113 / 100 ms                       46 / 66 ms
//   Nova's sample, CPU     13.2 / 11.8 ms                     3.0 / 3.4 ms   (3.9x less)
//   Nova's sample, wall    130 / 84 ms                        27 / 60 ms
//   peer (naive ini), CPU  2.4-5.6 ms in both                 ours/naive CPU: 5.5x/3.3x before, 1.7-2.2x/0.55-0.63x after
// Earlier runs the same day at load ~10 (the previous bench, the sha256 of each fresh set timed
// with the plan): CPU 17.1-17.5 ms before, 3.6-5.2 ms after on the Debian set.
// Peer: the naive way, a full `ini` parse, a regex replace of the cpu_mode line and a parse of
// the result to check it (no positions, comments or set semantics: it shows what a bare
// parse-edit-parse costs). `crudini --set` is used too when installed (one process per change).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planDomainCpuMode } from '../server/src/ops/domainCpuPlan';
import { unifiedDiff } from '../server/src/ops/diff';
import { planNovaCpuMode } from '../server/src/ops/novaConfPlan';
import { findingsOfSet } from '../server/src/ops/validate';
import type { FileSnapshot } from '../server/src/ops/types';
import { knowledgeFor } from '../test/fixtures/novaconf/helpers';
import { DEBIAN_COMPUTE_KVM, DEBIAN_NOVA_CONF, NOVA_SAMPLE, read, snapshot } from '../test/support/ops';
import { typicalDomain } from './domainxml.inputs';
import { cpuRuns, fmt, median, percentile, timeRuns } from './support';


const ini = require('ini') as { parse(text: string): Record<string, unknown> };

const knowledge = knowledgeFor('zed');

const debian = [snapshot('/etc/nova/nova.conf', read(DEBIAN_NOVA_CONF)), snapshot('/etc/nova/nova-compute.conf', read(DEBIAN_COMPUTE_KVM))];
const sampleLive = read(NOVA_SAMPLE).replace('\n[libvirt]\n', '\n[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = Haswell-noTSX\ncpu_model_extra_flags = pcid\n');
const sample = [snapshot('/etc/nova/nova.conf', sampleLive)];

function naive(files: readonly FileSnapshot[]) {
  for (const f of files) ini.parse(f.text);
  const last = files[files.length - 1];
  const edited = /^cpu_mode\s*=.*$/m.test(last.text) ? last.text.replace(/^cpu_mode\s*=.*$/m, 'cpu_mode = host-passthrough') : last.text.replace(/^\[libvirt\]$/m, '[libvirt]\ncpu_mode = host-passthrough');
  ini.parse(edited);
}

/**
 * Warm: the same texts planned again (as in the editor, where the member parses are cached by
 * text). Cold: each run sees a nova.conf it has not parsed (a comment line differs), as the CLI
 * does once per invocation.
 */
function report(label: string, files: readonly FileSnapshot[]) {
  const lines = files.reduce((n, f) => n + f.text.split('\n').length - 1, 0);
  const change = { mode: 'host-passthrough' as const };
  const plan = planNovaCpuMode(files, change, knowledge);
  if (plan.refused || !plan.edits.length) throw new Error(`${label}: no plan: ${plan.refused}`);
  // Sets made before the clock starts (a text and its sha256, as the CLI has them when it plans),
  // each with a nova.conf no run has parsed. The marker goes first: novaconf/configSetMembers.ts
  // keys its cache by text, and V8 hashes a string longer than 16 KiB by its length alone, so
  // hundreds of cached same-length texts that differ only at the end make each lookup compare
  // them all (measured: ~47 ms per lookup).
  let n = 0;
  const made: FileSnapshot[][] = [];
  /** Enough fresh sets for one measurement (60 runs and 3 warm-ups). */
  const refill = () => {
    while (made.length < 63) {
      const text = `# run ${n++}\n${files[0].text}`;
      text.indexOf('\0'); // flattened now, not inside the measured run
      made.push([snapshot(files[0].path, text), ...files.slice(1)]);
    }
  };
  const fresh = () => { const f = made.pop(); if (!f) throw new Error('bench: out of fresh sets'); return f; };
  const warm = timeRuns(60, () => planNovaCpuMode(files, change, knowledge));
  refill();
  const cold = timeRuns(60, () => planNovaCpuMode(fresh(), change, knowledge));
  const warmCpu = median(cpuRuns(60, () => planNovaCpuMode(files, change, knowledge)));
  refill();
  const coldCpu = median(cpuRuns(60, () => planNovaCpuMode(fresh(), change, knowledge)));
  // Of which: our diagnostics of the result set (what refuses a bad plan), each member judged with the others.
  const result = files.map((f) => ({ path: f.path, text: plan.edits.find((e) => e.path === f.path)?.after ?? f.text }));
  const judging = timeRuns(60, () => findingsOfSet(result, knowledge, 'nova-conf'));
  const diff = timeRuns(60, () => unifiedDiff(plan.edits[0]));
  // Reference: our diagnostics of the same (fresh) set, what the language server does on open.
  refill();
  const diagCpu = median(cpuRuns(60, () => { const f = fresh(); findingsOfSet(f, knowledge, 'nova-conf'); }));
  refill();
  const peer = timeRuns(60, () => naive(fresh()));
  refill();
  const peerCpu = median(cpuRuns(60, () => naive(fresh())));
  console.log(`${label} (${lines} lines):\n` +
    `  planNovaCpuMode cold: median ${fmt(median(cold))} p99 ${fmt(percentile(cold, 99))}, CPU ${fmt(coldCpu)}; warm: median ${fmt(median(warm))}, CPU ${fmt(warmCpu)} (judging the result, warm: ${fmt(median(judging))})\n` +
    `  naive ini parse+replace+parse: median ${fmt(median(peer))}, CPU ${fmt(peerCpu)} -> ours/naive cold ${(median(cold) / median(peer)).toFixed(2)}x wall, ${(coldCpu / peerCpu).toFixed(2)}x CPU\n` +
    `  our diagnostics of the same set, cold: CPU ${fmt(diagCpu)} -> planning costs ${(coldCpu / diagCpu).toFixed(2)}x the diagnostics\n` +
    `  unifiedDiff of the edit: ${fmt(median(diff))}`);
  return median(cold);
}

const medians = [report("Debian's nova.conf + nova-compute.conf", debian), report("Nova's sample with a live [libvirt]", sample)];

const crudini = spawnSync('crudini', ['--version'], { encoding: 'utf8' });
if (crudini.status === 0) {
  const dir = mkdtempSync(join(tmpdir(), 'ops-bench-'));
  const f = join(dir, 'nova.conf');
  const runs = timeRuns(15, () => { writeFileSync(f, sampleLive); spawnSync('crudini', ['--set', f, 'libvirt', 'cpu_mode', 'host-passthrough']); }, 1);
  console.log(`crudini --set on the sample (a process per change): median ${fmt(median(runs))} -> ours/crudini = ${(medians[1] / median(runs)).toFixed(3)}x`);
  rmSync(dir, { recursive: true, force: true });
} else {
  console.log('crudini not installed: that peer is left out');
}

// A domain change: the ~200-line Nova-style domain of the domainxml bench, to host-passthrough.
// Peer: the same text re-parsed by fast-xml-parser (a bare parse, no edit).
const domain = typicalDomain();
const change = { mode: 'host-passthrough' as const, answers: { 'apply-to-nova-managed': true } };
const dplan = planDomainCpuMode(domain, change, knowledge);
if (dplan.refused || !dplan.edits.length) throw new Error(`domain: no plan: ${dplan.refused}`);
const dOurs = timeRuns(100, () => planDomainCpuMode(domain, change, knowledge));
const parser = new XMLParser({ ignoreAttributes: false });
const dPeer = timeRuns(100, () => parser.parse(domain));
const dOursCpu = median(cpuRuns(100, () => planDomainCpuMode(domain, change, knowledge)));
const dPeerCpu = median(cpuRuns(100, () => parser.parse(domain)));
console.log(`domain (${domain.split('\n').length} lines): planDomainCpuMode median ${fmt(median(dOurs))} p99 ${fmt(percentile(dOurs, 99))}; fast-xml-parser parse ${fmt(median(dPeer))} -> ours/parse = ${(median(dOurs) / median(dPeer)).toFixed(2)}x\n` +
  `  CPU time: ours median ${fmt(dOursCpu)}, parse ${fmt(dPeerCpu)} -> ${(dOursCpu / dPeerCpu).toFixed(2)}x`);
