// Real-client smoke test: neovim's built-in LSP client against `node dist/server.js --stdio`.
// Run: node --test test/e2e/neovim.test.mjs   (needs apt neovim and `npm run build`)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { probe, serverJs } from './neovim/probe.mjs';
import { neovimOracleProblems, requireOracles } from './env.mjs';

const ws = (f) => path.join(import.meta.dirname, 'vscode/workspace', f);
const SOURCE = 'nova-libvirt-cpu';
const missing = neovimOracleProblems();
if (missing.length && requireOracles) throw new Error(`CI_REQUIRE_ORACLES=1 but: ${missing.join(', ')}`);
const skip = missing.length ? `skipped: ${missing.join(', ')}` : false;

/** Probe and fail with the probe's error plus the tail of nvim's lsp.log (server stderr ends up there). */
function run(opts) {
  assert.ok(fs.existsSync(serverJs), `${serverJs} missing: run npm run build`);
  const r = probe(opts);
  assert.equal(r.status, 0, `probe failed: ${r.out.error}\n--- lsp.log ---\n${r.log.slice(-3000)}`);
  return r.out;
}
const codes = (ds) => ds.map((d) => d.code);

test('neovim: empty nova config gets a diagnostic from our server, and an edit re-publishes', { skip }, () => {
  const out = run({ file: ws('nova-empty.conf'), languageId: 'nova-conf' });
  const before = out.diagnostics_before_edit;
  assert.ok(before.length > 0, 'expected at least one diagnostic');
  for (const d of before) assert.equal(d.source, SOURCE);
  assert.ok(Array.isArray(out.diagnostics_after_edit), 'no diagnostics after didChange');
});

test('neovim: nova.conf gets nova/cpu-models-without-custom; completion and hover answer', { skip }, () => {
  const out = run({ file: ws('nova.conf'), languageId: 'nova-conf', completion: [1, 11], hover: [1, 2] });
  const diags = out.diagnostics_before_edit;
  console.log(`# nova.conf: ${out.ms_to_diagnostics} ms to diagnostics; codes [${codes(diags)}]; completions [${out.completion}]`);
  for (const d of diags) assert.equal(d.source, SOURCE);
  assert.ok(codes(diags).includes('nova/cpu-models-without-custom'), `got [${codes(diags)}]`);
  assert.ok(out.completion.includes('custom'), `cpu_mode value completion: [${out.completion}]`);
  assert.match(out.hover ?? '', /cpu_mode/);
  // the appended comment changes nothing, so the finding must survive didChange
  assert.ok(codes(out.diagnostics_after_edit).includes('nova/cpu-models-without-custom'));
});

test('neovim: domain XML gets diagnostics published; completion and hover answer', { skip }, () => {
  // line 8 = <model fallback='forbid'>, char 26 = inside the attribute value
  const out = run({ file: ws('domain.xml'), languageId: 'xml', completion: [8, 26], hover: [8, 26] });
  for (const d of out.diagnostics_before_edit) assert.equal(d.source, SOURCE);
  assert.ok(out.completion.includes('forbid'), `fallback completion: [${out.completion}]`);
  assert.match(out.hover ?? '', /fallback/);
});
