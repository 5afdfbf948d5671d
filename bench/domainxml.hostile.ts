/**
 * One hostile input in a process of its own, so its peak RSS is its own and a hang can be killed:
 *   node --import tsx bench/domainxml.hostile.ts NAME ours|peer RUNS
 * Prints one JSON line: median ms (wall and CPU: on a loaded machine the CPU time varies less), peak RSS (MB) after the first run (later runs only add garbage
 * not yet collected), findings and the size of their JSON.
 * `peer` parses the same text with fast-xml-parser's XMLParser (what any XML tool pays at least).
 */
import { XMLParser } from 'fast-xml-parser';
import { analyze } from '../server/src/analyze';
import { getKnowledge } from '../server/src/knowledge/knowledge';
import { normalizeSettings } from '../server/src/core/settings';
import { HOSTILE } from './domainxml.inputs';
import { median } from './support';

const [name, who, runsArg] = process.argv.slice(2);
const text = HOSTILE[name]();
const runs = Number(runsArg ?? 3);
const k = getKnowledge(normalizeSettings({ useHostCpuMap: false }));
const rssBefore = process.resourceUsage().maxRSS / 1024;
let findings = 0;
let jsonBytes = 0;
let error: string | undefined;
const times: number[] = [];
const cpuTimes: number[] = [];
let rssMB = 0;
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const c = process.cpuUsage();
  if (who === 'peer') {
    try { new XMLParser({ ignoreAttributes: false }).parse(text); } catch (e) { error = String((e as Error).message).slice(0, 80); }
  } else {
    const fs = analyze('domain.xml', text, k, 'xml')?.findings ?? [];
    findings = fs.length;
    jsonBytes = JSON.stringify(fs).length;
  }
  times.push(performance.now() - t);
  const dc = process.cpuUsage(c);
  cpuTimes.push((dc.user + dc.system) / 1000);
  if (i === 0) rssMB = process.resourceUsage().maxRSS / 1024;
}
console.log(JSON.stringify({ name, who, bytes: text.length, ms: median(times), cpuMs: median(cpuTimes), rssMB, rssBeforeMB: rssBefore, findings, jsonBytes, error }));
