/**
 * Child process for test/unit/novaconf.hostile.test.ts: analyses one hostile nova.conf (by name,
 * from bench/novaconf.inputs.ts) as the server does and prints a summary as JSON, so the parent can
 * kill a run that hangs. Run: node --import tsx test/support/novaconfHostileChild.ts '<name>'
 */
import { analyze } from '../../server/src/analyze';
import type { Finding } from '../../server/src/core/findings';
import { HOSTILE } from '../../bench/novaconf.inputs';
import { knowledgeFor } from '../fixtures/novaconf/helpers';

export interface HostileSummary {
  findings: number;
  jsonBytes: number;
  largestFindingBytes: number;
  /** Kept findings per code. */
  kept: Record<string, number>;
  /** The first kept finding of each code, and every note. */
  first: Record<string, Finding>;
  notes: string[];
  /** The text each kept finding's range covers, for the first five of each code. */
  covered: Record<string, string[]>;
}

const input = HOSTILE.find((h) => h.name === process.argv[2]);
if (!input) throw new Error(`no hostile input named ${process.argv[2]}`);
const text = input.text();
const a = analyze('nova.conf', text, knowledgeFor('zed'), 'nova-conf')!;
const summary: HostileSummary = { findings: a.findings.length, jsonBytes: 0, largestFindingBytes: 0, kept: {}, first: {}, notes: [], covered: {} };
for (const f of a.findings) {
  const bytes = Buffer.byteLength(JSON.stringify(f));
  summary.jsonBytes += bytes;
  summary.largestFindingBytes = Math.max(summary.largestFindingBytes, bytes);
  if (f.code === 'input/too-many-findings') { summary.notes.push(f.explanation); continue; }
  summary.kept[f.code] = (summary.kept[f.code] ?? 0) + 1;
  summary.first[f.code] ??= f;
  const covered = (summary.covered[f.code] ??= []);
  if (covered.length < 5) covered.push(text.slice(a.lines.offsetAt(f.range.start), a.lines.offsetAt(f.range.end)));
}
process.stdout.write(JSON.stringify(summary));
