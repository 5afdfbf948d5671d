/**
 * Held-out libvirt test inputs (test/fixtures/domainxml-heldout: libvirt's own test XMLs that the corpus does
 * not hold) against the verdicts libvirt 9.0 and 12.8 gave when test/oracle/heldout-libvirt.mjs ran them (qemu driver
 * `define --validate`; the test driver for other drivers' domains and where the qemu driver cannot judge on this
 * host). Recorded, so this runs without libvirt. In scope = accepted, or rejected for a reason in the blocks we
 * check (`scope` column). Our verdict is recomputed under the same release's rules: any error finding = we reject.
 * Schema findings are warnings by design (libvirt ignores what its schema rejects unless asked to validate), so
 * a schema rejection counts as caught by a schema finding too, and a file the schema accepts must get none.
 * Where libvirt's generic checks alone (test driver) accept a file, no error of ours may be at stage 'define'.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, defineErrors, diagnose, errors, readManifest } from '../unit/domainxml.helpers';

const DIR = join(FIXTURES, '..', 'domainxml-heldout');
const rows = readManifest(join(DIR, 'verdicts.tsv')).filter((r) => r.scope === 'in');

/** Disagreements not fixed yet: `release file` → why. The list may shrink, never grow. */
const KNOWN: Record<string, string> = {};

type Kind = 'false error' | 'missed' | 'message' | 'generic';
interface Judgement { problems: Array<{ kind: Kind; text: string }>; messageChecked: boolean; messageMatch: boolean }

function judge(row: Record<string, string>): Judgement {
  const fs = diagnose(readFileSync(join(DIR, row.file), 'utf8'), row.libvirt);
  const errs = errors(fs);
  const schemaFindings = fs.filter((f) => f.stage === 'schema');
  const ours = errs.map((e) => e.upstream ?? e.explanation);
  const problems: Judgement['problems'] = [];
  const generic = errs.filter((e) => e.stage === 'define');
  if (row.generic_verdict === 'accepted' && generic.length) problems.push({ kind: 'generic', text: generic.map((e) => e.upstream).join(' | ') });
  if (row.libvirt_verdict === 'accepted') {
    if (errs.length || schemaFindings.length) problems.push({ kind: 'false error', text: [...ours, ...schemaFindings.map((f) => f.code)].join(' | ') });
    return { problems, messageChecked: false, messageMatch: false };
  }
  const schemaRejection = /^XML document failed to validate against schema/.test(row.libvirt_message);
  if (!errs.length && !(schemaRejection && schemaFindings.length)) {
    problems.push({ kind: 'missed', text: `libvirt says ${row.libvirt_message}` });
    return { problems, messageChecked: false, messageMatch: false };
  }
  // A schema rejection names no attribute, so any finding of ours is the answer; other messages must be libvirt's.
  if (schemaRejection) return { problems, messageChecked: false, messageMatch: false };
  const messageMatch = ours.includes(row.libvirt_message);
  if (!messageMatch) problems.push({ kind: 'message', text: `libvirt "${row.libvirt_message}", ours ${ours.map((m) => `"${m}"`).join(', ')}` });
  return { problems, messageChecked: true, messageMatch };
}

const key = (row: Record<string, string>) => `${row.libvirt} ${row.file}`;

for (const release of [...new Set(rows.map((r) => r.libvirt))]) {
test(`held-out libvirt inputs, libvirt ${release}: no false errors, no missed in-scope rejections, libvirt's messages`, () => {
  const mine = rows.filter((r) => r.libvirt === release);
  const found: Record<Kind, string[]> = { 'false error': [], missed: [], message: [], generic: [] };
  let checked = 0; let matches = 0;
  for (const row of mine) {
    const j = judge(row);
    if (j.messageChecked) { checked++; if (j.messageMatch) matches++; }
    if (KNOWN[key(row)]) continue;
    for (const p of j.problems) found[p.kind].push(`${row.file}: ${p.text}`);
  }
  const accepted = mine.filter((r) => r.libvirt_verdict === 'accepted').length;
  const known = Object.keys(KNOWN).filter((k) => k.startsWith(`${release} `)).length;
  console.log(`held-out (libvirt ${release}): ${mine.length} files in scope; ${accepted} accepted → ${found['false error'].length} false errors; ${mine.length - accepted} rejected → ${found.missed.length} missed; messages ${matches}/${checked} exact; ${found.generic.length} generic-stage errors the test driver contradicts; ${known} known disagreements`);
  assert.deepEqual(found['false error'], []);
  assert.deepEqual(found.missed, []);
  assert.deepEqual(found.message, []);
  assert.deepEqual(found.generic, []);
});
}

