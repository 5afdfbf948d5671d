/**
 * libvirt's own test inputs (corpus/manifest.tsv, scope `in`): no error on what libvirt
 * accepts; at least one error on what it rejects, carrying libvirt's message where its
 * .err file gives one. `out` (rejected for PCI, TPM, seclabel...) and `host` (depends on
 * the host) files only must not crash. Figures are printed for the report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, diagnose, errors, readManifest } from './domainxml.helpers';

const DIR = join(FIXTURES, 'corpus');
const rows = readManifest(join(DIR, 'manifest.tsv'));

test('corpus: no false errors, no missed rejections, libvirt\'s messages', () => {
  const falseErrors: string[] = [];
  const missed: string[] = [];
  const wrongMessage: string[] = [];
  let accepted = 0; let rejected = 0; let withMessage = 0; let messageMatches = 0; let outOfScope = 0; let outOfScopeCaught = 0;
  for (const row of rows) {
    const text = readFileSync(join(DIR, row.file), 'utf8');
    const fs = diagnose(text);
    if (row.scope !== 'in') {
      // Out of scope (PCI, TPM, seclabel...) or host-dependent: must not crash; we count what we catch anyway.
      const message = row.libvirt_expected_error.replace(/^[^:]*\.err: /, '');
      if (message) { outOfScope++; if (errors(fs).some((e) => e.upstream === message)) outOfScopeCaught++; }
      continue;
    }
    const errs = errors(fs);
    const expectation = row.libvirt_expectation;
    if (expectation === 'ok' || expectation === 'schema-valid') {
      accepted++;
      if (errs.length) falseErrors.push(`${row.file}: ${errs.map((e) => e.upstream ?? e.explanation).join(' | ')}`);
      continue;
    }
    rejected++;
    if (!errs.length) { missed.push(`${row.file}: libvirt says ${row.libvirt_expected_error || expectation}`); continue; }
    const message = row.libvirt_expected_error.replace(/^[^:]*\.err: /, '');
    if (!message) continue;
    withMessage++;
    if (errs.some((e) => e.upstream === message)) messageMatches++;
    else wrongMessage.push(`${row.file}: libvirt "${message}", ours ${errs.map((e) => `"${e.upstream}"`).join(', ')}`);
  }
  console.log(`corpus (scope in): ${accepted} accepted → ${falseErrors.length} false errors; ${rejected} rejected → ${missed.length} missed; messages ${messageMatches}/${withMessage} exact; out of scope: ${outOfScopeCaught}/${outOfScope} expected errors caught anyway`);
  assert.deepEqual(falseErrors, []);
  assert.deepEqual(missed, []);
  assert.deepEqual(wrongMessage, []);
});
