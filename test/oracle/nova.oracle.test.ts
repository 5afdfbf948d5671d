/**
 * Differential tests against Nova itself (Debian's python3-nova, Nova 26 Zed): generated configs
 * must get the same oslo.config value errors from us (under release zed) as from
 * nova.conf.CONF, and our cpuset parser must agree with nova.virt.hardware.parse_cpu_spec.
 * Without python3-nova they skip, unless CI_REQUIRE_ORACLES=1, where they fail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuList, parseNovaCpuset } from '../../server/src/cpuset/novaCpuset';
import { upstreamTexts } from '../../server/src/core/findings';
import { novaCatalog } from '../../server/src/knowledge/nova/catalog';
import { check as oslo, type OsloType } from '../../server/src/knowledge/nova/osloTypes';
import { zedOptions } from '../../server/src/knowledge/nova/zed';
import { resolveRelease } from '../../server/src/knowledge/nova/releases';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { check, knowledgeFor, novaOracleAvailable, runNovaOracle } from '../fixtures/novaconf/helpers';
import { multiEntries } from '../../server/src/novaconf/rules/values';

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

/** Values for an oslo.config type: valid ones, invalid ones, and the edges (case, quotes, whitespace, bounds, separators). */
function valuesFor(t: OsloType, r: ReturnType<typeof rng>): string[] {
  switch (t.k) {
    case 'str': {
      if (t.c) {
        const c = String(r.pick(t.c) ?? 'None');
        return [c, c.toUpperCase(), `${c} # note`, `"${c}"`, '', 'maximum', ` ${c}`, `${c},${c}`];
      }
      if (t.re) return ['hour', 'day@3', 'year@', 'a:b:c', 'a:b', '1:2', '1:x', 'ok-name.1', 'bad name', '', 'HOUR'];
      return ['x', '', "'quoted'", '"q"', 'a'.repeat(256), 'é'];
    }
    case 'bool': return ['true', 'False', 'Yes', 'off', '1', 'maybe', '', 'TRUE', 'y', ' on '];
    case 'int': case 'port': {
      const edges = [t.min, t.max].filter((v): v is number => v !== undefined).flatMap((v) => [v - 1, v, v + 1].map(String));
      const choices = t.c ? t.c.map(String) : [];
      return ['0', '5', '-1', 'abc', '1_0', '+3', '1.5', '', '"7"', '99999', '010', '3 # x', '70000', '2147483648', ...edges, ...choices];
    }
    case 'float': return ['0', '1.5', '-1', 'abc', 'inf', '1e3', '', '.5', '1_0.5', 'nan', ...[t.min, t.max].filter((v) => v !== undefined).map((v) => String(v! - 0.5))];
    case 'list': {
      const items = () => r.pick(valuesFor(t.it, r).filter((v) => !v.includes(',')));
      return [items(), `${items()},${items()}`, `${items()} , ${items()},`, '', ',', `${items()},,${items()}`, 'ec2,osapi_compute,metadata', 'osapi_compute, metadata'];
    }
    case 'dict': return ['a:1', 'a:1,b:2', 'a', ':1', 'a:1,a:2', 'a:b:c', '', 'a:1,', ' k : v ', 'a:1,b',
      // Pieces without a ':' before one with it, and a failing value followed by more pieces.
      'a,b:1', 'a,b,c', 'a , b : c , d', 'a:x,1,b:2', 'a:1,2', 'a,b:x,2,c:3'];
    case 'ip': case 'hostaddress': case 'hostdomain': case 'hostname':
      return ['10.0.0.1', '::1', 'MGMT_IP', 'bad host!', 'host_1', 'a.b.c', '1.2.3', '256.1.1.1', '01.2.3.4', 'fe80::1%eth0', 'h-', '-h', 'a'.repeat(64),
        '$my_ip', 'localhost', 'example.com.', '123', '1.2.3.4.5', '', '::ffff:1.2.3.4', '1::2::3', 'compute-1.example.org', '[::1]'];
    case 'uri':
      return ['http://a/b', 'http://<host_ip>:6080/vnc_auto.html', 'ftp://x/', 'HTTP://x/', 'x', '', 'http:///x', 'http://[::1]:80/', 'http://[fe80::1%eth0]/',
        'http://[fe80::1%25eth0]/', 'http://300.1.1.1/', 'http://h/[x]', 'telnet://h:23', 'https://u:p@h:99999/p?q#f', 'http://:80/', 'http://h/a b', 'http://$my_ip:6080/'];
    case 'multistr': case 'other': return ['x'];
  }
}

