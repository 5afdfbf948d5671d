/**
 * Held-out agreement with Nova on Nova's own unit tests. scripts/heldout-nova.py turned the option
 * settings of Nova's tests (Zed's python3-nova and master) into test/fixtures/novaconf-heldout/*.conf
 * and recorded what Nova itself (test/oracle/nova_heldout.py, nova-compute's start-up checks run
 * for real) says of each. Here our verdict under release zed must match: no false errors, no missed
 * errors, and Nova's message among ours. With python3-nova present the recorded verdicts are
 * re-checked live; under CI_REQUIRE_ORACLES=1 a missing python3-nova fails that test.
 */
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { check, DEBIAN_PYTHON, novaOracleAvailable } from '../fixtures/novaconf/helpers';

const DIR = join('test', 'fixtures', 'novaconf-heldout');

interface Verdict { parse_error: string | null; value_errors: Record<string, string>; startup: { exc: string; msg: string } | null }
interface Case { name: string; source: string; arch: string; file: string; verdict: Verdict }

function loadCases(): Case[] {
  const verdicts = JSON.parse(readFileSync(join(DIR, 'verdicts.json'), 'utf8')) as Record<string, Verdict>;
  const [, ...rows] = readFileSync(join(DIR, 'manifest.tsv'), 'utf8').trimEnd().split('\n');
  return rows.map((row) => {
    const [name, source, arch] = row.split('\t');
    return { name, source, arch, file: join(DIR, `${name}.conf`), verdict: verdicts[name] };
  });
}

/** Every message with which Nova would stop (any of them counts as ours matching). */
function novaMessages(v: Verdict): string[] {
  return [v.parse_error, v.startup?.msg, ...Object.values(v.value_errors)].filter((m): m is string => !!m);
}

interface Figures { cases: number; novaErrors: number; falseErrors: string[]; missedErrors: string[]; messageMatches: number; messageMismatches: string[] }

function measure(cases: Case[]): Figures {
  const f: Figures = { cases: cases.length, novaErrors: 0, falseErrors: [], missedErrors: [], messageMatches: 0, messageMismatches: [] };
  for (const c of cases) {
    const errors = check(readFileSync(c.file, 'utf8'), 'zed').findings.filter((x) => x.severity === 'error');
    const theirs = novaMessages(c.verdict);
    const label = `${c.name} (${c.source})`;
    if (theirs.length === 0) {
      if (errors.length) f.falseErrors.push(`${label}: ${errors.map((e) => e.code).join(', ')}`);
      continue;
    }
    f.novaErrors++;
    if (!errors.length) f.missedErrors.push(`${label}: Nova: ${theirs[0]}`);
    // Nova may append what libvirt said about the host (after our text): a prefix counts.
    else if (errors.some((e) => e.upstream && theirs.some((m) => m === e.upstream || m.startsWith(`${e.upstream} `)))) f.messageMatches++;
    else f.messageMismatches.push(`${label}: Nova: ${theirs[0]} | ours: ${errors.map((e) => e.upstream ?? e.code).join(' | ')}`);
  }
  return f;
}

/** Known disagreements, by case, with the reason: the list must not grow. */
const KNOWN: Record<string, string> = {};

test('held-out: our verdicts under zed equal Nova\'s on Nova\'s own test cases', () => {
  const f = measure(loadCases());
  console.log(`held-out: ${f.cases} cases, Nova rejects ${f.novaErrors}; false errors ${f.falseErrors.length}, missed errors ${f.missedErrors.length}, message matches ${f.messageMatches}/${f.novaErrors}`);
  const unknown = [...f.falseErrors, ...f.missedErrors, ...f.messageMismatches].filter((line) => !(line.split(' ')[0] in KNOWN));
  for (const line of unknown) console.log(`  ${line}`);
  assert.deepEqual(unknown, []);
  const fixed = Object.keys(KNOWN).filter((name) => ![...f.falseErrors, ...f.missedErrors, ...f.messageMismatches].some((l) => l.startsWith(`${name} `)));
  if (fixed.length) console.log(`  now agree with Nova (drop from KNOWN): ${fixed.join(', ')}`);
});

const available = novaOracleAvailable();
const required = process.env.CI_REQUIRE_ORACLES === '1';

test('held-out: the recorded verdicts are still what python3-nova says', { skip: available || required ? false : 'python3-nova is not installed (apt install python3-nova; run with /usr/bin/python3)' }, () => {
  if (!available) assert.fail('CI_REQUIRE_ORACLES=1 but python3-nova is not importable by /usr/bin/python3');
  const cases = loadCases();
  const r = spawnSync(DEBIAN_PYTHON, [join('test', 'oracle', 'nova_heldout.py')], {
    input: JSON.stringify({ files: cases.map((c) => c.file), arch: Object.fromEntries(cases.map((c) => [c.file, c.arch])) }), encoding: 'utf8', maxBuffer: 64 << 20,
  });
  assert.equal(r.status, 0, r.stderr);
  const live = JSON.parse(r.stdout) as Verdict[];
  const changed = cases.filter((c, i) => !isDeepStrictEqual(live[i], c.verdict)).map((c) => c.name);
  assert.deepEqual(changed, []);
});