test('held-out: every known disagreement is still one (fixed ones leave the list)', () => {
  for (const [k, why] of Object.entries(KNOWN)) {
    const row = rows.find((r) => key(r) === k);
    assert.ok(row, `${k} is not an in-scope row of verdicts.tsv`);
    assert.ok(judge(row).problems.length > 0, `${k} now agrees with libvirt: drop it from KNOWN (${why})`);
  }
});

/**
 * Generated sets (the generated-* directories, see test/oracle/heldout-libvirt.mjs): <cachetune>/<memorytune> combinations and memory
 * sums, topologies and <cpu> per guest arch that libvirt's own tests barely touch, with libvirt's `define` verdict
 * (parser and driver, not the schema). Accepted → no define-time error of ours; rejected → libvirt's message among ours.
 */
const GENERATED = ['generated-resctrl', 'generated-memory', 'generated-topology', 'generated-cpuarch', 'generated-numa', 'generated-cputune'];

/** Not fixed yet (known-disagreements.tsv): `release file` → why. May shrink, never grow. */
const KNOWN_GENERATED: Record<string, string> = Object.fromEntries(readManifest(join(DIR, 'known-disagreements.tsv')).map((r) => [r.key, r.why]));

function generatedProblem(row: Record<string, string>): string | undefined {
  // libvirt's verdict is define's: what we know fails only when the guest starts (unknown model...) is not counted.
  const ours = defineErrors(diagnose(readFileSync(join(DIR, row.file), 'utf8'), row.libvirt)).map((e) => e.upstream ?? e.explanation);
  if (row.libvirt_verdict === 'accepted') return ours.length ? `libvirt accepts, ours ${ours.join(' | ')}` : undefined;
  if (ours.includes(row.libvirt_message) || (ours.length && garbled(row, ours))) return undefined;
  return `libvirt "${row.libvirt_message}", ours ${ours.length ? ours.map((m) => `"${m}"`).join(', ') : 'none'}`;
}

/**
 * libvirt 9.0 formats its NUMA distance errors from freed memory: the daemon prints a cut message or dies (the
 * client sees the connection drop). The rejection stands; the words cannot be compared.
 */
function garbled(row: Record<string, string>, ours: string[]): boolean {
  if (row.libvirt !== '9.0' || !ours.some((m) => /sibling/.test(m))) return false;
  return /^Disconnected from qemu:\/\/\/session|End of file while reading data/.test(row.libvirt_message) || ours.some((m) => m.startsWith(row.libvirt_message));
}

for (const set of GENERATED) {
  test(`${set}: verdict and message as libvirt's`, () => {
    const rows = readManifest(join(DIR, set, 'verdicts.tsv'));
    const problems: string[] = [];
    for (const row of rows) {
      const p = generatedProblem(row);
      if (p && !KNOWN_GENERATED[key(row)]) problems.push(`${key(row)}: ${p}`);
    }
    const known = Object.keys(KNOWN_GENERATED).filter((k) => k.includes(` ${set}/`));
    console.log(`${set}: ${rows.length} verdicts (libvirt ${[...new Set(rows.map((r) => r.libvirt))].join(', ')}); ${problems.length} new disagreements; ${known.length} known`);
    assert.deepEqual(problems, []);
    for (const k of known) {
      const row = rows.find((r) => key(r) === k);
      assert.ok(row && generatedProblem(row), `${k} now agrees with libvirt: drop it from KNOWN_GENERATED (${KNOWN_GENERATED[k]})`);
    }
  });
}
