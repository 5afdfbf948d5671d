/**
 * The time budget in every phase of an analysis, not only between rules: reading (the nova.conf
 * scanner, the XML scanner and its entity decoding), the model (a config set's index, the NUMA
 * cells) and well-formedness (the plain-document proof, XMLValidator, the entity search). Each
 * phase is given a budget that runs out inside it, through a clock the test controls (nothing
 * waits): it must stop, the deadline must name it, a part must never be kept for later analyses,
 * and the analysis must then give no finding the full analysis would not give.
 * Then every hostile input of issue 7, cut short after a few reads of the clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/analyze';
import { CHECK_EVERY, Deadline } from '../../server/src/core/deadline';
import type { Finding } from '../../server/src/core/findings';
import { LineIndex } from '../../server/src/core/lineIndex';
import { scan } from '../../server/src/novaconf/scan';
import { buildModel as buildNovaModel, memberScan } from '../../server/src/novaconf/model';
import { scanXml } from '../../server/src/domainxml/scan';
import { buildModel as buildDomainModel } from '../../server/src/domainxml/model';
import { checkWellFormed } from '../../server/src/domainxml/wellformed';
import { parseNovaCpuset } from '../../server/src/cpuset/novaCpuset';
import { merge, subtract, type Interval } from '../../server/src/cpuset/intervals';
import { knowledgeFor } from '../fixtures/novaconf/helpers';
import { novaKnowledge } from '../../server/src/knowledge/knowledge';
import { knowledge as domainKnowledge } from './domainxml.helpers';
import { HOSTILE as NOVA_HOSTILE } from '../../bench/novaconf.inputs';
import { HOSTILE as DOMAIN_HOSTILE } from '../../bench/domainxml.inputs';

/** A clock that reads 0 for the first `reads` reads after the Deadline's own, then far in the future. */
function clock(reads: number): () => number {
  let n = -1;
  return () => (n++ < reads ? 0 : 1e12);
}
const after = (reads: number) => new Deadline(5, clock(reads));

const key = (f: Finding) => `${f.code}@${f.range.start.line}:${f.range.start.character}`;
const CUT = 'input/analysis-cut-short';

/** A cut-short analysis: exactly one cut-short finding, and no other finding the full analysis lacks. */
function assertPartOf(cut: Finding[], full: Finding[], what: string): void {
  assert.equal(cut.filter((f) => f.code === CUT).length, 1, `${what}: one ${CUT}`);
  const keys = new Set(full.map(key));
  for (const f of cut) if (f.code !== CUT) assert.ok(keys.has(key(f)), `${what}: ${key(f)} is not a finding of the full analysis`);
}

const lines = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join('');

test('nova.conf scan: stops where the budget runs out, a prefix of the full scan, and says from which line', () => {
  const text = `[libvirt]\n${lines(40_000, (i) => `cpu_mod${i} = custom\n`)}`; // ~1 MB: a dozen clock reads
  const ls = new LineIndex(text).lineStarts;
  const full = scan(text, ls);
  assert.equal(full.outOfTime, undefined);
  const d = after(3);
  const part = scan(text, ls, d);
  assert.ok(part.outOfTime && part.outOfTime.line > 0 && part.outOfTime.line < 40_000, JSON.stringify(part.outOfTime));
  assert.ok(part.entries.length > 0 && part.entries.length < full.entries.length);
  assert.deepEqual(part.entries.map((e) => e.key), full.entries.slice(0, part.entries.length).map((e) => e.key));
  assert.equal(part.entries.length, part.outOfTime!.line - 1, 'every line before the cut read, none after');
  assert.match(d.cutAt!, new RegExp(`^reading the file from line ${(part.outOfTime!.line + 1).toLocaleString('en')} on, and so every rule`));
  // The budget is asked every CHECK_EVERY characters, never per line.
  assert.ok(ls[part.outOfTime!.line] >= 3 * CHECK_EVERY && ls[part.outOfTime!.line] < 4 * CHECK_EVERY + 100);
  // Spent before it starts: nothing read.
  assert.equal(scan(text, ls, after(0)).entries.length, 0);
});

