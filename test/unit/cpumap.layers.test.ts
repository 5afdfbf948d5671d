// Layering and broken maps: a bad host or user map is a recorded problem, never an exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCpuCatalog, hostMapPath } from '../../server/src/knowledge/cpumap/load';
import { MAX_MAP_FILE_BYTES, MAX_MAP_INCLUDES, MAX_MAP_TOTAL_BYTES } from '../../server/src/knowledge/cpumap/parseMap';
import { getKnowledge, MAX_CATALOGS } from '../../server/src/knowledge/knowledge';
import { normalizeSettings } from '../../server/src/core/settings';
import { FIXTURES } from './cpumap.support';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cpumap-layers-'));
}

function file(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A one-model directory map in today's format. */
function dirMap(models: string, features = ''): string {
  const dir = tempDir();
  file(dir, 'index.xml', `<cpus><arch name='x86'><include filename='x86_extra_features.xml'/><group name='Site models'><include filename='x86_site.xml'/></group></arch></cpus>`);
  file(dir, 'x86_extra_features.xml', `<cpus>${features}</cpus>`);
  file(dir, 'x86_site.xml', `<cpus>${models}</cpus>`);
  return dir;
}

const BUNDLED_X86 = 176;

function loadWith(...extraPaths: string[]) {
  return loadCpuCatalog({ useHostMap: false, extraPaths });
}

test('a directory user map adds models and features and overrides same-named ones in place', () => {
  const dir = dirMap(
    `<model name='Haswell'><decode host='on' guest='on'/><model name='Haswell-noTSX'/><feature name='x-site-flag'/></model>
     <model name='Site-Haswell'><decode host='on' guest='off'/><model name='Haswell'/></model>`,
    `<feature name='x-site-flag'><cpuid eax_in='0x40000100' eax='0x00000001'/></feature>`,
  );
  const cat = loadWith(dir);
  assert.deepEqual(cat.problems, []);
  const names = cat.models('x86').map((m) => m.name);
  assert.equal(names.length, BUNDLED_X86 + 1);
  assert.equal(names.indexOf('Haswell'), loadWith().models('x86').findIndex((m) => m.name === 'Haswell'), 'override keeps the map position');
  const haswell = cat.model('Haswell')!;
  assert.equal(haswell.origin, dir);
  assert.equal(haswell.group, 'Site models');
  assert.deepEqual(haswell.features, [...cat.model('Haswell-noTSX')!.features, 'x-site-flag'].sort());
  assert.equal(cat.model('Site-Haswell')!.canonicalOf, 'Haswell');
  assert.equal(cat.feature('x-site-flag')?.origin, dir);
  assert.equal(cat.features('x86').length, 401);
});

test('later extra maps override earlier ones', () => {
  const a = file(tempDir(), 'a.xml', `<cpus><arch name='x86'><model name='Site'><model name='Nehalem'/></model></arch></cpus>`);
  const b = file(tempDir(), 'b.xml', `<cpus><arch name='x86'><model name='Site'><model name='Westmere'/></model></arch></cpus>`);
  const cat = loadWith(a, b);
  assert.deepEqual(cat.problems, []);
  assert.equal(cat.model('Site')!.ancestor, 'Westmere');
  assert.equal(cat.model('Site')!.origin, b);
});

const BROKEN: Array<[string, () => string, RegExp]> = [
  ['missing file', () => join(tempDir(), 'nope.xml'), /cannot read CPU map '.*nope\.xml': no such file or directory/],
  ['directory without index.xml', () => tempDir(), /index\.xml': no such file or directory/],
  ['malformed XML', () => file(tempDir(), 'bad.xml', `<cpus><arch name='x86'><model name='x'></arch></cpus>`), /cannot parse CPU map '.*bad\.xml': .*line 1/],
  ['binary junk', () => file(tempDir(), 'junk.xml', Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x3c, 0x00])), /cannot parse CPU map '.*junk\.xml'/],
  ['not a cpu_map', () => file(tempDir(), 'domain.xml', `<domain type='kvm'><name>x</name></domain>`), /'.*domain\.xml' is not a CPU map: the root element is <domain>/],
  ['no known arch', () => file(tempDir(), 's390.xml', `<cpus><arch name='s390'/></cpus>`), /cannot find CPU map for x86, ppc64 or arm architecture in '.*s390\.xml'/],
  ['include without filename', () => file(tempDir(), 'inc.xml', `<cpus><arch name='x86'><group name='g'><include/></group></arch></cpus>`), /Missing 'filename' in CPU map include/],
  ['a FIFO instead of a file', () => { const p = join(tempDir(), 'fifo.xml'); execFileSync('mkfifo', [p]); return p; }, /not a regular file/],
  ['unknown ancestor', () => file(tempDir(), 'anc.xml', `<cpus><arch name='x86'><model name='Mine'><model name='Nehalem-XL'/></model></arch></cpus>`), /Ancestor model Nehalem-XL not found for CPU model Mine/],
  ['unknown feature', () => file(tempDir(), 'feat.xml', `<cpus><arch name='x86'><model name='Mine'><feature name='sse4-1'/></model></arch></cpus>`), /Feature sse4-1 required by CPU model Mine not found/],
  ['unknown vendor', () => file(tempDir(), 'ven.xml', `<cpus><arch name='x86'><model name='Mine'><vendor name='Cyrix'/></model></arch></cpus>`), /Unknown vendor Cyrix referenced by CPU model Mine/],
  ['duplicate model', () => file(tempDir(), 'dup.xml', `<cpus><arch name='x86'><model name='M'/><model name='M'/></arch></cpus>`), /Multiple definitions of CPU model 'M'/],
  ['model without name', () => file(tempDir(), 'noname.xml', `<cpus><arch name='x86'><model/></arch></cpus>`), /cannot find model name in CPU map/],
  ['feature without data', () => file(tempDir(), 'nodata.xml', `<cpus><arch name='x86'><feature name='f'/></arch></cpus>`), /no x86 CPU data found for CPU feature f/],
  ['bad cpuid', () => file(tempDir(), 'cpuid.xml', `<cpus><arch name='x86'><feature name='f'><cpuid ecx='0x1'/></feature></arch></cpus>`), /Invalid cpuid\[0\] in CPU feature f/],
  ['directory model without <decode>', () => dirMap(`<model name='NoDecode'><model name='Nehalem'/></model>`), /missing decode element in CPU model NoDecode/],
  ['missing include', () => { const d = dirMap(''); file(d, 'index.xml', `<cpus><arch name='x86'><include filename='gone.xml'/></arch></cpus>`); return d; }, /gone\.xml': no such file or directory/],
  ['huge file', () => file(tempDir(), 'huge.xml', Buffer.alloc(MAX_MAP_FILE_BYTES + 1, 0x20)), /is too large/],
  ['an include that leaves the directory', () => indexIncluding(['../../etc/passwd']), /includes '\.\.\/\.\.\/etc\/passwd', which is outside the map's directory .*: refused, not read/],
  ['an include through a link that leaves the directory', () => { const d = indexIncluding(['x86_link.xml']); symlinkSync('/etc/passwd', join(d, 'x86_link.xml')); return d; }, /includes 'x86_link\.xml', which is outside the map's directory/],
  ['the same include twice', () => { const d = indexIncluding(['x86_a.xml', 'x86_a.xml']); file(d, 'x86_a.xml', '<cpus/>'); return d; }, /x86_a\.xml' is included more than once; the map was not loaded/],
  ['too many includes', () => {
    const names = Array.from({ length: MAX_MAP_INCLUDES + 1 }, (_, i) => `f${i}.xml`);
    const d = indexIncluding(names);
    for (const n of names) file(d, n, '<cpus/>');
    return d;
  }, new RegExp(`has more than ${MAX_MAP_INCLUDES} includes; the map was not loaded`)],
  ['includes over the total byte limit', () => {
    const per = MAX_MAP_FILE_BYTES - 64;
    const names = Array.from({ length: Math.ceil(MAX_MAP_TOTAL_BYTES / per) + 1 }, (_, i) => `big${i}.xml`);
    const d = indexIncluding(names);
    const body = Buffer.concat([Buffer.from('<cpus>'), Buffer.alloc(per - 13, 0x20), Buffer.from('</cpus>')]);
    for (const n of names) file(d, n, body);
    return d;
  }, new RegExp(`takes the map over ${MAX_MAP_TOTAL_BYTES} bytes read in all`)],
];

/** A directory map whose x86 arch includes `names`, in order. */
function indexIncluding(names: string[]): string {
  const dir = tempDir();
  file(dir, 'index.xml', `<cpus><arch name='x86'>${names.map((n) => `<include filename='${n}'/>`).join('')}</arch></cpus>`);
  return dir;
}

test('a foreign file reached by an include is neither read nor quoted', () => {
  const outside = file(tempDir(), 'secret.xml', `<cpus><arch name='x86'><feature name='SECRET-TOKEN-1234'/></arch></cpus>`);
  const dir = indexIncluding([`..${outside.slice(outside.lastIndexOf('/', outside.lastIndexOf('/') - 1))}`, '../../etc/passwd']);
  const cat = loadWith(dir);
  assert.equal(cat.problems.length, 1);
  assert.doesNotMatch(cat.problems[0].message, /SECRET|root:/);
  assert.equal(cat.feature('SECRET-TOKEN-1234'), undefined);
});

test('catalogs are cached per cpu_map setting, the most recently used few only', () => {
  const settings = (name: string) => normalizeSettings({ useHostCpuMap: false, cpuMapPath: join(tempDir(), name) });
  const first = settings('a.xml');
  const a = getKnowledge(first).catalog;
  assert.equal(getKnowledge(first).catalog, a, 'the same setting reuses the catalog');
  // Fill the cache: `first` and MAX_CATALOGS - 1 others.
  const others = Array.from({ length: MAX_CATALOGS - 1 }, (_, i) => settings(`o${i}.xml`));
  const otherCatalogs = others.map((s) => getKnowledge(s).catalog);
  // `first` used again is the most recent; one more setting evicts the least recent, others[0].
  assert.equal(getKnowledge(first).catalog, a);
  getKnowledge(settings('new.xml'));
  assert.equal(getKnowledge(first).catalog, a, 'the recently used one stays');
  assert.notEqual(getKnowledge(others[0]).catalog, otherCatalogs[0], 'the least recently used was dropped and is loaded anew');
  for (let i = 0; i < MAX_CATALOGS; i++) getKnowledge(settings(`more${i}.xml`));
  assert.notEqual(getKnowledge(first).catalog, a, 'after MAX_CATALOGS other settings it is gone too');
});

for (const [what, make, message] of BROKEN) {
  test(`broken user map (${what}) is a problem, and the bundled catalog still loads`, () => {
    const path = make();
    const cat = loadWith(path);
    assert.equal(cat.problems.length, 1);
    assert.match(cat.problems[0].message, message);
    assert.ok(cat.problems[0].file.startsWith(path), `${cat.problems[0].file} names ${path}`);
    assert.equal(cat.models('x86').length, BUNDLED_X86);
    assert.equal(cat.baseline([{ model: 'Haswell', vendor: 'Intel', features: [] }]).model, 'Haswell');
  });
}

test('a broken layer between good ones is skipped as a whole; the good ones still apply', () => {
  const good1 = file(tempDir(), 'g1.xml', `<cpus><arch name='x86'><model name='Good1'><model name='Nehalem'/><feature name='vmx'/></model></arch></cpus>`);
  // Half-good: the first model is fine, the second is broken, so none of the file applies.
  const bad = file(tempDir(), 'bad.xml', `<cpus><arch name='x86'><model name='Half'><model name='Nehalem'/></model><model name='Broken'><model name='Nope'/></model></arch></cpus>`);
  const good2 = file(tempDir(), 'g2.xml', `<cpus><arch name='x86'><model name='Good2'><model name='Good1'/></model></arch></cpus>`);
  const cat = loadWith(good1, bad, good2);
  assert.deepEqual(cat.problems.map((p) => p.file), [bad]);
  assert.equal(cat.model('Half'), undefined);
  assert.ok(cat.model('Good1') && cat.model('Good2'));
  assert.equal(cat.model('Good2')!.features.length, cat.model('Nehalem')!.features.length + 1);
});

test('host map: directory preferred over the legacy single file; layered over bundled', () => {
  const data = tempDir();
  assert.equal(hostMapPath(data), undefined);
  let cat = loadCpuCatalog({ useHostMap: true, extraPaths: [], hostDataDir: data });
  assert.deepEqual(cat.problems, [], 'no host map is not a problem');
  assert.equal(cat.models('x86').length, BUNDLED_X86);

  // A CentOS 7 style host: only /usr/share/libvirt/cpu_map.xml, with an admin's model appended.
  const legacy = readFileSync(join(FIXTURES, 'cpu_map-v1.2.17.xml'), 'utf8')
    .replace(`</arch>`, `<model name='SandyBridge-vmx'><model name='SandyBridge'/><feature name='vmx'/></model></arch>`);
  file(data, 'cpu_map.xml', legacy);
  assert.equal(hostMapPath(data), join(data, 'cpu_map.xml'));
  cat = loadCpuCatalog({ useHostMap: true, extraPaths: [], hostDataDir: data });
  assert.deepEqual(cat.problems, []);
  assert.equal(cat.model('SandyBridge-vmx')!.features.length, 39);
  assert.equal(cat.model('SandyBridge')!.origin, join(data, 'cpu_map.xml'), 'host definitions override bundled ones');
  assert.equal(cat.model('EPYC-Rome')!.origin, 'bundled', 'models the host lacks stay available');
  assert.equal(loadCpuCatalog({ useHostMap: false, extraPaths: [], hostDataDir: data }).model('SandyBridge-vmx'), undefined);

  // The split directory wins once present.
  mkdirSync(join(data, 'cpu_map'));
  copyFileSync(join(FIXTURES, 'cpu_map-v4.5.0.xml'), join(data, 'cpu_map', 'index.xml'));
  assert.equal(hostMapPath(data), join(data, 'cpu_map'));
  cat = loadCpuCatalog({ useHostMap: true, extraPaths: [], hostDataDir: data, bundled: false });
  assert.deepEqual(cat.problems, []);
  assert.equal(cat.models('x86').length, 45);

  // A broken host map falls back to bundled.
  file(join(data, 'cpu_map'), 'index.xml', 'garbage');
  cat = loadCpuCatalog({ useHostMap: true, extraPaths: [], hostDataDir: data });
  assert.equal(cat.problems.length, 1);
  assert.match(cat.problems[0].message, /cannot parse CPU map '.*cpu_map\/index\.xml'/);
  assert.equal(cat.models('x86').length, BUNDLED_X86);
});

test("this machine's real host map, if it has one (libvirt 9.0.0 on Debian bookworm)", (t) => {
  const path = hostMapPath();
  const cat = loadCpuCatalog({ useHostMap: true, extraPaths: [] });
  assert.deepEqual(cat.problems, [], 'the host map must load cleanly');
  if (!path) {
    t.diagnostic('no /usr/share/libvirt cpu_map on this machine: only the bundled map is checked');
    assert.equal(cat.models('x86').length, BUNDLED_X86);
    return;
  }
  const hostOnly = loadCpuCatalog({ useHostMap: true, extraPaths: [], bundled: false });
  assert.deepEqual(hostOnly.problems, []);
  assert.ok(hostOnly.models('x86').length >= 40);
  // Every host model is in the layered catalog, with the host's definition.
  for (const m of hostOnly.models('x86')) assert.equal(cat.model(m.name)?.origin, path);
  assert.ok(cat.models('x86').length >= BUNDLED_X86);
});