/** Python prints a set in hash order; compare the set at the end of a URI scheme error sorted. */
const normalizeSet = (m: string) => m.replace(/\{([^{}]*)\}\)$/, (_all, items: string) => `{${items.split(', ').sort().join(', ')}})`);

test('values: our oslo.config errors and deprecation warnings under zed equal nova.conf.CONF, every group and type', { skip }, () => {
  requireOracle();
  const r = rng(42);
  const catalog = novaCatalog(resolveRelease('zed').release);
  const zed = zedOptions();
  // Every option Nova 26 registers, in every group, with its exact type (our catalog's included).
  const options = zed.groups().flatMap((g) => zed.options(g)).filter((o) => o.type.k !== 'multistr' && o.type.k !== 'other')
    // true makes every deprecation warning fatal (DeprecatedConfig): it would hide the warnings compared here.
    .filter((o) => o.name !== 'fatal_deprecations');
  const files: string[] = [];
  const kinds = new Set<string>();
  while (files.length < 400) {
    const byGroup = new Map<string, string[]>();
    for (let k = 0; k < 12; k++) {
      const o = r.pick(options);
      kinds.add(o.type.k === 'list' ? `list of ${o.type.it.k}` : o.type.k);
      // Sometimes under an old name oslo.config still reads.
      const old = o.deprecated.length && r.next() < 0.2 ? r.pick(o.deprecated) : undefined;
      const lines = byGroup.get(old?.group ?? o.group) ?? [];
      lines.push(`${old?.name ?? o.name} = ${r.pick(valuesFor(o.type, r))}`);
      if (r.next() < 0.05) lines.push('  continued');
      byGroup.set(old?.group ?? o.group, lines);
    }
    let text = [...byGroup].map(([g, lines]) => `[${g}]\n${lines.join('\n')}\n`).join('\n');
    // Now and then a line oslo.config cannot parse: then Nova reads nothing, and neither must we judge values.
    if (r.next() < 0.1) text += r.pick(['no separator here\n', '[libvirt\n', '[]\n', ' = value\n', '\n  orphan continuation\n']);
    if (r.next() < 0.03) text = `stray = 1\n${text}`;
    // Old names oslo.config still reads, sometimes next to the new one (then the new one wins).
    if (r.next() < 0.15) text += `\n[libvirt]\ncpu_model = Haswell\n${r.next() < 0.5 ? 'cpu_models = IvyBridge\n' : ''}`;
    if (r.next() < 0.15) text += `\n[DEFAULT]\n${r.pick(['remove_unused_base_images = maybe', 'vnc_enabled = false', 'image_cache_manager_interval = x'])}\n${r.next() < 0.5 ? '[image_cache]\nremove_unused_base_images = true\n[vnc]\nenabled = true\n' : ''}`;
    files.push(text);
  }
  const request = options.map((o) => [o.group, o.name]);
  const oracle = runNovaOracle<Array<{ parse_error: string | null; errors: Record<string, string>; unregistered: string[]; warnings: string[] }>>({ mode: 'values', files, options: request });
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
      // Nova names a value read through an old name by the option's current name, as our first line does.
      const named = /\[(\w+)\] (\w+) has a value/.exec(f.explanation);
      const key = named ? `${named[1]}.${named[2]}` : `${entry.section!.group}.${entry.key}`;
      if (!oracle[i].unregistered.includes(key)) ours[key] = normalizeSet(f.upstream!);
    }
    const theirs = Object.fromEntries(Object.entries(oracle[i].errors).map(([k, m]) => [k, normalizeSet(m)]));
    errorsSeen += Object.keys(theirs).length;
    const sort = (o: Record<string, string>) => JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
    // Deprecation warnings, word for word: oslo.config logs one when a deprecated option or old name is read.
    // Options that libraries register only at run time (oslo.messaging's, keystoneauth plugins')
    // are not in nova.conf.CONF here: warnings naming one are not comparable.
    const comparable = (w: string) => ![...w.matchAll(/[Oo]ption "([\w-]+)" from group "(\w+)"/g)].some(([, n, g]) => oracle[i].unregistered.includes(`${g}.${n}`));
    const ourWarnings = [...new Set(c.findings.flatMap(upstreamTexts).filter((u) => u.startsWith('Deprecated: ')))].filter(comparable).sort();
    const theirWarnings = oracle[i].warnings.filter(comparable);
    deprecationsSeen += theirWarnings.length;
    // A parse error stops Nova from reading any value; we still judge the values (they will bite
    // once the line is fixed), so then only the parse error itself is compared.
    const parseAgrees = !!oracle[i].parse_error === c.model.scan.problems.length > 0;
    // oslo.config warns once per old name, for whichever option reads it first (read order):
    // the old names must agree, and every warning Nova logged must be ours word for word.
    const oldNames = (ws: string[]) => JSON.stringify([...new Set(ws.map((w) => /Option "([\w-]+)" from group "(\w+)"/.exec(w)!.slice(1).join('@')))].sort());
    const same = sort(ours) === sort(theirs) && oldNames(ourWarnings) === oldNames(theirWarnings) && theirWarnings.every((w) => ourWarnings.includes(w));
    if (parseAgrees && (oracle[i].parse_error || same)) agreeFiles++;
    else disagreements.push(`file ${i}:\n${text}\nours ${sort(ours)} ${JSON.stringify(ourWarnings)}\nNova ${sort(theirs)} ${JSON.stringify(theirWarnings)} ${oracle[i].parse_error ?? ''}`);
  });
  console.log(`value-error and deprecation agreement with Nova 26: ${agreeFiles}/${files.length} configs (${errorsSeen} value errors, ${deprecationsSeen} deprecation warnings from Nova; types: ${[...kinds].sort().join(', ')})`);
  assert.ok(catalog.groups().length > 0);
  assert.deepEqual(disagreements.slice(0, 15), []);
});

