/**
 * Domain XML diagnostics speed: a typical ~200-line Nova domain and a 4,096-vCPU domain
 * with 4,096 vcpupins, against virt-xml-validate (libvirt's schema check, the cheapest thing
 * libvirt itself offers) on the same files. Prints medians and the ratio.
 *   node --import tsx bench/domainxml.bench.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../server/src/analyze';
import { getKnowledge } from '../server/src/knowledge/knowledge';
import { normalizeSettings } from '../server/src/core/settings';
import { bigDomain, typicalDomain } from './domainxml.inputs';

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

function time(fn: () => void, runs: number): number {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) { const t = performance.now(); fn(); out.push(performance.now() - t); }
  return median(out);
}

function virtXmlValidate(file: string, runs: number): number | undefined {
  try { execFileSync('virt-xml-validate', ['--version'], { stdio: 'ignore' }); } catch { return undefined; }
  return time(() => { try { execFileSync('virt-xml-validate', [file, 'domain'], { stdio: 'ignore' }); } catch { /* verdict irrelevant */ } }, runs);
}

const k = getKnowledge(normalizeSettings({ useHostCpuMap: false }));
const dir = mkdtempSync(join(tmpdir(), 'dx-bench-'));
try {
  for (const [name, text, budget] of [['typical (~200 lines)', typicalDomain(), 5], ['4,096 vCPUs + 4,096 vcpupins', bigDomain(4096), 50]] as const) {
    const file = join(dir, `${name.split(' ')[0]}.xml`);
    writeFileSync(file, text);
    for (let i = 0; i < 50; i++) analyze(file, text, k, 'xml'); // warm up the JIT
    const ours = time(() => analyze(file, text, k, 'xml'), 200);
    const findings = analyze(file, text, k, 'xml')!.findings;
    const theirs = virtXmlValidate(file, 15);
    const lines = text.split('\n').length;
    console.log(`${name}: ${lines} lines, ${findings.length} findings`);
    console.log(`  ours (parse + all rules), median of 200: ${ours.toFixed(3)} ms  (budget ${budget} ms: ${ours < budget ? 'ok' : 'OVER'})`);
    if (theirs === undefined) console.log('  virt-xml-validate: not installed');
    else console.log(`  virt-xml-validate, median of 15: ${theirs.toFixed(1)} ms  → ours is ${(theirs / ours).toFixed(0)}x faster`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