test('nova.conf config set: a member scan or set index cut short is never kept for the next analysis', () => {
  const big = `[libvirt]\n${lines(40_000, (i) => `cpu_mod${i} = custom\n`)}cpu_mode = custom\n`;
  const label = `nova.conf.d/big-${Math.random()}.conf`;
  const part = memberScan(label, big, undefined, after(2));
  assert.ok(part.scan.outOfTime);
  const whole = memberScan(label, big);
  assert.equal(whole.scan.outOfTime, undefined, 'the part was not kept: read again whole');
  assert.equal(whole.scan.entries.length, 40_001);

  // A set whose other member is cut while indexing: this file's model sees no later cpu_mode, and
  // the next analysis (no budget) sees the whole set, as if the cut one had never happened.
  const own = '[libvirt]\ncpu_mode = host-model\n';
  const files = [{ label: 'nova.conf', text: own }, { label: `nova.conf.d/other-${Math.random()}.conf`, text: big }];
  const k = knowledgeFor('zed');
  const related = { before: [], after: [files[1]], set: { files, self: 0 } };
  const d = after(2);
  const a = analyze('/etc/nova/nova.conf', own, k, 'nova-conf', undefined, related, d)!;
  assert.match(d.cutAt ?? '', /^(reading|indexing)/);
  assert.deepEqual(a.findings.map((f) => f.code), [CUT], 'no rule ran on a part of the set');
  const full = analyze('/etc/nova/nova.conf', own, k, 'nova-conf', undefined, related)!;
  const fresh = analyze('/etc/nova/nova.conf', own, k, 'nova-conf', undefined, { before: [], after: [{ ...files[1] }] })!;
  assert.deepEqual(full.findings.map(key), fresh.findings.map(key));
  assert.ok(!full.findings.some((f) => f.code === CUT));
  const m = buildNovaModel(own, new LineIndex(own), novaKnowledge('zed'), related);
  assert.equal(m.lastBySlot.get('libvirt\0cpu_mode')?.entry.origin?.later, true, 'the other member\'s cpu_mode, read after, wins');
});

test('XML scan: stops where the budget runs out (also inside one long text of references), and says where', () => {
  const text = `<domain type='kvm'>\n${lines(20_000, (i) => `<x a='${i}'/>\n`)}</domain>\n`;
  const full = scanXml(text);
  const d = after(2);
  const part = scanXml(text, d);
  assert.ok(part.outOfTime! > 0 && part.outOfTime! < text.length);
  assert.ok(part.elements.length > 1 && part.elements.length < full.elements.length);
  assert.deepEqual(part.elements.map((e) => e.start), full.elements.slice(0, part.elements.length).map((e) => e.start));
  assert.match(d.cutAt!, /^reading the XML from offset [\d,]+ on, and so the well-formedness check and every rule/);

  // One text node of 400,000 references (2 MB): the decoding stops midway, and the scan with it.
  const refs = `<domain><name>${'&amp;'.repeat(400_000)}</name><memory>1</memory></domain>`;
  const dr = after(2);
  const s = scanXml(refs, dr);
  assert.ok(s.outOfTime !== undefined, 'stopped');
  assert.equal(s.elements.find((e) => e.name === 'memory'), undefined, 'nothing after the cut was read');
  assert.ok(s.elements[1].text.endsWith('&amp;'), 'the rest of the text left as it is, never decoded');
});

