/**
 * Differential tests against Nova itself (Debian's python3-nova, Nova 26 Zed): generated configs
 * must get the same oslo.config value errors from us (under release zed) as from
 * nova.conf.CONF, and our cpuset parser must agree with nova.virt.hardware.parse_cpu_spec.
 * Without python3-nova they skip, unless CI_REQUIRE_ORACLES=1, where they fail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuList, parseNovaCpuset } from '../../server/src/cpuset/novaCpuset';
import { novaCatalog } from '../../server/src/knowledge/nova/catalog';
import { resolveRelease } from '../../server/src/knowledge/nova/releases';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { check, knowledgeFor, novaOracleAvailable, runNovaOracle } from '../fixtures/novaconf/helpers';

const available = novaOracleAvailable();
const required = process.env.CI_REQUIRE_ORACLES === '1';
const skip = available ? false : required ? false : 'python3-nova is not installed (apt install python3-nova; run with /usr/bin/python3)';

function requireOracle() {
  if (!available) assert.fail('CI_REQUIRE_ORACLES=1 but python3-nova is not importable by /usr/bin/python3');
}

/** A small deterministic PRNG, so failures reproduce. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] };
}

const CPUSET_TOKENS = [
  '0', '1', '2', '3', '5', '8', '12', '15', '0-3', '4-12', '2-2', '3-1', '^2', '^8', '^0-1', '^3-5', ' 4 ', ' 1 - 3 ', '^ 3',
  '+3', '010', '1_0', '1__0', '٣', '0x10', '-1', '1 2', '1-3-', '^', '^2^', '--13', '', ' ', 'b', '^c', '1.5', '0-', '-',
];

test('cpusets: ours equals nova.virt.hardware.parse_cpu_spec on generated specs', { skip }, () => {
  requireOracle();
  const r = rng(7);
  const specs = [
    '1-3,5,^2', ', ,   1 ,  ,,  2,    ,', ' 1 - 1, 1 - 2 , 1 -3', '^0-1', '0-3,^1-2', '3 - 1', '--13', '1-3,b', '^c',
    '^8,4-12', '4-12,^8', '0-1,^0,^1', ',', '^3', '',
  ];
  while (specs.length < 400) {
    const n = 1 + Math.floor(r.next() * 5);
    specs.push(Array.from({ length: n }, () => r.pick(CPUSET_TOKENS)).join(r.next() < 0.2 ? ' ,' : ','));
  }
  const oracle = runNovaOracle<Array<{ cpus?: number[]; error?: string }>>({ mode: 'cpuset', specs });
  let agree = 0;
  const disagreements: string[] = [];
  specs.forEach((spec, i) => {
    const ours = parseNovaCpuset(spec);
    const mine = ours.ok ? { cpus: cpuList(ours.cpus) } : { error: ours.error };
    if (JSON.stringify(mine) === JSON.stringify(oracle[i])) agree++;
    else disagreements.push(`${JSON.stringify(spec)}: ours ${JSON.stringify(mine)}, Nova ${JSON.stringify(oracle[i])}`);
  });
  console.log(`cpuset agreement with Nova 26: ${agree}/${specs.length}`);
  assert.deepEqual(disagreements, []);
});

const VALUE_POOL: Record<string, string[]> = {
  str: ['x', '', "'quoted'", '"q"'],
  choice: ['%c', '%C', '%c # note', '"%c"', '', 'maximum', ' %c'],
  int: ['0', '5', '-1', '40', 'abc', '1_0', '+3', '1.5', '', '"7"', '99999', '010', '3 # x'],
  float: ['0', '1.5', '-1', 'abc', 'inf', '1e3', '', '.5', '1_0.5', 'nan'],
  bool: ['true', 'False', 'Yes', 'off', '1', 'maybe', '', 'TRUE', 'y'],
  list: ['a,b', 'a,,b', 'a,', '', 'Haswell, IvyBridge'],
};

test('values: our oslo.config errors under zed equal nova.conf.CONF on generated configs', { skip }, () => {
  requireOracle();
  const r = rng(42);
  const catalog = novaCatalog(resolveRelease('zed').release);
  // Our catalog's options, plus every other Nova option oslo.config can reject (as Zed defines it).
  const zedChecks = (JSON.parse(readFileSync('server/data/nova-options.json', 'utf8')) as { zedChecks: Record<string, Record<string, unknown>> }).zedChecks;
  const others = Object.entries(zedChecks).flatMap(([g, names]) => Object.keys(names).map((n) => catalog.checkedElsewhere(g === 'DEFAULT' ? g : g.toLowerCase(), n)!))
    .filter((o) => !catalog.option(o.group, o.name));
  const options = [...catalog.groups().flatMap((g) => catalog.options(g)), ...others].filter((o) => o.type !== 'multi' && o.type !== 'host');
  const files: string[] = [];
  while (files.length < 300) {
    const byGroup = new Map<string, string[]>();
    for (let k = 0; k < 12; k++) {
      const o = r.pick(options);
      const pool = o.choices && o.type !== 'int' ? VALUE_POOL.choice : VALUE_POOL[o.type];
      const choice = o.choices ? String(r.pick(o.choices).value ?? 'None') : '';
      const value = r.pick(pool).replace('%c', choice).replace('%C', choice.toUpperCase());
      const lines = byGroup.get(o.group) ?? [];
      lines.push(`${o.name} = ${value}`);
      if (r.next() < 0.05) lines.push('  continued');
      byGroup.set(o.group, lines);
    }
    let text = [...byGroup].map(([g, lines]) => `[${g}]\n${lines.join('\n')}\n`).join('\n');
    // Now and then a line oslo.config cannot parse: then Nova reads nothing, and neither must we judge values.
    if (r.next() < 0.1) text += r.pick(['no separator here\n', '[libvirt\n', '[]\n', ' = value\n', '\n  orphan continuation\n']);
    if (r.next() < 0.03) text = `stray = 1\n${text}`;
    // Old names oslo.config still reads, sometimes next to the new one (then the new one wins).
    if (r.next() < 0.15) text += `\n[libvirt]\ncpu_model = Haswell\n${r.next() < 0.5 ? 'cpu_models = IvyBridge\n' : ''}`;
    if (r.next() < 0.15) text += `\n[libvirt]\n${r.pick(['iscsi_use_multipath = maybe', 'iscsi_use_multipath = true', 'num_iscsi_scan_tries = x', 'iscsi_transport = tcp'])}\n`;
    files.push(text);
  }
  const request = options.map((o) => [o.group, o.name]);
  const oracle = runNovaOracle<Array<{ parse_error: string | null; errors: Record<string, string>; deprecated: string[]; unregistered: string[] }>>({ mode: 'values', files, options: request });
  const DEPRECATION_CODES = new Set(['nova/deprecated-option', 'nova/deprecated-for-removal', 'nova/vcpu-pin-set-deprecated', 'nova/vcpu-pin-set-with-shared', 'nova/vcpu-pin-set-with-dedicated']);
  let deprecationsSeen = 0;
  const VALUE_CODES = new Set(['nova/invalid-choice', 'nova/invalid-number', 'nova/out-of-range', 'nova/invalid-boolean', 'nova/invalid-value']);
  let agreeFiles = 0;
  let errorsSeen = 0;
  const disagreements: string[] = [];
  files.forEach((text, i) => {
    const c = check(text, 'zed');
    const ours: Record<string, string> = {};
    for (const f of c.findings) {
      if (!VALUE_CODES.has(f.code)) continue;
      const entry = c.model.scan.entries.find((e) => e.line <= f.range.start.line && f.range.start.line <= e.lastLine)!;
      // Nova names a value read through an old name by the option's current name.
      const target = c.model.catalog.aliasTarget(entry.section!.group, entry.key);
      const key = `${entry.section!.group}.${target?.name ?? entry.key}`;
      if (!oracle[i].unregistered.includes(key)) ours[key] = f.upstream!;
    }
    const theirs = oracle[i].errors;
    errorsSeen += Object.keys(theirs).length;
    const sort = (o: Record<string, string>) => JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
    // Deprecation warnings: oslo.config logs one when a deprecated option (or old name) is read.
    const where = (f: { range: { start: { line: number } } }) => c.model.scan.entries.find((e) => e.line === f.range.start.line)!;
    // An old name next to the new one is not read, so Nova does not warn about it (we still flag it).
    const read = c.findings.filter((f) => DEPRECATION_CODES.has(f.code) && !(f.code === 'nova/deprecated-option' && f.tags?.includes('unnecessary')));
    const ourDeprecated = [...new Set(read.map((f) => `${where(f).section!.group}.${where(f).key}`))].sort();
    // Nova warns about the old name only when it is the one read (the new name not set).
    // We know the deprecations of our catalog's options only.
    const theirDeprecated = oracle[i].deprecated.filter((k) => { const [g, n] = k.split('.'); return !!catalog.option(g, n) || !!catalog.aliasTarget(g, n); });
    deprecationsSeen += theirDeprecated.length;
    // A parse error stops Nova from reading any value; we still judge the values (they will bite
    // once the line is fixed), so then only the parse error itself is compared.
    const parseAgrees = !!oracle[i].parse_error === c.model.scan.problems.length > 0;
    const same = sort(ours) === sort(theirs) && JSON.stringify(ourDeprecated) === JSON.stringify(theirDeprecated);
    if (parseAgrees && (oracle[i].parse_error || same)) agreeFiles++;
    else disagreements.push(`file ${i}:\n${text}\nours ${sort(ours)} ${JSON.stringify(ourDeprecated)}\nNova ${sort(theirs)} ${JSON.stringify(theirDeprecated)} ${oracle[i].parse_error ?? ''}`);
  });
  console.log(`value-error and deprecation agreement with Nova 26: ${agreeFiles}/${files.length} configs (${errorsSeen} value errors, ${deprecationsSeen} deprecation warnings from Nova)`);
  assert.deepEqual(disagreements, []);
});

/**
 * The model names libvirt would report to Nova: an x86 cpu_map directory (the shared reference
 * copy, else the host's), else the names of our bundled map.
 */