/** What a MultiStrOpt line may hold: a value is kept as written (no quotes taken off, no comment cut). */
const MULTI_VALUES = ['x', '', 'a b', '"q"', "'q'", '{"vendor_id": "8086", "product_id": "154d", "name": "a"}', 'x # note', 'é', 'a,b', 'k:v'];

test('multi-valued options: every MultiStrOpt keeps each value, in the order and under the names oslo.config reads them (zed)', { skip }, () => {
  requireOracle();
  const r = rng(7);
  const catalog = novaCatalog(resolveRelease('zed').release);
  const zed = zedOptions();
  const multi = zed.groups().flatMap((g) => zed.options(g)).filter((o) => o.type.k === 'multistr');
  const files: string[] = [];
  while (files.length < 80) {
    const sections: string[] = [];
    for (let k = 0, n = 1 + Math.floor(r.next() * 4); k < n; k++) {
      const o = r.pick(multi);
      // Its own name or an old one oslo.config still reads, each in a section of its own (a group may come twice).
      const lines: string[] = [];
      for (let j = 0, m = 1 + Math.floor(r.next() * 3); j < m; j++) {
        const name = o.deprecated.length && r.next() < 0.35 ? r.pick(o.deprecated) : { group: o.group, name: o.name };
        lines.push(`[${name.group}]\n${name.name} = ${r.pick(MULTI_VALUES)}${r.next() < 0.05 ? '\n  continued' : ''}`);
      }
      sections.push(...lines);
    }
    files.push(`${sections.join('\n')}\n`);
  }
  const oracle = runNovaOracle<Array<{ parse_error: string | null; errors: Record<string, string>; unregistered: string[]; multi: Record<string, string[]> }>>({ mode: 'values', files, options: multi.map((o) => [o.group, o.name]) });
  // Nova gives an unset option its default: compare the options the file sets, under any name.
  const setIn = (text: string, o: (typeof multi)[number]) => [o, ...o.deprecated].some((n) => new RegExp(`^${n.name}\\s*=`, 'm').test(text));
  const disagreements: string[] = [];
  let values = 0;
  files.forEach((text, i) => {
    const c = check(text, 'zed');
    const ours: Record<string, string[]> = {};
    const theirs: Record<string, string[]> = {};
    for (const o of multi) {
      const key = `${o.group}.${o.name}`;
      // Registered by a library at run time (oslo.messaging's, os-vif's): Nova's CONF has no value to compare.
      if (!setIn(text, o) || oracle[i].unregistered.includes(key)) continue;
      const option = catalog.option(o.group, o.name) ?? catalog.zedOption(o.group, o.name)!;
      ours[key] = multiEntries(c.model, option).map((e) => e.value);
      theirs[key] = oracle[i].multi[key] ?? [];
    }
    values += Object.values(theirs).flat().length;
    // None of them overrides another, so none is a duplicate; and a MultiString has no value to refuse.
    const wrong = c.findings.filter((f) => ['nova/duplicate-option', 'nova/overridden-by-later-file', 'nova/invalid-value'].includes(f.code));
    const sorted = (o: Record<string, string[]>) => JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
    if (oracle[i].parse_error || sorted(ours) !== sorted(theirs) || wrong.length || Object.keys(oracle[i].errors).length) {
      disagreements.push(`file ${i}:\n${text}\nours ${sorted(ours)} ${JSON.stringify(wrong.map((f) => f.code))}\nNova ${sorted(theirs)} ${JSON.stringify(oracle[i].errors)} ${oracle[i].parse_error ?? ''}`);
    }
  });
  console.log(`MultiStrOpt agreement with Nova 26: ${files.length - disagreements.length}/${files.length} configs (${values} values read by Nova, ${multi.length} options)`);
  assert.deepEqual(disagreements.slice(0, 10), []);
});

