// The migration advisor against libvirt's recorded baselines (128 host sets, libvirt 12.8.0 on hosts/,
// libvirt 9.0.0 on hosts-libvirt-9.0.0/ when this machine's map is 9.0's), and properties every
// recommendation must have: each host runs it (nova-compute checks every model plus every flag).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadCpuCatalog, hostMapPath } from '../../server/src/knowledge/cpumap/load';
import { advise } from '../../server/src/advise/advisor';
import { hostsFromText } from '../../server/src/advise/hostFiles';
import type { Advice } from '../../server/src/advise/types';
import type { CpuCatalog } from '../../server/src/knowledge/cpumap/types';
import { hostSetFiles, readTsv } from './cpumap.support';

const sets = readTsv('oracle-baseline.tsv').filter((r) => r.kind !== 'domcaps-hostmodel');
const bundled = loadCpuCatalog({ useHostMap: false, extraPaths: [] });

function adviceFor(files: string[], catalog: CpuCatalog): Advice {
  return advise(files.flatMap((f) => hostsFromText(f, readFileSync(f, 'utf8'))), catalog);
}

/** The advisor's baseline in the oracle's plain-output notation: model|vendor|listed features|fallback, or the error. */
function plain(a: Advice): string {
  const b = a.fleet.baseline;
  if ('error' in b) return `error: ${b.error}`;
  const listed = [...b.require, ...b.disable.map((d) => `-${d}`)].sort((x, y) => (x.replace(/^-/, '') < y.replace(/^-/, '') ? -1 : 1));
  return `${b.model}|${b.vendor ?? ''}|${listed.join(',')}|${b.fallback}`;
}

function agreement(prefix: string, dir: 'hosts' | 'hosts-libvirt-9.0.0', catalog: CpuCatalog, vendorCol: string): { agree: number; disagree: string[] } {
  const disagree: string[] = [];
  for (const r of sets) {
    const want = r[`${prefix}status`] === 'ok'
      ? `${r[`${prefix}nofeatures_model`]}|${r[vendorCol]}|${r[`${prefix}nofeatures_extra`]}|${r[`${prefix}fallback`]}`
      : r[`${prefix}status`];
    const got = plain(adviceFor(hostSetFiles(r.hosts, dir), catalog));
    if (got !== want) disagree.push(`${r.set_id}: got ${got.slice(0, 200)}\n  want ${want.slice(0, 200)}`);
  }
  return { agree: sets.length - disagree.length, disagree };
}

test('advisor = libvirt 12.8.0 cpu-baseline on every recorded set (model, vendor, listed features, fallback, errors)', () => {
  assert.equal(sets.length, 125); // 128 minus the 3 domcaps-hostmodel sets libvirt itself cannot read
  const { agree, disagree } = agreement('v12.8.0_', 'hosts', bundled, 'v12.8.0_vendor');
  console.log(`# advisor vs recorded libvirt 12.8.0: ${agree}/${sets.length} agree`);
  assert.deepEqual(disagree, []);
});

test('advisor = libvirt 9.0.0 cpu-baseline on the 9.0 host descriptions, with the 9.0 map', (t) => {
  const map = hostMapPath();
  const catalog = map && loadCpuCatalog({ useHostMap: true, bundled: false, extraPaths: [] });
  // The 9.0 columns need libvirt 9.0's own cpu_map (Debian bookworm's libvirt-clients).
  const probe = catalog && adviceFor(hostSetFiles('hosts/Xeon-Gold-6148.xml', 'hosts-libvirt-9.0.0'), catalog);
  if (!catalog || !probe || probe.cpu_models[0] !== 'Skylake-Server') {
    if (process.env.CI_REQUIRE_ORACLES === '1') assert.fail(`no libvirt 9.0 cpu_map at ${map ?? '/usr/share/libvirt'}`);
    t.skip('this machine has no libvirt 9.0 cpu_map');
    return;
  }
  const { agree, disagree } = agreement('v9.0.0_', 'hosts-libvirt-9.0.0', catalog, 'v9.0.0_vendor');
  console.log(`# advisor vs recorded libvirt 9.0.0: ${agree}/${sets.length} agree`);
  assert.deepEqual(disagree, []);
});

test('the 3 domcapabilities host-model sets are refused in libvirt\'s words, as virsh cpu-baseline refuses them', () => {
  for (const r of readTsv('oracle-baseline.tsv').filter((s) => s.kind === 'domcaps-hostmodel')) {
    assert.equal(r['v12.8.0_status'], 'error: XML error: Missing CPU architecture');
    assert.throws(() => adviceFor(hostSetFiles(r.hosts), bundled), /XML error: Missing CPU architecture/, r.set_id);
  }
});

test('every recommendation runs on every host of its domain: the model\'s features and every + flag are the host\'s', () => {
  let checked = 0;
  for (const r of sets) {
    const a = adviceFor(hostSetFiles(r.hosts), bundled);
    for (const h of a.hosts) {
      const models = h.change.models ?? [];
      if (!models.length) continue;
      const u = h.models[models[0]];
      // usable, or lacking only what the flags disable
      const minus = new Set((h.change.extraFlags ?? []).filter((f) => f.startsWith('-')).map((f) => f.slice(1)));
      assert.deepEqual(u.blockers.filter((b) => !minus.has(b)), [], `${r.set_id} ${h.name}: ${models[0]}`);
      // The host's whole feature set: its model's plus the ones listed on top.
      const [cpu] = hostsFromText('h.xml', readFileSync(hostSetFiles(r.hosts)[a.hosts.indexOf(h)], 'utf8'));
      const has = new Set([...(bundled.model(cpu.cpu.model)?.features ?? []), ...cpu.cpu.features]);
      for (const f of (h.change.extraFlags ?? []).filter((x) => !x.startsWith('-'))) assert.ok(has.has(f), `${r.set_id} ${h.name} lacks ${f}`);
      checked++;
    }
  }
  assert.ok(checked > 200, `${checked} host rows checked`);
});
