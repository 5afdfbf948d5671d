/** Hostile and huge input: clear diagnostics, no crash, no hang, no recursion on depth. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, domain } from './domainxml.helpers';
import { bigDomain } from '../../bench/domainxml.inputs';

const codes = (text: string) => diagnose(text).map((f) => f.code);

test('100k nesting: one clear diagnostic, no stack overflow', { timeout: 20000 }, () => {
  const deep = domain(`  <cpu>${'<numa>'.repeat(100000)}${'</numa>'.repeat(100000)}</cpu>`);
  const fs = diagnose(deep);
  assert.ok(fs.some((f) => f.code === 'libvirt/unknown-element'), 'a <numa> inside <numa> is unknown');
  const unclosed = `<domain type='kvm'><name>deep</name>${'<a>'.repeat(100000)}`;
  const wf = diagnose(unclosed).find((f) => f.code === 'libvirt/xml-not-well-formed')!;
  assert.match(wf.upstream!, /^\(domain_definition\):1: Premature end of data in tag/);
});

test('10 MB domain: diagnosed without running out of time or memory', { timeout: 30000 }, () => {
  // 60,000 pins (180,000 elements and attributes: under the scanner's limit) with long cpusets.
  const cpuset = `0-3,${Array.from({ length: 40 }, (_, i) => 100 + 3 * i).join(',')}`;
  const pins = `    <vcpupin vcpu='1' cpuset='${cpuset}'/>\n`.repeat(60000);
  const huge = domain(`  <cputune>\n${pins}  </cputune>`);
  assert.ok(huge.length > 10_000_000);
  const fs = diagnose(huge);
  const dups = fs.filter((f) => f.code === 'libvirt/vcpupin-duplicate');
  assert.equal(dups.length, 200, 'findings per code are capped');
  assert.equal(dups[0].upstream, "internal error: duplicate vcpupin for vcpu '1'");
  assert.match(fs.find((f) => f.code === 'input/too-many-findings')!.explanation, /^59799 more libvirt\/vcpupin-duplicate findings/);
});

test('billion laughs and DOCTYPEs: entities are never expanded, and we say why we care', { timeout: 10000 }, () => {
  const lol = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)].join('\n');
  const text = `<?xml version="1.0"?>\n<!DOCTYPE domain [\n${lol}\n]>\n<domain type='kvm'><name>&lol9;</name><vcpu>2</vcpu></domain>\n`;
  const fs = diagnose(text);
  assert.ok(fs.some((f) => f.code === 'libvirt/xml-entities'));
  assert.ok(codes(`<!DOCTYPE domain>\n<domain type='kvm'><vcpu>2</vcpu></domain>`).every((c) => c !== 'libvirt/xml-entities'));
});

test('invalid UTF-8 and not well-formed XML: libxml2 wording as virsh prints it', () => {
  assert.ok(codes(domain('  <cpu><model>Has\uFFFDwell</model></cpu>')).includes('input/invalid-utf8'));
  const mismatch = diagnose("<domain type='kvm'>\n  <name>x</name>\n  <cpu>\n  </vcpu>\n</domain>\n").find((f) => f.code === 'libvirt/xml-not-well-formed')!;
  assert.equal(mismatch.upstream, '(domain_definition):4: Opening and ending tag mismatch: cpu line 3 and vcpu');
  assert.equal(mismatch.range.start.line, 3);
  // Exactly what `virsh define` printed for these two files (libvirt 9.0).
  const premature = diagnose("<domain type='kvm'>\n  <name>x</name>\n  <memory>1024</memory>\n  <vcpu>2</vcpu>\n").find((f) => f.code === 'libvirt/xml-not-well-formed')!;
  assert.equal(premature.upstream, '(domain_definition):5: Premature end of data in tag domain line 1');
  const wf = (body: string) => diagnose(`<domain type='qemu'>\n  ${body}\n</domain>\n`).find((f) => f.code === 'libvirt/xml-not-well-formed')?.upstream;
  assert.equal(wf('<name>a&foo;b</name>'), "(domain_definition):2: Entity 'foo' not defined");
  assert.equal(wf("<vcpu a='<'>2</vcpu>"), "(domain_definition):2: Unescaped '<' not allowed in attributes values");
  assert.equal(wf("<vcpu placement='static' placement='auto'>2</vcpu>"), '(domain_definition):2: Attribute placement redefined');
  assert.equal(wf('<name>a&amp;b&#65;<!-- &x; --></name>'), undefined);
  const unquoted = diagnose("<domain type='kvm'>\n  <vcpu placement=static>2</vcpu>\n</domain>\n").find((f) => f.code === 'libvirt/xml-not-well-formed')!;
  assert.match(unquoted.upstream!, /^\(domain_definition\):2: /);
});

test('4,096 vCPUs with 4,096 vcpupins: clean, and each pin checked', { timeout: 10000 }, () => {
  const text = bigDomain(4096);
  assert.deepEqual(diagnose(text).filter((f) => f.severity === 'error'), []);
  const broken = text.replace("<vcpupin vcpu='4095' cpuset='63'/>", "<vcpupin vcpu='4096' cpuset='63'/>");
  assert.equal(diagnose(broken).filter((f) => f.code === 'libvirt/vcpupin-out-of-range').length, 1);
});