/** Every oslo.config type and parameter, beyond what Nova 26's options use (IP versions, quotes, bounds...). */
const TYPE_SPECS: OsloType[] = [
  { k: 'str' }, { k: 'str', q: 1 }, { k: 'str', ml: 5 }, { k: 'str', c: ['a', 'B', null] }, { k: 'str', c: ['a', 'B'], ic: 1 },
  { k: 'str', re: '^[a-z]+$' }, { k: 'str', re: '^[a-z]+$', ic: 1 }, { k: 'str', re: '\\d+' }, { k: 'str', re: '^\\w+:\\w*:.*$' }, { k: 'str', re: 'a.b$' },
  { k: 'bool' }, { k: 'int' }, { k: 'int', min: 0, max: 10 }, { k: 'int', min: -1000000, max: 2147483647 }, { k: 'float', min: 0.0001, max: 1e21 }, { k: 'int', c: [1000000, 7] }, { k: 'int', c: [1, 2, 4] }, { k: 'int', min: -1 }, { k: 'float' }, { k: 'float', min: 0.5, max: 4.5 },
  { k: 'port' }, { k: 'port', min: 1024 }, { k: 'list', it: { k: 'str' } }, { k: 'list', it: { k: 'int' } }, { k: 'list', it: { k: 'str', c: ['x', 'y'] } },
  { k: 'list', it: { k: 'str' }, b: 1 }, { k: 'list', it: { k: 'hostaddress' } }, { k: 'list', it: { k: 'str', q: 1 } }, { k: 'dict', vt: { k: 'str' } }, { k: 'dict', vt: { k: 'int' } },
  { k: 'dict', vt: { k: 'str' }, b: 1 }, { k: 'ip' }, { k: 'ip', v: 4 }, { k: 'ip', v: 6 }, { k: 'hostname' }, { k: 'hostaddress' }, { k: 'hostaddress', v: 4 },
  { k: 'hostdomain' }, { k: 'hostdomain', v: 6 }, { k: 'uri' }, { k: 'uri', sc: ['http', 'https'] }, { k: 'uri', sc: ['telnet'] }, { k: 'uri', ml: 20 },
];

