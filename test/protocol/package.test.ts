import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

test('the .vsix builds offline and ships only what runs (bundles with the snippets inlined, grammar, language configurations, the rules reference, licence notices)', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'nlc-vsix-')), 'x.vsix');
  const vsce = join(ROOT, 'node_modules/.bin/vsce');
  // As `npm run package` does: relative links stay relative, so the extension page opens the shipped files.
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const list = spawnSync(vsce, ['ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort();
  for (const f of ['dist/client.js', 'dist/server.js', 'dist/cli.js', 'package.json', 'syntaxes/nova-conf.tmLanguage.json', 'language-configuration.json', 'language-configuration.xml.json', 'server/data/COPYING.LESSER', 'docs/rules/nova.md', 'docs/rules/libvirt.md', 'docs/rules/host.md', 'docs/rules/input.md']) {
    assert.ok(list.includes(f), `${f} missing from the .vsix: ${list.join(', ')}`);
  }
  assert.ok(!list.some((f) => /^(test|server\/src|client\/src|node_modules|bench)\//.test(f)), `sources leaked into the .vsix: ${list.join(', ')}`);
  // Served by the language server only where they fit (core/snippets.ts); a static copy would leak into every XML file.
  assert.ok(!list.some((f) => f.startsWith('snippets/')), `static snippets in the .vsix: ${list.join(', ')}`);
  assert.ok(statSync(out).size < 2_000_000, `vsix is ${statSync(out).size} bytes`);
  // The extension page is the README as shipped: every relative link and picture of it is in the .vsix.
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^\w+:/.test(l));
  assert.ok(links.length >= 4, `${links.length} links: the pictures, CONTRIBUTING.md, ARCHITECTURE.md at least`);
  for (const l of new Set(links)) assert.ok(list.some((f) => f === l || f.startsWith(l.endsWith('/') ? l : `${l}/`)), `README links ${l}, which the .vsix lacks`);
  assert.ok(list.includes(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).icon), 'the icon is shipped');
});