test('XML well-formedness: the plain proof, the validator and the entity search each stop within the budget', () => {
  const plain = `<domain type='kvm'>\n${lines(20_000, (i) => `<x a='${i}'/>\n`)}</domain>\n`;
  const lp = new LineIndex(plain);
  const sp = scanXml(plain);
  assert.equal(checkWellFormed(plain, lp, sp), undefined, 'well-formed');
  const d1 = after(2);
  assert.equal(checkWellFormed(plain, lp, sp, d1), undefined);
  assert.match(d1.cutAt!, /^checking well-formedness from line [\d,]+ on, and every rule/);

  // Not plain (a DOCTYPE), broken at the end: the validator would find it, but does not fit.
  const broken = `<!DOCTYPE domain>\n${plain}<oops>`;
  const lb = new LineIndex(broken);
  const sb = scanXml(broken);
  assert.equal(checkWellFormed(broken, lb, sb)?.code, 'libvirt/xml-not-well-formed');
  const d2 = new Deadline(1, () => 0); // 1 ms left: far less than the validator needs for 250 KB
  assert.equal(checkWellFormed(broken, lb, sb, d2), undefined);
  assert.match(d2.cutAt!, /^checking well-formedness \(the validator would not finish within the budget\)/);
  assert.equal(checkWellFormed(broken, lb, sb, new Deadline(60_000, () => 0))?.code, 'libvirt/xml-not-well-formed', 'with time to spare it runs');

  // Plain, with an undeclared entity at the end after 100,000 references the search must pass.
  const ents = `<domain><name>${'&amp;'.repeat(100_000)}&nope;</name></domain>`;
  const le = new LineIndex(ents);
  const se = scanXml(ents);
  assert.equal(checkWellFormed(ents, le, se)?.code, 'libvirt/xml-not-well-formed');
  let cutInSearch = false;
  for (let reads = 1; reads < 12; reads++) {
    const d = after(reads);
    const f = checkWellFormed(ents, le, se, d);
    if (d.cutAt === undefined) { assert.equal(f?.code, 'libvirt/xml-not-well-formed'); continue; }
    assert.equal(f, undefined, 'no verdict from a part');
    if (reads > 6) cutInSearch = true; // the proof takes ~8 reads of 500 KB; later ones are the search
  }
  assert.ok(cutInSearch);
});

test('domain model: NUMA cells stop within the budget, and no rule judges the cells that were not read', () => {
  // 2,000 cells of 64 vCPUs each (~240 KB of cpus lists): the vCPUs are all covered.
  const cells = lines(2000, (i) => `<cell id='${i}' cpus='${Array.from({ length: 64 }, (_, j) => i * 64 + j).join(',')}' memory='1024'/>\n`);
  const text = `<domain type='kvm'><name>a</name><memory>2048000</memory><vcpu>128000</vcpu><os><type arch='x86_64'>hvm</type></os><cpu><numa>\n${cells}</numa></cpu></domain>`;
  const k = domainKnowledge();
  const full = analyze('domain.xml', text, k, 'xml')!.findings;
  assert.ok(!full.some((f) => f.code === 'libvirt/numa-cpus-uncovered'), 'every vCPU is in a cell');
  let inCells = 0;
  for (let reads = 0; reads < 40; reads++) {
    const d = after(reads);
    const got = analyze('domain.xml', text, k, 'xml', undefined, undefined, d)!.findings;
    if (d.cutAt === undefined) { assert.deepEqual(got.map(key), full.map(key)); continue; }
    assertPartOf(got, full, `after ${reads} reads (${d.cutAt})`);
    if (d.cutAt === 'reading the NUMA cells, and so every rule') {
      inCells++;
      const m = buildDomainModel(text, new LineIndex(text), after(reads));
      assert.ok(m.cells.length < 2000, 'a part of the cells');
    }
  }
  assert.ok(inCells > 0, 'some budget ran out among the cells');
});

