/**
 * Which members of a config set an edit of one member can affect (novaconf/setChange.ts): the
 * server skips analysing a member again when mayChange says no, so "no" must mean that a full
 * analysis finds exactly the same. And when it analyses one again, it passes the last analysis
 * along and only the rules whose reads the edit reaches run (novaconf/rules/index.ts): that
 * must find byte for byte what a full analysis finds. Checked on hand-picked cases and on
 * seeded random edits of a five-file set, against the full analysis each time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, type Analysis } from '../../server/src/analyze';
import { readConfigSet, relatedIn, type SetTexts } from '../../server/src/novaconf/configSet';
import { mayChange, memberView, setChange } from '../../server/src/novaconf/setChange';
import { knowledgeFor } from '../fixtures/novaconf/helpers';
import { below, pick, rng } from '../support/prng';

const ROOT = '/etc/nova';
const PATHS = ['nova.conf', 'nova-compute.conf', 'nova.conf.d/10.conf', 'nova.conf.d/20.conf', 'nova.conf.d/30.conf'].map((l) => `${ROOT}/${l}`);
const k = knowledgeFor('zed');

function readSet(files: Record<string, string>): SetTexts {
  const list = (dir: string) => Object.keys(files).filter((p) => p.slice(0, p.lastIndexOf('/')) === dir).map((p) => p.slice(p.lastIndexOf('/') + 1)).concat(dir === ROOT ? ['nova.conf.d'] : []);
  return readConfigSet(PATHS[0], list, (p) => files[p])!;
}

/** `previous`: the member's last analysis, as the server passes it. */
const analyseIn = (set: SetTexts, path: string, previous?: Analysis): Analysis =>
  analyze(path, set.texts[set.paths.indexOf(path)] as string, k, 'nova-conf', undefined, relatedIn(set, path), undefined, previous)!;
const findingsOf = (a: Analysis) => JSON.stringify(a.findings);

/** How many of `a`'s findings are objects of `earlier`'s: the ones put in again without running their rule. */
const reusedIn = (a: Analysis, earlier: Analysis) => a.findings.filter((f) => earlier.findings.includes(f)).length;

/**
 * Edits `path` to `text`: for every other member, whether mayChange allowed a skip, whether its
 * findings really changed, and what the analysis given the last one found (and reused of it).
 */
function edit(files: Record<string, string>, path: string, text: string) {
  const before = readSet(files);
  const analyses = new Map(before.paths.map((p) => [p, analyseIn(before, p)]));
  const next = { ...files, [path]: text };
  const after = readSet(next);
  const change = setChange(memberView(files[path]), memberView(text), relatedIn(after, path)!.set);
  return before.paths.filter((p) => p !== path).map((p) => {
    const full = analyseIn(after, p);
    const incremental = analyseIn(after, p, analyses.get(p));
    assert.equal(findingsOf(incremental), findingsOf(full), `${p} after an edit of ${path}: the analysis given the last one differs from a full one`);
    return { path: p, skip: !mayChange(analyses.get(p), change), changed: findingsOf(analyses.get(p)!) !== findingsOf(full), reused: reusedIn(incremental, analyses.get(p)!) };
  });
}

const SET = {
  [PATHS[0]]: '[DEFAULT]\nlibvirt_type = qemu\n[libvirt]\ncpu_mode = custom\n',
  [PATHS[1]]: '[libvirt]\n# models\ncpu_models = Haswell\n',
  [PATHS[2]]: '[libvirt]\nvirt_type = kvm\n[compute]\ncpu_shared_set = 0-3\n',
  [PATHS[3]]: '[compute]\ncpu_shared_set = 4-7\n',
  [PATHS[4]]: '# nothing yet\n',
};

test('a comment or a value that a later file sets again affects no other member; a value read from here affects its readers', () => {
  const comment = edit(SET, PATHS[1], '[libvirt]\n# the models\ncpu_models = Haswell\n');
  assert.deepEqual(comment.filter((m) => !m.skip), []);
  // 20.conf sets cpu_shared_set again: Nova reads that one, whatever 10.conf says.
  const shadowed = edit(SET, PATHS[2], '[libvirt]\nvirt_type = kvm\n[compute]\ncpu_shared_set = 0-2\n');
  assert.deepEqual(shadowed.filter((m) => !m.skip), []);
  // The models file's verdict reads cpu_mode from nova.conf.
  const mode = edit(SET, PATHS[0], '[DEFAULT]\nlibvirt_type = qemu\n[libvirt]\ncpu_mode = host-model\n');
  const models = mode.find((m) => m.path === PATHS[1])!;
  assert.deepEqual({ ...models, reused: 0 }, { path: PATHS[1], skip: false, changed: true, reused: 0 });
});

