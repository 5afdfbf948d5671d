import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

test('the .vsix builds offline and ships only what runs (bundles, grammar, snippets, the rules reference, licence notices)', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'nlc-vsix-')), 'x.vsix');
  const vsce = join(ROOT, 'node_modules/.bin/vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const list = spawnSync(vsce, ['ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort();
  for (const f of ['dist/client.js', 'dist/server.js', 'dist/cli.js', 'package.json', 'syntaxes/nova-conf.tmLanguage.json', 'snippets/nova-conf.json', 'snippets/domain-xml.json', 'server/data/COPYING.LESSER', 'docs/rules/nova.md', 'docs/rules/libvirt.md', 'docs/rules/host.md', 'docs/rules/input.md']) {
    assert.ok(list.includes(f), `${f} missing from the .vsix: ${list.join(', ')}`);
  }
  assert.ok(!list.some((f) => /^(test|server\/src|client\/src|node_modules|bench)\//.test(f)), `sources leaked into the .vsix: ${list.join(', ')}`);
  assert.ok(statSync(out).size < 2_000_000, `vsix is ${statSync(out).size} bytes`);
});