test('nova cpuset: a stop inside the parse gives no verdict; ranges merged as they come give the set a merge at the end gives', () => {
  const spec = `${'1,'.repeat(20_000)}^1,${Array.from({ length: 20_000 }, (_, i) => `${(i * 7919) % 30011}`).join(',')},^3-9`;
  let calls = 0;
  assert.equal(parseNovaCpuset(spec, () => ++calls > 5000), undefined);
  assert.equal(calls, 5001, 'asked once per piece');
  // The set, computed the plain way: every piece kept, one merge at the end.
  const inc: Interval[] = [];
  const exc: Interval[] = [];
  for (const p of spec.split(',')) {
    if (p.startsWith('^')) { const [a, b = a] = p.slice(1).split('-').map(Number); exc.push([a, b]); } else inc.push([Number(p), Number(p)]);
  }
  const r = parseNovaCpuset(spec, () => false);
  assert.ok(r?.ok);
  assert.deepEqual(r.cpus, subtract(merge(inc), merge(exc)));
  assert.deepEqual(parseNovaCpuset(spec), r);
  assert.deepEqual(parseNovaCpuset('1,x'), { ok: false, error: "Invalid inclusion expression 'x'", start: 2, end: 3 });
});

test('every phase: a budget running out at any read of the clock gives one cut-short and only findings of the full analysis', () => {
  const nova = `[libvirt]\ncpu_mode = custom\n${lines(30_000, (i) => `cpu_mod${i} = custom\n`)}[compute]\ncpu_shared_set = 0-3\n`;
  const domain = `<domain type='kvm'><!-- ${'&x;'.repeat(30_000)} -->\n<name>a</name><memory>1048576</memory><vcpu>2</vcpu><cputune>${lines(20_000, () => "<vcpupin vcpu='5' cpuset='0'/>")}</cputune><cpu mode='custom'><model>Nope</model></cpu></domain>`;
  for (const [what, text, k, lang] of [['nova.conf', nova, knowledgeFor('zed'), 'nova-conf'], ['domain XML', domain, domainKnowledge(), 'xml']] as const) {
    const path = what === 'nova.conf' ? 'nova.conf' : 'domain.xml';
    const full = analyze(path, text, k, lang)!.findings;
    const phases = new Set<string>();
    for (let reads = 0; reads < 60; reads++) {
      const d = after(reads);
      const got = analyze(path, text, k, lang, undefined, undefined, d)!.findings;
      if (d.cutAt === undefined) { assert.deepEqual(got.map(key), full.map(key)); break; }
      assertPartOf(got, full, `${what} after ${reads} reads`);
      phases.add(d.cutAt.split(' ').slice(0, 2).join(' '));
    }
    const want = what === 'nova.conf' ? ['reading the', 'indexing the'] : ['reading the', 'checking well-formedness'];
    for (const p of want) assert.ok(phases.has(p), `${what}: cut while ${p} (saw ${[...phases].join('; ')})`);
    assert.ok([...phases].some((p) => p.startsWith('the rule') || p.startsWith('the rest')), `${what}: cut in a rule too`);
  }
});

test('hostile inputs of issue 7, cut short after a few reads of the clock: the code, and no finding the full analysis lacks', { timeout: 600_000 }, () => {
  const inputs: Array<[string, string, 'nova-conf' | 'xml']> = [
    ...NOVA_HOSTILE.map((x) => [x.name, x.text(), 'nova-conf'] as [string, string, 'nova-conf']),
    // The 10 MB ones once took seconds: the bench has them; a 1M-element tree costs the test run too much memory.
    ...Object.entries(DOMAIN_HOSTILE).filter(([n]) => !/nested-1M|attribute-10MB|pins-300k|15MB/.test(n)).map(([n, t]) => [n, t(), 'xml'] as [string, string, 'xml']),
  ];
  const nk = knowledgeFor('zed');
  const dk = domainKnowledge();
  for (const [name, text, lang] of inputs) {
    const k = lang === 'xml' ? dk : nk;
    const path = lang === 'xml' ? 'domain.xml' : 'nova.conf';
    const full = analyze(path, text, k, lang)?.findings;
    if (!full) continue; // not a domain (comments-30): nothing analysed
    for (const reads of [0, 1, 3]) {
      const d = after(reads);
      const got = analyze(path, text, k, lang, undefined, undefined, d)!.findings;
      if (d.cutAt === undefined) continue; // done within that many reads: a small input
      assertPartOf(got, full, `${name} after ${reads} reads (${d.cutAt})`);
    }
    assert.ok(after(0).expired('x'), 'a budget spent at once');
  }
});