test('a line moving in another member counts: a message names that line', () => {
  // nova.conf's [DEFAULT] libvirt_type finding says the node runs "virt_type = kvm (line 2 (set in nova.conf.d/10.conf))".
  const before = analyseIn(readSet(SET), PATHS[0]).findings.find((f) => f.code === 'nova/unknown-option');
  assert.match(before?.explanation ?? '', /virt_type = kvm \(line 2 \(set in nova\.conf\.d\/10\.conf\)\)/);
  const moved = edit(SET, PATHS[2], '[libvirt]\n# kvm on this node\nvirt_type = kvm\n[compute]\ncpu_shared_set = 0-3\n');
  assert.deepEqual({ ...moved.find((m) => m.path === PATHS[0]), reused: 0 }, { path: PATHS[0], skip: false, changed: true, reused: 0 });
});

test('a multi-valued option reads every file: oslo.config stops at the first bad value of the set', () => {
  const set = {
    [PATHS[0]]: '[DEFAULT]\nreserved_huge_pages = node0\n',
    [PATHS[2]]: '[DEFAULT]\nreserved_huge_pages = node:0,size:2048,count:64\n',
    [PATHS[3]]: '[DEFAULT]\nreserved_huge_pages = size\n',
  };
  // Fixing nova.conf's value makes 20.conf's the first bad one, though files read later set the option too.
  const fixed = edit(set, PATHS[0], '[DEFAULT]\nreserved_huge_pages = node:0,size:2048,count:64\n');
  assert.deepEqual({ ...fixed.find((m) => m.path === PATHS[3]), reused: 0 }, { path: PATHS[3], skip: false, changed: true, reused: 0 });
});

const SECTIONS = ['[libvirt]', '[libvirt]', '[compute]', '[DEFAULT]', '[pci]', '[Libvirt]'];
const LINES = [
  'cpu_mode = custom', 'cpu_mode = host-model', 'cpu_mode = host-passthrough', 'cpu_mode = none',
  'cpu_models = Haswell', 'cpu_models = Nehalem,Haswell', 'cpu_models = Bogus', 'cpu_model = Nehalem',
  'cpu_model_extra_flags = +pcid', 'cpu_model_extra_flags = vmx', 'virt_type = kvm', 'virt_type = qemu',
  'cpu_shared_set = 0-3', 'cpu_shared_set = 2', 'cpu_shared_set = x', 'cpu_dedicated_set = 2-5', 'vcpu_pin_set = 0-3',
  'alias = {"vendor_id":"8086","product_id":"154d","name":"a"}', 'reserved_huge_pages = node:0,size:2048,count:64',
  'reserved_huge_pages = node:0,size:x', 'libvirt_type = qemu', 'cpu_mode = custom  # inline', '  continued',
  '# a comment', '', 'cpu_mode =', 'bogus_option = 1',
];

function randomMember(r: () => number): string[] {
  const lines = [pick(r, SECTIONS)];
  for (let n = below(r, 7); n > 0; n--) lines.push(r() < 0.25 ? pick(r, SECTIONS) : pick(r, LINES));
  return lines;
}

function randomEdit(r: () => number, lines: string[]): string[] {
  const next = [...lines];
  const at = below(r, next.length + 1);
  const line = r() < 0.2 ? pick(r, SECTIONS) : pick(r, LINES);
  const how = below(r, 4);
  if (how === 0 || next.length === 0) next.splice(at, 0, line);
  else if (how === 1) next.splice(Math.min(at, next.length - 1), 1);
  else if (how === 2) next[Math.min(at, next.length - 1)] = line;
  else next[Math.min(at, next.length - 1)] += '1'; // a keystroke at the end of a line
  return next;
}

