/**
 * Child process of the fuzz test: analyses cases [from, from+count) of one seed in-process and
 * checks invariants that hold for ANY input. Prints `start N` before and `ok N` after each case,
 * so the parent's watchdog can name a case that hangs; `FAIL N reason` on a broken invariant.
 * Usage: node --import tsx test/support/fuzzWorker.ts KIND SEED FROM COUNT
 */
import { analyze } from '../../server/src/analyze';
import { normalizeSettings } from '../../server/src/core/settings';
import { getKnowledge } from '../../server/src/knowledge/knowledge';
import { MAX_PER_CODE } from '../../server/src/core/findingCap';
import { findingMessage, type Finding, type Range } from '../../server/src/core/findings';
import { below, rng } from './prng';
import { fuzzCase, seedTexts, type FuzzKind } from './fuzzCases';

const [kind, seedArg, fromArg, countArg] = process.argv.slice(2) as [FuzzKind, string, string, string];
const seed = Number(seedArg), from = Number(fromArg), count = Number(countArg);
const knowledge = getKnowledge(normalizeSettings({ useHostCpuMap: false }));
const seeds = seedTexts(kind);
const SEVERITIES = new Set(['error', 'warning', 'information', 'hint']);
/** Messages quote user values only truncated (core/findingCap.ts quoteValue); Nova's longest own text is ~600 characters. */
const MAX_MESSAGE = 4000;

function rangeProblem(r: Range, lineLengths: number[]): string | undefined {
  for (const p of [r.start, r.end]) {
    if (!(p.line >= 0 && p.line < lineLengths.length)) return `line ${p.line} outside 0..${lineLengths.length - 1}`;
    if (!(p.character >= 0 && p.character <= lineLengths[p.line])) return `character ${p.character} outside line ${p.line} (length ${lineLengths[p.line]})`;
  }
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) return 'range ends before it starts';
  return undefined;
}

function findingProblem(f: Finding, lineLengths: number[]): string | undefined {
  if (!/^[a-z]+\/[a-z0-9-]+$/.test(f.code)) return `bad code ${JSON.stringify(f.code)}`;
  if (!SEVERITIES.has(f.severity)) return `bad severity ${f.severity}`;
  const msg = findingMessage(f);
  if (msg.length > MAX_MESSAGE) return `${f.code}: message of ${msg.length} characters`;
  const bad = rangeProblem(f.range, lineLengths);
  if (bad) return `${f.code}: ${bad}`;
  for (const fix of f.fixes ?? []) for (const e of fix.edits) {
    const badEdit = rangeProblem(e.range, lineLengths);
    if (badEdit) return `${f.code}: fix '${fix.title}': ${badEdit}`;
  }
  return undefined;
}

function check(text: string, r: () => number): string | undefined {
  const a = analyze(kind === 'nova-conf' ? 'nova.conf' : 'domain.xml', text, knowledge, kind === 'nova-conf' ? 'nova-conf' : 'xml');
  if (!a) return kind === 'nova-conf' ? 'nova.conf not analysed' : undefined; // XML whose root is not <domain>: silence is right
  const lineLengths = text.split(/\r\n|\r|\n/).map((l) => l.length);
  const perCode = new Map<string, number>();
  for (const f of a.findings) {
    const bad = findingProblem(f, lineLengths);
    if (bad) return bad;
    perCode.set(f.code, (perCode.get(f.code) ?? 0) + 1);
  }
  for (const [code, n] of perCode) if (code !== 'input/too-many-findings' && n > MAX_PER_CODE) return `${n} findings of ${code} (cap ${MAX_PER_CODE})`;
  if (a.model === undefined) return undefined;
  // Every feature reads the same model; none may throw on any input or position.
  a.service.symbols?.(a.model);
  a.service.folding?.(a.model);
  for (let i = 0; i < 4; i++) {
    const line = below(r, lineLengths.length);
    const position = { line, character: below(r, lineLengths[line] + 1) };
    const items = a.service.complete?.(a.model, position, knowledge) ?? [];
    if (items.length > 5000) return `${items.length} completion items at ${line}:${position.character}`;
    a.service.hover?.(a.model, position, knowledge);
  }
  return undefined;
}

for (let i = from; i < from + count; i++) {
  const c = fuzzCase(seed, i, kind, seeds);
  process.stdout.write(`start ${i}\n`);
  let problem: string | undefined;
  try {
    problem = check(c.text, rng(seed ^ i));
  } catch (e) {
    problem = `threw ${(e as Error).stack ?? e}`;
  }
  if (problem) {
    process.stdout.write(`FAIL ${i} ${problem.replace(/\n/g, '\\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`ok ${i}\n`);
}
