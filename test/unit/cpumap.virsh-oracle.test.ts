// LIVE oracle: our baseline on the host's own map (libvirt 9.0.0 on Debian bookworm) against
// `virsh -c test:///default cpu-baseline` run now on the same host sets. The test driver runs offline.
// Without virsh this test skips, unless CI_REQUIRE_ORACLES=1, where a missing oracle is a failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadCpuCatalog, hostMapPath } from '../../server/src/knowledge/cpumap/load';
import { parseXml } from '../../server/src/knowledge/cpumap/xmlTree';
import { FIXTURES, hostSetFiles, hostSetText, loadHosts, outcome, readTsv } from './cpumap.support';

const run = promisify(execFile);
const REQUIRED = process.env.CI_REQUIRE_ORACLES === '1';

async function virshVersion(): Promise<string | undefined> {
  try {
    return (await run('virsh', ['--version'])).stdout.trim();
  } catch {
    return undefined;
  }
}

/** virsh's answer in our outcome notation (see cpumap.support.ts outcome()). */
async function virshBaseline(setFile: string): Promise<string> {
  try {
    const { stdout } = await run('virsh', ['-c', 'test:///default', 'cpu-baseline', setFile, '--features']);
    const cpu = parseXml(stdout);
    assert.ok(typeof cpu !== 'string', `virsh printed unparsable XML: ${stdout}`);
    const model = cpu.children.find((c) => c.name === 'model');
    const vendor = cpu.children.find((c) => c.name === 'vendor')?.text?.trim() ?? '';
    const features = cpu.children
      .filter((c) => c.name === 'feature')
      .map((f) => ({ n: f.attrs.name, s: f.attrs.policy === 'disable' ? `-${f.attrs.name}` : f.attrs.name }))
      .sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0))
      .map((f) => f.s);
    return `ok|${model?.text?.trim()}|${vendor}|${features.join(',')}|${model?.attrs.fallback}`;
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr;
    if (stderr === undefined) throw e;
    return stderr.trim().replace(/^error: /, 'error: ');
  }
}

interface HostSet {
  id: string;
  files: string[];
}

/** The recorded sets (on their 9.0 host files), whole-vendor fleets, seeded random mixes, error cases. */
function hostSets(): HostSet[] {
  const sets: HostSet[] = readTsv('oracle-baseline.tsv')
    .filter((r) => r.kind !== 'domcaps-hostmodel')
    .map((r) => ({ id: r.set_id, files: hostSetFiles(r.hosts, 'hosts-libvirt-9.0.0') }));
  const dir = join(FIXTURES, 'hosts-libvirt-9.0.0');
  const all = readdirSync(dir).filter((f) => f.endsWith('.xml')).sort().map((f) => join(dir, f));
  const byVendor = (v: string) => all.filter((f) => loadHosts([f])[0].vendor === v);
  sets.push({ id: 'all-Intel', files: byVendor('Intel') }, { id: 'all-AMD', files: byVendor('AMD') });
  let seed = 12345;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let i = 0; i < 30; i++) {
    const pool = i % 3 === 0 ? byVendor('AMD') : byVendor('Intel');
    const size = 2 + rnd(4);
    sets.push({ id: `mix-${i}`, files: Array.from({ length: size }, () => pool[rnd(pool.length)]) });
  }
  // 9.0 cannot read the 11.3 files' versioned names; Intel + AMD never baseline.
  sets.push({ id: 'versioned-name', files: hostSetFiles('hosts/Xeon-Gold-6148.xml') });
  sets.push({ id: 'intel+amd', files: [join(dir, 'Xeon-E5-2650-v3.xml'), join(dir, 'EPYC-7601-32-Core.xml')] });
  return sets;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
}

test('live: baseline on the host map equals `virsh cpu-baseline --features` (libvirt 9.0.0)', async (t) => {
  const version = await virshVersion();
  const map = hostMapPath();
  const missing = !version ? 'virsh is not installed (apt install libvirt-clients)' : !map ? 'no /usr/share/libvirt cpu_map (apt install libvirt-clients pulls it in)' : undefined;
  if (missing) {
    if (REQUIRED) assert.fail(`CI_REQUIRE_ORACLES=1 but ${missing}`);
    t.skip(`${missing}; set CI_REQUIRE_ORACLES=1 to make this a failure`);
    return;
  }
  const catalog = loadCpuCatalog({ useHostMap: true, bundled: false, extraPaths: [] });
  assert.deepEqual(catalog.problems, []);
  const scratch = mkdtempSync(join(tmpdir(), 'cpumap-virsh-'));
  const sets = hostSets();
  const results = await mapLimit(sets, 4, async (set) => {
    const file = join(scratch, `${set.id}.xml`);
    writeFileSync(file, hostSetText(set.files));
    const ours = outcome(() => catalog.baseline(loadHosts(set.files)));
    return { id: set.id, ours, theirs: await virshBaseline(file) };
  });
  const disagree = results.filter((r) => r.ours !== r.theirs).map((r) => `${r.id}:\n  ours  ${r.ours}\n  virsh ${r.theirs}`);
  t.diagnostic(`virsh ${version} on ${map}: ${results.length - disagree.length}/${results.length} sets agree`);
  console.log(`# live virsh ${version}: ${results.length - disagree.length}/${results.length} sets agree`);
  assert.ok(results.length >= 20);
  assert.ok(results.some((r) => r.theirs.startsWith('error:')), 'error cases are compared too');
  assert.deepEqual(disagree, []);
});

test('recorded libvirt 9.0.0 oracle (v9.0.0_* columns) on the host map, when the host runs 9.0.0', async (t) => {
  const version = await virshVersion();
  if (version !== '9.0.0' || !hostMapPath()) {
    const why = `the recorded 9.0.0 results need libvirt 9.0.0's map (virsh: ${version ?? 'missing'})`;
    if (REQUIRED && !version) assert.fail(`CI_REQUIRE_ORACLES=1 but ${why}`);
    t.skip(why);
    return;
  }
  const catalog = loadCpuCatalog({ useHostMap: true, bundled: false, extraPaths: [] });
  const rows = readTsv('oracle-baseline.tsv');
  const disagree = rows.filter((r) => {
    const want = r['v9.0.0_status'] === 'ok' ? `ok|${r['v9.0.0_model']}|${r['v9.0.0_vendor']}|${r['v9.0.0_features']}|${r['v9.0.0_fallback']}` : r['v9.0.0_status'];
    return outcome(() => catalog.baseline(loadHosts(hostSetFiles(r.hosts, 'hosts-libvirt-9.0.0')))) !== want;
  });
  console.log(`# recorded libvirt 9.0.0: ${rows.length - disagree.length}/${rows.length} agree`);
  assert.deepEqual(disagree.map((r) => r.set_id), []);
});
