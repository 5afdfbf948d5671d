#!/usr/bin/env node
// Generates server/data/nova-options.json, the compact Nova option catalog the server loads.
// Inputs (read-only, in ../shared): reference/nova/options.json (every [libvirt] option and the
// CPU/pinning ones of [DEFAULT], [compute], [workarounds], with their history) and
// data/nova-sample/nova-opts-zed.yaml (the Zed type of removed options that Zed still had).
// Summaries come from options.json, where they were written in our own words.
//   node scripts/gen-nova-options.mjs [shared-dir]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Notes are shown in hovers: they must read as user documentation, so references to the reference
 * notes (not shipped) and oslo.config's class names are put in plain words here.
 */
const NOTE_WORDING = [
  [/ \(see rules\.md\)/g, ' (ranges 0-3, single CPUs 8, exclusions ^2)'],
  [/item_type String\(ignore_case=True\) has no choices, so oslo\.config accepts any string/g, 'Any name is accepted when the file is read (no fixed list, any case)'],
  [/^MultiOpt: /, 'Repeatable: '],
  [/each value is a Dict /g, 'each value is a list of key:value pairs, e.g. '],
];
function userNote(note) {
  return NOTE_WORDING.reduce((text, [from, to]) => text.replace(from, to), note);
}

const shared = process.argv[2] ?? fileURLToPath(new URL('../../shared', import.meta.url));
const src = JSON.parse(readFileSync(join(shared, 'reference/nova/options.json'), 'utf8'));
const zedYaml = readFileSync(join(shared, 'data/nova-sample/nova-opts-zed.yaml'), 'utf8');

/** '20.0.0 (Train); ...' -> 20; '<=16.0.0 ...' -> 0 (always there); 'unreleased ...' -> 34 (master). */
function major(text) {
  if (!text) return undefined;
  if (/^<=/.test(text)) return 0;
  if (/^unreleased|master/.test(text)) return 34;
  const m = /(\d+)\.\d+\.\d+/.exec(text);
  return m ? Number(m[1]) : undefined;
}

const TYPES = { StrOpt: 'str', IntOpt: 'int', FloatOpt: 'float', BoolOpt: 'bool', ListOpt: 'list', MultiOpt: 'multi', HostDomainOpt: 'host' };

const options = src.options.map((o) => {
  const type = TYPES[o.type];
  if (!type) throw new Error(`unknown option type ${o.type} for ${o.group}.${o.name}`);
  const out = { g: o.group, n: o.name, t: type, s: o.summary };
  if (o.default !== null && !(Array.isArray(o.default) && o.default.length === 0)) out.d = o.default;
  if (o.choices) out.c = o.choices.map((c) => (c.description ? [c.value, c.description] : [c.value]));
  if (o.min !== null) out.min = o.min;
  if (o.max !== null) out.max = o.max;
  if (o.deprecated_name) out.dn = o.deprecated_name;
  if (o.deprecated_group) out.dg = o.deprecated_group;
  if (o.deprecated_for_removal) out.dr = o.deprecated_reason_summary ?? true;
  if (o.deprecated_since) out.ds = major(o.deprecated_since);
  const since = major(o.since);
  if (since) out.since = since;
  if (o.note) out.note = userNote(o.note);
  if (o.related) out.rel = o.related;
  if (/cpuset grammar/i.test(o.note ?? '')) out.cpuset = true;
  return out;
});

// Every option per group in Nova 26, from the generator's YAML (a line scan is enough: under
// `options:`, groups are at two spaces, each option starts with `    - `, its scalar fields sit at
// six spaces, and choices are `      - - value` lines). Names tell real Nova options from typos;
// types let oslo.config's checks run on options outside our catalog (at their Zed definition).
const zed = {};
const zedTypes = {};
let group;
let block;
let inChoices = false;
/** A YAML scalar as the generator writes it: '' / 'text', null, numbers, plain text. */
function scalar(text) {
  if (text === 'null') return null;
  if (/^'.*'$/.test(text)) return text.slice(1, -1).replace(/''/g, "'");
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}
for (const line of zedYaml.slice(zedYaml.indexOf('\noptions:')).split('\n')) {
  const g = /^  ([A-Za-z_]\w*):$/.exec(line);
  if (g) { group = g[1]; zed[group] = []; continue; }
  if (line.startsWith('    - ')) { block = { choices: [] }; inChoices = false; }
  if (!group || !block) continue;
  const choice = /^ {6}- - (.*)$/.exec(line);
  if (inChoices && choice) { block.choices.push(scalar(choice[1])); continue; }
  const f = /^ {4}(?:- | {2})(\w+):(?: (.*))?$/.exec(line);
  if (!f) continue;
  inChoices = f[1] === 'choices' && f[2] === undefined;
  if (f[2] === undefined || f[1] === 'choices') continue; // `choices: []` means none
  block[f[1]] = f[2];
  // keystoneauth registers names like connect-retries; files are read by the dest, connect_retries.
  if (f[1] === 'name') { block.name = f[2].replace(/-/g, '_'); zed[group].push(block.name); }
  if (f[1] === 'type') zedTypes[`${group}.${block.name}`] = block;
}
const ZED_TYPES = { 'integer value': 'int', 'floating point value': 'float', 'boolean value': 'bool', 'list value': 'list', 'string value': 'str', 'port value': 'int' };

const removed = src.removed_options.map((r) => {
  const out = { g: r.group, n: r.name, last: major(r.last_present_in), gone: major(r.removed_in) };
  const z = zedTypes[`${r.group}.${r.name}`];
  if (z && ZED_TYPES[z.type] && z.type !== 'port value') {
    out.t = ZED_TYPES[z.type];
    if (z.min && z.min !== 'null') out.min = Number(z.min);
    if (z.max && z.max !== 'null') out.max = Number(z.max);
  }
  // "moved to [image_cache] x" / "renamed to cpu_models": where the value is read now.
  const moved = /moved to \[(\w+)\] (\w+)/.exec(r.note ?? '');
  const renamed = /renamed to (\w+)/.exec(r.note ?? '');
  if (r.still_accepted_as_alias) out.alias = moved ? `${moved[1]}.${moved[2]}` : `${r.group}.${renamed[1]}`;
  return out;
});


const out = {
  generatedFrom: {
    options: `reference/nova/options.json (${src.source.git_describe})`,
    removedTypes: 'data/nova-sample/nova-opts-zed.yaml (Nova 26.2.2)',
  },
  // Every other Nova 26 option, typed exactly: server/data/nova-zed.json (scripts/gen-nova-zed.py).
  options, removed,
};
const target = join(dirname(new URL(import.meta.url).pathname), '../server/data/nova-options.json');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, JSON.stringify(out) + '\n');
console.log(`wrote ${target}: ${options.length} options, ${removed.length} removed`);