/** Edge values for the type tests, and random pieces glued together. */
const TYPE_VALUES = [
  '', ' ', 'a', 'B', '2147483648', '-1000001', '1e22', '0.00001', '1000000', '123456789', 'b', 'None', '"a"', "'a", "'a'", '"', 'abcdef', 'é', 'ab\ncd', 'a:b', 'a:b:c', '1:2', 'x,y', 'x, y ,', 'a,b:1', 'a:x,1', 'a,b:x,2,c:3', '[x,y]', '[x', '{a:1}', '{a:1', 'a:1,b:2', 'a:1,a:2',
  ':1', 'a', 'a:', '0', '10', '11', '-1', '-2', '4', '3', '+3', '1_0', '010', '1.5', '1e3', 'inf', 'nan', '4.5', '5', '0.25', ' 7 ', '٣', '1024', '1023', '65535', '65536',
  'true', 'FALSE', 'on', 'yes', 'y', '10.0.0.1', '10.0.0.01', '256.0.0.1', '1.2.3', '::1', '::', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '1::2::3', '::ffff:1.2.3.4', '::1.2.3.04',
  'fe80::1%eth0', 'FE80::A', 'localhost', 'host_1', 'host-', '-host', 'a.b.c', 'a..b', 'example.com.', '123', '1.2.3.4.5', 'x'.repeat(64), `${'a.'.repeat(127)}a`, 'bad host!', 'MGMT_IP',
  'http://a/b', 'HTTP://a', 'https://[::1]:8080/x?y#z', 'http://[fe80::1%eth0]/', 'http://[fe80::1%25eth0]/', 'http://300.1.1.1/', 'http://1.2.3.4/', 'http://h/[x]', 'http://h/a b',
  'http://h/é', 'http://h/%zz', 'http://h/%41', 'http://u:p@h/', 'http://:80/', 'http:///x', 'x', 'telnet://h:23', 'telnets://h', 'ftp://x/', 'http://<host>:1/', 'mailto:a@b', '//h/x',
  'http://h:99999/', 'http://veryveryverylonghost.example/',
];

test('types: every oslo.config type and parameter gives the same verdict and message as oslo_config.types', { skip }, () => {
  requireOracle();
  const r = rng(5);
  const zed = zedOptions();
  const specs = [...TYPE_SPECS, ...new Map(zed.groups().flatMap((g) => zed.options(g)).map((o) => [JSON.stringify(o.type), o.type])).values()]
    // oslo.privsep's CapNameOrInt items are its own converter, not an oslo.config type.
    .filter((t) => t.k !== 'multistr' && !JSON.stringify(t).includes('"other"'));
  const cases: Array<[OsloType, string]> = [];
  for (const t of specs) {
    for (const v of TYPE_VALUES) cases.push([t, v]);
    // Glued pieces: list and dict separators, whitespace, quotes.
    for (let i = 0; i < 20; i++) cases.push([t, Array.from({ length: 1 + Math.floor(r.next() * 3) }, () => r.pick(TYPE_VALUES)).join(r.pick([',', ', ', ' , ', ':', '']))]);
  }
  const oracle = runNovaOracle<Array<{ ok?: true; error?: string }>>({ mode: 'types', cases });
  const disagreements: string[] = [];
  let errors = 0;
  cases.forEach(([t, v], i) => {
    const ours = oslo(t, v);
    const mine = ours.ok ? 'ok' : normalizeSet(ours.message);
    const theirs = oracle[i].ok ? 'ok' : normalizeSet(oracle[i].error!);
    errors += Number(!oracle[i].ok);
    if (mine !== theirs) disagreements.push(`${JSON.stringify(t)} ${JSON.stringify(v)}: ours ${mine} / oslo ${theirs}`);
  });
  console.log(`oslo.config type agreement: ${cases.length - disagreements.length}/${cases.length} (${specs.length} types, ${errors} rejections)`);
  assert.deepEqual(disagreements.slice(0, 20), []);
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
