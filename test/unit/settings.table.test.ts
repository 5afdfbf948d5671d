/**
 * core/settings.ts's SETTINGS is the one list of settings: package.json's configuration, the
 * client's reads and the CLI's flags must agree with it. And the manifest's enums are the releases
 * the core knows, its titles are spelled as the product is, its problem matcher reads the CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ANALYSIS_SETTINGS, SETTINGS, defaultSettings, normalizeSettings } from '../../server/src/core/settings';
import { RELEASES, releaseLabel } from '../../server/src/knowledge/nova/releases';
import { KNOWN_LIBVIRT_VERSIONS, resolveLibvirtVersion } from '../../server/src/domainxml/version';
import { DEFAULT_CONFIG_DIR } from '../../server/src/ops/transaction';

const ROOT = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const props: Record<string, Record<string, unknown>> = pkg.contributes.configuration.properties;
const PREFIX = 'novaLibvirtCpu.';

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

test('the manifest declares exactly the settings of the table, with their types, defaults and trust restrictions', () => {
  assert.deepEqual(Object.keys(props).sort(), SETTINGS.map((s) => PREFIX + s.key).sort());
  for (const s of SETTINGS) {
    const p = props[PREFIX + s.key];
    const types = ([] as unknown[]).concat(p.type);
    assert.ok(types.includes(s.type), `${s.key}: manifest type ${types} vs table ${s.type}`);
    assert.deepEqual(p.default, s.default, `${s.key}: default`);
    assert.ok(typeof (p.markdownDescription ?? p.description) === 'string', `${s.key}: described`);
  }
  // The settings editor lists them in the table's order (release and version first), not alphabetically.
  assert.deepEqual(SETTINGS.map((s) => props[PREFIX + s.key].order), SETTINGS.map((_, i) => i));
  const restricted = SETTINGS.filter((s) => s.restricted).map((s) => PREFIX + s.key).sort();
  assert.deepEqual([...pkg.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), restricted);
});

test('the analysis settings of the table are what normalizeSettings reads, from the client\'s flat object and from nested configuration', () => {
  const severity = { 'nova/advice-*': 'off' };
  const launch = ['--config-file', '/etc/nova/nova.conf'];
  const flat = { novaRelease: 'zed', libvirtVersion: '9.0', cpuMapPath: '/m', useHostCpuMap: false, 'diagnostics.enable': false, 'diagnostics.severity': severity, analysisTimeLimitMs: 10, 'novaConf.launch': launch };
  assert.deepEqual(Object.keys(flat).sort(), ANALYSIS_SETTINGS.map((s) => s.key).sort());
  const expected = { novaRelease: 'zed', libvirtVersion: '9.0', cpuMapPath: '/m', useHostCpuMap: false, diagnosticsEnabled: false, analysisTimeLimitMs: 10, severity, novaConfLaunch: launch };
  assert.deepEqual(normalizeSettings(flat), expected);
  assert.deepEqual(normalizeSettings({ ...flat, 'diagnostics.enable': undefined, 'diagnostics.severity': undefined, diagnostics: { enable: false, severity }, 'novaConf.launch': undefined, novaConf: { launch } }), expected);
  // A launch by name; anything else is the default.
  assert.equal(normalizeSettings({ 'novaConf.launch': 'debian' }).novaConfLaunch, 'debian');
  for (const bad of ['Debian!', 3, [1], {}]) assert.equal(normalizeSettings({ 'novaConf.launch': bad }).novaConfLaunch, 'auto', JSON.stringify(bad));
  // Each table default is the core's default.
  const fromDefaults = normalizeSettings(Object.fromEntries(ANALYSIS_SETTINGS.map((s) => [s.key, s.default])));
  assert.deepEqual(fromDefaults, defaultSettings);
});

test('the client reads settings only through the table (settings.ts), by keys the table has', () => {
  const keys = new Set(SETTINGS.map((s) => s.key));
  let seen = 0;
  for (const file of sources('client/src')) {
    const text = readFileSync(file, 'utf8');
    if (!file.endsWith('/settings.ts')) assert.doesNotMatch(text, /getConfiguration\('novaLibvirtCpu'\)\.get/, `${file} reads a setting around the table`);
    for (const m of text.matchAll(/\bsetting<[^>]+>\('([A-Za-z.]+)'\)/g)) {
      seen++;
      assert.ok(keys.has(m[1]), `${file}: reads novaLibvirtCpu.${m[1]}, which the table lacks`);
    }
  }
  assert.ok(seen >= 10, `found only ${seen} reads: has the client's way of reading settings changed?`);
  // The host commands' own default is the table's.
  assert.equal(SETTINGS.find((s) => s.key === 'configDir')!.default, DEFAULT_CONFIG_DIR);
});

test('the CLI documents a flag for each analysis setting that has one, and the table says why the others have none', () => {
  const usage = readFileSync(join(ROOT, 'server/src/cli.ts'), 'utf8');
  for (const s of ANALYSIS_SETTINGS) {
    if ('flag' in s.cli) {
      assert.match(usage, new RegExp(`^  ${s.cli.flag}\\b`, 'm'), `${s.key}: ${s.cli.flag} in CHECK_USAGE`);
      assert.match(usage, new RegExp(`'?${s.cli.flag.slice(2)}'?: \\{ type: '${s.type === 'boolean' ? 'boolean' : 'string'}'`), `${s.key}: ${s.cli.flag} parsed`);
    } else assert.ok(s.cli.none.length > 10, `${s.key}: why no flag`);
  }
});

test('novaRelease is an enum of the releases the catalog knows, newest first, each labelled and described', () => {
  const p = props[`${PREFIX}novaRelease`] as { enum: string[]; enumItemLabels: string[]; enumDescriptions: string[] };
  const newestFirst = [...RELEASES].reverse();
  assert.deepEqual(p.enum, ['', ...newestFirst.map((r) => r.name)]);
  assert.deepEqual(p.enumItemLabels, ['newest', ...newestFirst.map(releaseLabel)]);
  assert.equal(p.enumDescriptions.length, p.enum.length);
  p.enumDescriptions.slice(1).forEach((d, i) => assert.ok(d.includes(`Nova ${newestFirst[i].major} `), d));
});

test('libvirtVersion is an enum of the versions the rules tell apart: every atLeast() and since: [] of the rules is one of them', () => {
  const p = props[`${PREFIX}libvirtVersion`] as { enum: string[]; enumDescriptions: string[] };
  const known = KNOWN_LIBVIRT_VERSIONS.map((v) => v.label);
  assert.deepEqual(p.enum, ['', ...[...known].reverse()]);
  assert.equal(p.enumDescriptions.length, p.enum.length);
  for (const v of known) assert.equal(resolveLibvirtVersion(v).version.label, v);
  const used = new Set<string>();
  for (const file of sources('server/src')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/atLeast\([\w.]+, (\d+), (\d+)\)|atLeast\([\w.]+, (\d+)\)|since: \[(\d+), (\d+)\]/g)) {
      used.add(m[3] !== undefined ? `${m[3]}.0` : `${m[1] ?? m[4]}.${m[2] ?? m[5]}`);
    }
  }
  assert.ok(used.size >= 5, `found ${[...used]}`);
  for (const v of used) assert.ok(known.includes(v), `a rule changes at libvirt ${v}, which the setting does not offer`);
});

test('titles say "Nova libvirt CPU": the settings group and every command category', () => {
  assert.equal(pkg.contributes.configuration.title, 'Nova libvirt CPU');
  assert.equal(pkg.displayName, 'Nova libvirt CPU');
  for (const c of pkg.contributes.commands) assert.equal(c.category, 'Nova libvirt CPU', c.command);
  assert.ok(!JSON.stringify(pkg).includes('Nova Libvirt Cpu'));
});

test('the icon is a 128x128 PNG', () => {
  const png = readFileSync(join(ROOT, pkg.icon));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
});

test('the README (the extension page) lists every setting and every command, and starts with the two commands', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const s of SETTINGS) {
    const short = s.key.replace(/^.*\./, '');
    assert.ok(readme.includes(`\`${PREFIX}${s.key}\``) || readme.includes(`\`${short}\``), `README lacks the setting ${s.key}`);
  }
  for (const c of pkg.contributes.commands) assert.ok(readme.includes(`*${c.title}*`), `README lacks the command ${c.title}`);
  const first = /```bash\n([^\n]*)\n([^\n]*)\n```/.exec(readme)!;
  assert.match(first[1], /^npm ci && npm run demo\s/);
  assert.match(first[2], /^npm ci && bash scripts\/setup-test-env\.sh && npm test\s/);
  for (const img of readme.matchAll(/!\[[^\]]+\]\(([^)]+)\)/g)) assert.ok(readFileSync(join(ROOT, img[1])).length > 1000, img[1]);
});