test('seeded random edits: every member mayChange lets the server skip really keeps its findings', () => {
  let skipped = 0;
  let changed = 0;
  let reusedWhereChanged = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const r = rng(seed);
    const members = PATHS.map(() => randomMember(r));
    for (let step = 0; step < 15; step++) {
      const files = Object.fromEntries(PATHS.map((p, i) => [p, members[i].join('\n') + '\n']));
      const m = below(r, PATHS.length);
      members[m] = randomEdit(r, members[m]);
      for (const o of edit(files, PATHS[m], members[m].join('\n') + '\n')) {
        assert.ok(!(o.skip && o.changed), `seed ${seed} step ${step}: ${o.path} skipped after an edit of ${PATHS[m]}, but its findings changed`);
        if (o.skip) skipped++;
        if (o.changed) changed++;
        if (o.changed && o.reused > 0) reusedWhereChanged++;
      }
    }
  }
  // Every side is exercised: skips happen, edits that change other members' verdicts too, and
  // among those, analyses that reused some rules' findings while others ran again.
  assert.ok(skipped > 1000 && changed > 30 && reusedWhereChanged > 10, `skipped ${skipped}, changed ${changed}, reused where changed ${reusedWhereChanged}`);
});

test('a member at the cap of findings per code: what is reused still equals a full analysis', () => {
  // 198 to 202 unknown keys around the cap of 200, as another member's edits move options in and out of them.
  const bogus = (n: number) => Array.from({ length: n }, (_, i) => `bogus_${i} = 1`).join('\n');
  const set = {
    [PATHS[0]]: `[libvirt]\ncpu_mode = custom\n${bogus(199)}\n`,
    [PATHS[2]]: '[libvirt]\ncpu_models = Haswell\n',
  };
  for (const text of ['[libvirt]\ncpu_models = Bogus\n', '[libvirt]\ncpu_models = Haswell\nbogus_1 = 2\n', '[libvirt]\ncpu_mode = host-model\n']) {
    for (const n of [198, 199, 200, 201]) edit({ ...set, [PATHS[0]]: `[libvirt]\ncpu_mode = custom\n${bogus(n)}\n` }, PATHS[2], text);
  }
});

test('seeded random edits of two members between analyses (one debounce): the analysis given the last one equals a full one', () => {
  let reused = 0;
  for (let seed = 101; seed <= 115; seed++) {
    const r = rng(seed);
    const members = PATHS.map(() => randomMember(r));
    const textsOf = () => Object.fromEntries(PATHS.map((p, i) => [p, members[i].join('\n') + '\n']));
    let set = readSet(textsOf());
    let analyses = new Map(set.paths.map((p) => [p, analyseIn(set, p)]));
    for (let step = 0; step < 10; step++) {
      const a = below(r, PATHS.length);
      const b = (a + 1 + below(r, PATHS.length - 1)) % PATHS.length;
      members[a] = randomEdit(r, members[a]);
      members[b] = randomEdit(r, members[b]);
      set = readSet(textsOf());
      const next = new Map<string, Analysis>();
      for (const p of set.paths) {
        const incremental = analyseIn(set, p, analyses.get(p));
        assert.equal(findingsOf(incremental), findingsOf(analyseIn(set, p)), `seed ${seed} step ${step}: ${p} after edits of ${PATHS[a]} and ${PATHS[b]}`);
        reused += reusedIn(incremental, analyses.get(p)!);
        next.set(p, incremental);
      }
      analyses = next;
    }
  }
  assert.ok(reused > 100, `reused ${reused} findings`);
});

test('knowledge made again from the same settings (as the server does per request) still lets a member reuse its last analysis', () => {
  const before = readSet(SET);
  const after = readSet({ ...SET, [PATHS[3]]: '[compute]\ncpu_shared_set = 4-6\n' });
  const path = PATHS[1];
  const textOf = (set: SetTexts) => set.texts[set.paths.indexOf(path)] as string;
  const first = analyze(path, textOf(before), knowledgeFor('zed'), 'nova-conf', undefined, relatedIn(before, path))!;
  const again = analyze(path, textOf(after), knowledgeFor('zed'), 'nova-conf', undefined, relatedIn(after, path), undefined, first)!;
  assert.equal(findingsOf(again), findingsOf(analyseIn(after, path)));
  assert.ok(first.findings.length > 0 && reusedIn(again, first) === first.findings.length, `reused ${reusedIn(again, first)} of ${first.findings.length}`);
});