function modelNameSource(): { cpu_map: string } | { model_names: string[] } {
  const sharedMap = resolve(__dirname, '../../../shared/data/cpu_map');
  for (const dir of [sharedMap, '/usr/share/libvirt/cpu_map']) if (existsSync(`${dir}/index.xml`)) return { cpu_map: dir };
  return { model_names: knowledgeFor('zed').catalog.models('x86').map((m) => m.name) };
}

/** Codes of the two config-only start-up checks, and which Nova check each belongs to. */
const CPUSET_CHECK = new Set(['nova/cpuset-syntax', 'nova/cpuset-empty', 'nova/cpuset-overlap', 'nova/reserved-host-cpus-with-cpusets', 'nova/vcpu-pin-set-with-dedicated']);
const CPU_CHECK = new Set(['nova/cpu-mode-needs-kvm-qemu', 'nova/cpu-models-without-custom', 'nova/custom-without-models', 'nova/unknown-cpu-model']);

test('start-up checks: our errors contain what _check_cpu_set_configuration and _check_cpu_compatibility raise (zed)', { skip }, () => {
  requireOracle();
  const r = rng(99);
  const maybe = (key: string, values: string[]) => {
    // Half the options unset, so that many configs pass and the "no false errors" side is tested too.
    return r.next() < 0.5 ? '' : `${key} = ${r.pick(values)}\n`;
  };
  const files: string[] = [];
  while (files.length < 300) {
    const modelsKey = r.next() < 0.15 ? 'cpu_model' : 'cpu_models';
    const libvirt = maybe('virt_type', ['kvm', 'qemu', 'lxc', 'parallels']) + maybe('cpu_mode', ['host-model', 'host-passthrough', 'custom', 'none', 'custom'])
      + maybe(modelsKey, ['', 'Haswell', 'haswell,IvyBridge', 'Foo', 'Nehalem, Skylake-Client', 'SandyBridge, Foo', 'penryn'])
      + maybe('cpu_model_extra_flags', ['vmx', '+pcid,-ssbd', 'PCID']);
    const compute = maybe('cpu_shared_set', ['', '0-3', '2-5', '4-7,^5', '0-1,^0,^1', '8', 'x']) + maybe('cpu_dedicated_set', ['', '0-3', '4-7', '6-9,^6-9', '3', '1-0']);
    const dflt = maybe('vcpu_pin_set', ['', '0-3', '4-12,^8', '^3']) + maybe('reserved_host_cpus', ['0', '2']);
    const workarounds = maybe('skip_cpu_compare_at_startup', ['True', 'False']);
    files.push(`[DEFAULT]\n${dflt}\n[libvirt]\n${libvirt}\n[compute]\n${compute}\n[workarounds]\n${workarounds}`);
  }
  const oracle = runNovaOracle<Array<{ value_error: string | null; cpuset: string | null; cpu: string | null }>>({ mode: 'startup', files, ...modelNameSource() });
  let agree = 0;
  let raised = 0;
  const disagreements: string[] = [];
  files.forEach((text, i) => {
    const c = check(text, 'zed');
    const errors = (codes: Set<string>) => new Set(c.findings.filter((f) => codes.has(f.code) && f.severity === 'error').map((f) => f.upstream));
    const nova = oracle[i];
    const fits = (theirs: string | null, ours: Set<string | undefined>) => (theirs === null ? ours.size === 0 : ours.has(theirs));
    let ok: boolean;
    if (nova.value_error) ok = c.findings.some((f) => f.upstream === nova.value_error);
    else ok = fits(nova.cpuset, errors(CPUSET_CHECK)) && fits(nova.cpu, errors(CPU_CHECK));
    raised += Number(!!(nova.value_error || nova.cpuset || nova.cpu));
    if (ok) agree++;
    else disagreements.push(`file ${i}:\n${text}\nNova ${JSON.stringify(nova)}\nours ${JSON.stringify(c.findings.map((f) => [f.code, f.upstream]))}`);
  });
  console.log(`start-up check agreement with Nova 26: ${agree}/${files.length} configs (Nova raised on ${raised})`);
  assert.deepEqual(disagreements, []);
});
