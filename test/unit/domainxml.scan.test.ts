/** The tolerant scanner and libvirt's cpuset grammar. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanXml, attr, child, decodeEntities } from '../../server/src/domainxml/scan';
import { below, pick, rng } from '../support/prng';
import { parseLibvirtCpuset, formatLibvirtCpuset } from '../../server/src/cpuset/libvirtCpuset';

test('libvirt cpuset: ^N only removes ids listed before it', () => {
  assert.deepEqual(parseLibvirtCpuset('^2,0-3').set, [[0, 3]]);
  assert.deepEqual(parseLibvirtCpuset('0-3,^2').set, [[0, 1], [3, 3]]);
  assert.deepEqual(parseLibvirtCpuset('0-3,^2,2').set, [[0, 3]]);
  assert.deepEqual(parseLibvirtCpuset('^1,^1,0-3,^1').set, [[0, 0], [2, 3]]);
  assert.deepEqual(parseLibvirtCpuset('0,^0'), { ok: false, error: 'empty', set: [], schemaValid: true });
});

/** virBitmapParse as libvirt runs it: bit by bit, left to right (only for short test strings). */
function referenceBits(str: string): number[] | 'syntax' {
  const bits = new Set<number>();
  for (const raw of str.split(',')) {
    const tok = raw.trim();
    if (tok === '') return 'syntax';
    const neg = /^\^(\d+)$/.exec(tok);
    const range = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(tok);
    if (neg) bits.delete(Number(neg[1]));
    else if (range) {
      const a = Number(range[1]); const b = Number(range[2] ?? range[1]);
      if (b < a || b >= 16384) return 'syntax';
      for (let x = a; x <= b; x++) bits.add(x);
    } else return 'syntax';
  }
  return [...bits].sort((x, y) => x - y);
}

test('libvirt cpuset: intervals agree with a bit-by-bit reading on 5,000 random lists', () => {
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let k = 0; k < 5000; k++) {
    const parts = Array.from({ length: 1 + rnd(8) }, () => {
      const a = rnd(40);
      return rnd(3) === 0 ? `^${a}` : rnd(2) ? `${a}` : `${a}-${a + rnd(10)}`;
    });
    const text = parts.join(',');
    const want = referenceBits(text);
    const got = parseLibvirtCpuset(text);
    const ids = got.set.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i));
    if (want === 'syntax') assert.equal(got.ok || got.error, 'syntax', text);
    else if (want.length === 0) assert.equal(got.ok || got.error, 'empty', text);
    else assert.deepEqual(ids, want, text);
  }
});

test('libvirt cpuset: syntax errors and limits as virBitmapParse', () => {
  for (const bad of ['3-1', 'aaa', '16384', '', '^1-2', '1,,2', '1-']) assert.equal(parseLibvirtCpuset(bad).ok === false && (parseLibvirtCpuset(bad) as { error: string }).error, 'syntax', bad);
  assert.deepEqual(parseLibvirtCpuset('1,').set, [[1, 1]]); // a trailing comma passes the parser (not the schema)
  const spaced = parseLibvirtCpuset(' 0 - 2 , 4');
  assert.equal(spaced.ok, true);
  assert.deepEqual(spaced.set, [[0, 2], [4, 4]]);
  assert.equal(spaced.schemaValid, false);
  assert.deepEqual(parseLibvirtCpuset('16383').set, [[16383, 16383]]);
  assert.equal(formatLibvirtCpuset([[0, 2], [5, 5], [7, 8]]), '0-2,5,7-8');
});

test('scanner: exact ranges for elements, attributes and text', () => {
  const text = `<domain type='kvm'>\n  <vcpu placement="static">4</vcpu>\n</domain>`;
  const { root } = scanXml(text);
  const vcpu = child(root, 'vcpu')!;
  const p = attr(vcpu, 'placement')!;
  assert.equal(text.slice(p.nameStart, p.nameEnd), 'placement');
  assert.equal(text.slice(p.valueStart, p.valueEnd), 'static');
  assert.equal(text.slice(vcpu.textStart, vcpu.textEnd), '4');
  assert.equal(text.slice(vcpu.start, vcpu.end), '<vcpu placement="static">4</vcpu>');
  assert.equal(vcpu.complete, true);
});

test('scanner: tolerates half-typed text', () => {
  const text = `<domain>\n  <cpu mode='host-model'>\n    <feature policy='req\n    <model>Has`;
  const { root } = scanXml(text);
  const cpu = child(root, 'cpu')!;
  assert.equal(attr(cpu, 'mode')!.value, 'host-model');
  const feature = child(cpu, 'feature')!;
  assert.equal(attr(feature, 'policy')!.value, 'req\n    ');
  assert.equal(feature.complete, false);
  assert.ok(root && !root.complete);
});

test('scanner: 100k nesting uses no recursion; entities are never expanded', () => {
  const deep = '<domain>' + '<a>'.repeat(100000) + '</a>'.repeat(100000) + '</domain>';
  const r = scanXml(deep);
  assert.equal(r.elements.length, 100001);
  const laughs = `<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><domain><name>&b;</name></domain>`;
  const l = scanXml(laughs);
  assert.equal(l.doctype?.declaresEntities, true);
  assert.equal(child(l.root, 'name')!.text, '&b;');
});

test('entities: the five predefined and character references are decoded, anything else stays literal', () => {
  assert.equal(decodeEntities('a&lt;b&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;'), `a<b>&"'AB\u{1F600}`);
  for (const literal of ['&bogus;', '&constructor;', '&toString;', '&#0;', '&#x110000;', '&#;', '&#x;', '&;', '&amp', '&#12a;', '& amp;', '&am-p;']) {
    assert.equal(decodeEntities(literal), literal);
  }
  // The same as the regex it replaced (which also read &constructor; as Object's constructor), on random text.
  const PRE: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  const byRegex = (s: string) => s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (m, body: string) => {
    if (body[0] === '#') {
      const cp = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return Object.hasOwn(PRE, body) ? PRE[body] : m;
  });
  const r = rng(11);
  const pieces = ['&', ';', '#', 'x', 'amp', 'lt', 'a', '1', 'F', '99999999', ' ', '&amp;', '&#x41;', '&#65;', 'é'];
  for (let i = 0; i < 5000; i++) {
    let s = '';
    for (let k = below(r, 12); k > 0; k--) s += pick(r, pieces);
    assert.equal(decodeEntities(s), byRegex(s), JSON.stringify(s));
  }
  const many = '&amp;'.repeat(100_000);
  assert.equal(decodeEntities(many), '&'.repeat(100_000));
});
