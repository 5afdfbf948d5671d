/**
 * Nothing in the repository points outside it: no absolute path of the machine it was written on,
 * no note or section of a document that is not shipped (the team's reference notes). A reader of a
 * fresh clone must find everything a comment or a doc names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const SELF = 'test/unit/repo.references.test.ts';

/** What points outside: the workstation's paths, the shared notes, and the unshipped reference documents with their § sections. */
const OUTSIDE: Array<[RegExp, string]> = [
  [/\/work\//, 'an absolute path of the machine it was written on'],
  [/\bshared\/(notes|DESIGN|README)/, 'the shared notes, which are not in the repository'],
  [/\b(rules|oracle|cpu_map)\.md\b/, 'a reference document that is not in the repository'],
  [/§/, 'a section of a document that is not in the repository'],
];

/** Recorded upstream outputs and generated data keep what upstream wrote; everything else is ours. */
const RECORDED = /^(test\/fixtures\/.*\.(xml|tsv|json|err|conf|txt|log)|server\/data\/.*\.json|package-lock\.json)$|\.png$/;

test('no file of the repository points outside it', () => {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n').filter((f) => f && f !== SELF && !RECORDED.test(f));
  assert.ok(files.length > 200, `only ${files.length} files listed`);
  const found: string[] = [];
  for (const f of files) {
    let text: string;
    try { text = readFileSync(join(ROOT, f), 'utf8'); } catch { continue; } // deleted in the work tree
    text.split('\n').forEach((line, i) => {
      for (const [re, what] of OUTSIDE) if (re.test(line)) found.push(`${f}:${i + 1}: ${what}: ${line.trim().slice(0, 120)}`);
    });
  }
  assert.deepEqual(found, []);
});
