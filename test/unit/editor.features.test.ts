/**
 * Hover and completion as a power user expects them (issue 10, point 4), in both kinds: models by
 * vendor and generation, the vendor's features with common flags first, set options not offered
 * again, snippets only where they fit, markdown that shows element names, no internal wording,
 * the same model and flag facts in nova.conf and domain XML, words that keep model names whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompletionItemKind, type CompletionItem, type MarkupContent } from 'vscode-languageserver-types';
import { novaConfService } from '../../server/src/novaconf/service';
import { domainXmlService } from '../../server/src/domainxml/service';
import { LineIndex } from '../../server/src/core/lineIndex';
import { analyze } from '../../server/src/analyze';
import { check, cursor as novaCursor } from '../fixtures/novaconf/helpers';
import { cursor as xmlCursor, domain, knowledge } from './domainxml.helpers';
import { inserted, shownFor } from '../support/completionOrder';
import { familyOf, orderModels } from '../../server/src/knowledge/cpumap/generations';
import { mdText } from '../../server/src/core/markdown';

const ROOT = join(__dirname, '..', '..');

function novaComplete(marked: string): CompletionItem[] {
  const { text, position } = novaCursor(marked);
  const c = check(text, 'zed');
  return novaConfService.complete!(c.model, position, c.knowledge);
}
function novaHover(marked: string, release = 'zed'): string {
  const { text, position } = novaCursor(marked);
  const c = check(text, release);
  const h = novaConfService.hover!(c.model, position, c.knowledge);
  return h ? (h.contents as MarkupContent).value : '';
}
function xmlComplete(marked: string): CompletionItem[] {
  const { text, line, character } = xmlCursor(marked);
  const k = knowledge();
  return domainXmlService.complete!(domainXmlService.parse(text, new LineIndex(text), k), { line, character }, k);
}
function xmlHover(marked: string): string {
  const { text, line, character } = xmlCursor(marked);
  const k = knowledge();
  const h = domainXmlService.hover!(domainXmlService.parse(text, new LineIndex(text), k), { line, character }, k);
  return h ? (h.contents as MarkupContent).value : '';
}
const sorted = (items: CompletionItem[]) => shownFor(items, '');
/** Markdown outside code spans must hold no tag-like text: the renderer would swallow it. */
const rawTags = (md: string) => md.replace(/`[^`]*`/g, '').match(/<\/?[A-Za-z][^>]*>/g) ?? [];

test('models: by vendor, newest family first, newest variant first, aliases and generic models last; vendor and year in the detail', () => {
  for (const items of [novaComplete('[libvirt]\ncpu_mode = custom\ncpu_models = |'), xmlComplete(domain("  <cpu mode='custom'>\n    <model>|</model>\n  </cpu>"))]) {
    const order = sorted(items);
    const at = (n: string) => { const i = order.indexOf(n); assert.ok(i >= 0, n); return i; };
    assert.ok(at('SapphireRapids') < at('Icelake-Server') && at('Icelake-Server') < at('Skylake-Server') && at('Skylake-Server') < at('Haswell') && at('Haswell') < at('Nehalem'));
    assert.ok(at('Skylake-Server-v5') < at('Skylake-Server-v4') && at('Skylake-Server-v4') < at('Skylake-Server'), 'newest variant first');
    assert.ok(at('Conroe') < at('EPYC-Turin'), 'Intel before AMD (the map\'s vendor order)');
    assert.ok(at('EPYC-Turin') < at('EPYC-Genoa') && at('EPYC-Rome') < at('Opteron_G5'));
    assert.ok(at('Dhyana') > at('athlon') && at('qemu64') > at('Dhyana') && at('486') > at('qemu64'), 'vendorless models last');
    assert.ok(at('Skylake-Server-v1') > at('Conroe'), 'pure aliases after the vendor\'s real models');
    assert.notEqual(order[0], '486');
    assert.match(items.find((i) => i.label === 'Skylake-Server-IBRS')!.detail!, /^Intel · 2017 · \d+ features$/);
    assert.match(items.find((i) => i.label === 'EPYC-Rome')!.detail!, /^AMD · 2019 · \d+ features$/);
  }
});

test('model families: QEMU\'s variant suffixes are one family; a user model without a year takes its ancestor\'s', () => {
  assert.equal(familyOf('Skylake-Server-noTSX-IBRS'), 'Skylake-Server');
  assert.equal(familyOf('Haswell-v4'), 'Haswell');
  assert.equal(familyOf('EPYC-IBPB'), 'EPYC');
  assert.equal(familyOf('Opteron_G5'), 'Opteron_G5');
  const base = { arch: 'x86' as const, features: [], removed: [], added: [], decodeHost: true, decodeGuest: true, origin: 'bundled' };
  const models = [
    { ...base, name: 'Haswell', vendor: 'Intel' },
    { ...base, name: 'SandyBridge', vendor: 'Intel' },
    { ...base, name: 'SandyBridge-vmx', vendor: 'Intel', ancestor: 'SandyBridge', origin: '/etc/cpu_map.xml' },
  ];
  const o = orderModels(models, ['Intel']);
  assert.deepEqual(o.map((x) => [x.model.name, x.year]), [['Haswell', 2013], ['SandyBridge-vmx', 2011], ['SandyBridge', 2011]]);
});

test('flags: common ones first, so `vm` + Enter is vmx; the other vendor\'s virtualization features are not offered', () => {
  const intel = novaComplete('[libvirt]\ncpu_mode = custom\ncpu_models = Skylake-Server-IBRS\ncpu_model_extra_flags = |');
  assert.equal(shownFor(intel, 'vm')[0], 'vmx');
  assert.deepEqual(sorted(intel).slice(0, 6).sort(), ['md-clear', 'pcid', 'pdpe1gb', 'spec-ctrl', 'ssbd', 'vmx']);
  assert.ok(!intel.some((i) => i.label === 'svm' || i.label === 'npt'));
  const amd = novaComplete('[libvirt]\ncpu_mode = custom\ncpu_models = EPYC-Rome\ncpu_model_extra_flags = pcid,s|');
  assert.equal(shownFor(amd, 's')[0], 'spec-ctrl');
  assert.equal(shownFor(amd, 'sv')[0], 'svm');
  assert.ok(!amd.some((i) => i.label === 'vmx' || i.label.startsWith('vmx-')));
  // No vendor to go by: both stay.
  const none = novaComplete('[libvirt]\ncpu_mode = host-model\ncpu_model_extra_flags = |');
  assert.ok(none.some((i) => i.label === 'vmx') && none.some((i) => i.label === 'svm'));
  assert.equal(shownFor(none, 'vm')[0], 'vmx');

  const xIntel = xmlComplete(domain("  <cpu mode='custom'>\n    <model>Haswell</model>\n    <feature policy='require' name='|'/>\n  </cpu>"));
  assert.equal(shownFor(xIntel, 'vm')[0], 'vmx');
  assert.ok(!xIntel.some((i) => i.label === 'svm' || i.label === 'avic'));
  const xVendor = xmlComplete(domain("  <cpu mode='custom'>\n    <model>Westmere</model>\n    <vendor>AMD</vendor>\n    <feature policy='require' name='|'/>\n  </cpu>"));
  assert.ok(xVendor.some((i) => i.label === 'svm') && !xVendor.some((i) => i.label === 'vmx'), '<vendor> decides over the model');
});

test('options already set in the section are not offered again; the one being edited and repeatable ones are', () => {
  const labels = (m: string) => novaComplete(m).map((i) => i.label);
  const after = labels('[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n|');
  assert.ok(!after.includes('cpu_mode') && !after.includes('cpu_models'));
  assert.ok(after.includes('cpu_model_extra_flags'));
  assert.ok(labels('[libvirt]\ncpu_mo|de = custom\n').includes('cpu_mode'), 'the line being edited');
  assert.ok(labels('[libvirt]\ncpu_mode = custom\n[compute]\n[libvirt]\n|').every((l) => l !== 'cpu_mode'), 'another section of the same group');
  assert.ok(labels('[compute]\ncpu_mode = x\n|').length > 0);
  assert.ok(labels('[DEFAULT]\nreserved_huge_pages = node:0,size:2048,count:64\n|').includes('reserved_huge_pages'), 'a repeatable option');
});

test('nova.conf snippets: at a line start, never after `key =`', () => {
  const snippets = (m: string) => novaComplete(m).filter((i) => i.kind === CompletionItemKind.Snippet).map((i) => i.label);
  assert.ok(snippets('[libvirt]\nnova|').includes('nova-cpu-host-model'));
  assert.ok(snippets('|').includes('nova-cpu-pinning'), 'before any section');
  assert.deepEqual(snippets('[libvirt]\ncpu_mode = |'), []);
  assert.deepEqual(snippets('[libvirt]\ncpu_mode = nova|'), []);
  assert.deepEqual(snippets('[libvirt]\ncpu_mode |= x'), [], 'the key of a line with its `=`');
});

test('domain XML snippets: only where their element belongs, including the `<`', () => {
  const top = xmlComplete(domain('  <|'));
  const cpuSnippet = top.find((i) => i.label === 'libvirt-cpu-host-model')!;
  assert.ok(cpuSnippet, top.map((i) => i.label).join(', '));
  assert.equal(cpuSnippet.kind, CompletionItemKind.Snippet);
  assert.match(inserted(cpuSnippet), /^<cpu mode='host-model'/);
  const edit = cpuSnippet.textEdit as { range: { start: { character: number }; end: { character: number } } };
  assert.deepEqual([edit.range.start.character, edit.range.end.character], [2, 3], 'replaces the typed `<`');
  assert.ok(!top.some((i) => i.label === 'libvirt-numa-cells'), '<numa> belongs under <cpu>');
  const inCpu = xmlComplete(domain("  <cpu mode='custom'>\n    <|\n  </cpu>")).filter((i) => i.kind === CompletionItemKind.Snippet).map((i) => i.label);
  assert.deepEqual(inCpu, ['libvirt-numa-cells']);
  const typed = xmlComplete(domain('  libv|')).filter((i) => i.kind === CompletionItemKind.Snippet);
  assert.ok(typed.length >= 8, typed.map((i) => i.label).join(', '));
  assert.deepEqual(xmlComplete(domain("  <cpu mode='custom'>\n    <model>libv|</model>\n  </cpu>")).filter((i) => i.kind === CompletionItemKind.Snippet), []);
  // Other XML is not analysed at all: nothing to complete.
  assert.equal(analyze('/src/pom.xml', '<project>\n  libv\n</project>\n', knowledge(), 'xml'), undefined);
});

test('hover markdown shows element names (code spans), never raw tags', () => {
  const cpu = xmlHover(domain("  <c|pu mode='custom'>\n    <model>Haswell</model>\n  </cpu>"));
  assert.match(cpu, /^\*\*`<cpu>`\*\* — /);
  const mode = xmlHover(domain("  <cpu mo|de='custom'>\n    <model>Haswell</model>\n  </cpu>"));
  assert.match(mode, /^\*\*`mode`\*\* \(on `<cpu>`\) — /);
  const topo = xmlHover(domain("  <cpu>\n    <topo|logy sockets='1' cores='4' threads='1'/>\n  </cpu>"));
  assert.match(topo, /`<vcpu>`/);
  for (const h of [cpu, mode, topo,
    xmlHover(domain("  <cpu>\n    <nu|ma>\n      <cell id='0' cpus='0-3' memory='1048576'/>\n    </numa>\n  </cpu>")),
    xmlHover(domain("  <cputune>\n    <vcpu|pin vcpu='0' cpuset='1'/>\n  </cputune>")),
    xmlHover(domain("  <cpu mode='custom'>\n    <model>Has|well</model>\n  </cpu>")),
  ]) assert.deepEqual(rawTags(h), [], h);
  assert.equal(mdText('one <cell> per node, `<b>` kept, </cell> too'), 'one `<cell>` per node, `<b>` kept, `</cell>` too');
});

test('hovers carry no internal wording: no pointers to our notes, no oslo.config class names, ranges in words', () => {
  const keys = ['[libvirt]\ncpu_model_extra_fl|ags = vmx', '[DEFAULT]\nvcpu_pin|_set = 2-3', '[compute]\ncpu_shared|_set = 2-3', '[compute]\ncpu_dedicated|_set = 2-3',
    '[libvirt]\nnum_pcie|_ports = 8', '[DEFAULT]\nreserved_huge|_pages = node:0,size:2048,count:64', '[libvirt]\nlive_migration_downt|ime = 500'];
  for (const k of keys) {
    const h = novaHover(k);
    assert.ok(h, k);
    assert.doesNotMatch(h, /rules\.md|item_type|String\(|ignore_case|MultiOpt|Range:|…/, h);
  }
  assert.match(novaHover('[libvirt]\nnum_pcie|_ports = 8'), /Between 0 and 28\./);
  assert.match(novaHover('[libvirt]\nlive_migration_downt|ime = 500'), /At least 100\./);
});

test('a model and a flag: the same facts in nova.conf and domain XML; nested virtualization as this document has it', () => {
  const facts = (h: string) => h.split('\n\n').filter((p) => !/cpu_model_extra_flags|<feature|All \d+ features|In domain XML/.test(p));
  const nova = novaHover('[libvirt]\ncpu_mode = custom\ncpu_models = Skylake-Server|-IBRS\n');
  const xml = xmlHover(domain("  <cpu mode='custom'>\n    <model>Skylake-Server|-IBRS</model>\n  </cpu>"));
  assert.match(nova, /^\*\*Skylake-Server-IBRS\*\* — Intel CPU model \(2017\), \d+ features/);
  assert.deepEqual(facts(nova), facts(xml));
  assert.match(nova, /No `vmx`: for nested guests add `vmx` to `cpu_model_extra_flags`/);
  assert.match(xml, /No `vmx`: for nested guests add `<feature policy='require' name='vmx'\/>`/);
  assert.doesNotMatch(nova + xml, /vmx\/svm/);
  // The vendor's flag present: no advice to add it.
  const withVmx = novaHover('[libvirt]\ncpu_mode = custom\ncpu_models = Skylake-Server|-IBRS\ncpu_model_extra_flags = +vmx\n');
  assert.match(withVmx, /`vmx` \(Intel VT-x\) is added here/);
  assert.doesNotMatch(withVmx, /No `vmx`/);
  const xmlVmx = xmlHover(domain("  <cpu mode='custom'>\n    <model>Skylake-Server|-IBRS</model>\n    <feature name='vmx'/>\n  </cpu>"));
  assert.match(xmlVmx, /`vmx` \(Intel VT-x\) is added here/);
  assert.match(novaHover('[libvirt]\ncpu_mode = custom\ncpu_models = EPYC-R|ome\n'), /Includes `svm` \(AMD-V\)/);

  const flagNova = novaHover('[libvirt]\ncpu_mode = custom\ncpu_models = EPYC\ncpu_model_extra_flags = sv|m\n');
  const flagXml = xmlHover(domain("  <cpu mode='custom'>\n    <model>EPYC</model>\n    <feature policy='require' name='sv|m'/>\n  </cpu>"));
  assert.deepEqual(facts(flagNova), facts(flagXml));
  assert.match(flagNova, /Part of AMD-V: only AMD and Hygon CPUs have it\./);
  assert.match(flagNova, /In `cpu_model_extra_flags`: `svm` or `\+svm` requires it, `-svm` disables it\./);
  assert.match(flagXml, /In domain XML: `policy='require'` adds it/);
});

test('word pattern: model names, dotted features and option names are one word in both languages', () => {
  const configs = ['language-configuration.json', 'language-configuration.xml.json'].map((f) => JSON.parse(readFileSync(join(ROOT, f), 'utf8')));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.contributes.languages.find((l: { id: string }) => l.id === 'xml').configuration, './language-configuration.xml.json');
  // VS Code's getWordAtText: the match of the (global) pattern that contains the column.
  const wordAt = (pattern: string, line: string, col: number) => {
    for (const m of line.matchAll(new RegExp(pattern, 'g'))) if (m.index! <= col && col <= m.index! + m[0].length) return m[0];
    return undefined;
  };
  for (const c of configs) {
    const p = typeof c.wordPattern === 'string' ? c.wordPattern : c.wordPattern.pattern;
    const at = (line: string, word: string, inside = 2) => wordAt(p, line, line.indexOf(word) + inside);
    assert.equal(at('cpu_models = Haswell,Skylake-Server-IBRS', 'Skylake-Server-IBRS', 9), 'Skylake-Server-IBRS');
    assert.equal(at('cpu_model_extra_flags = +sse4.1,-svm', 'sse4.1', 5), 'sse4.1');
    assert.equal(at('cpu_model_extra_flags = +sse4.1,-svm', 'svm', 1), 'svm');
    assert.equal(at('cpu_model_extra_flags = x', 'cpu_model_extra_flags', 4), 'cpu_model_extra_flags');
    assert.equal(at("    <model fallback='forbid'>Skylake-Server-IBRS</model>", 'Skylake-Server-IBRS', 12), 'Skylake-Server-IBRS');
    assert.equal(at("    <feature policy='require' name='sse4.1'/>", 'sse4.1', 4), 'sse4.1');
    assert.equal(at("    <feature policy='require' name='sse4.1'/>", 'policy', 2), 'policy');
    assert.equal(at('<topology sockets="1"/>', 'topology', 2), 'topology');
  }
});
