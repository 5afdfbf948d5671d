/**
 * plainxml.ts proves documents well-formed without XMLValidator; its `true` must mean the
 * validator's `true` (else a broken file would go unreported). Checked on hand-picked edge cases
 * of the validator's grammar, on every real and test domain XML, and on seeded mutations of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { isPlainWellFormed } from '../../server/src/domainxml/plainxml';
import { fuzzCase, seedTexts } from '../support/fuzzCases';
import { below, pick, rng } from '../support/prng';
import { HOSTILE } from '../../bench/domainxml.inputs';

const validates = (t: string) => XMLValidator.validate(t, { allowBooleanAttributes: false }) === true;

test('plain documents are proven, each construct outside the plain grammar is left to the validator', () => {
  const proven = [
    '<a/>', '<a></a>', '<a ></a >', "<a b='1'/>", '<a b="1" c=\'2\' />', "<a\n  b = '1'\n>t</a>", '<?xml version="1.0"?>\n<a/>\n',
    '<!-- c --><a><!-- d --><b x="&quot;<>"/>&amp;&#65;&#x41;&abc_12;</a><!-- e -->\n', "<a b='x\"y' c=\"x'y\">></a>",
    `<a ${Array.from({ length: 20 }, (_, i) => `x${i}='1'`).join(' ')}/>`,
  ];
  for (const t of proven) {
    assert.equal(isPlainWellFormed(t), true, t);
    assert.equal(validates(t), true, `the validator accepts ${t}`);
  }
  const left = [
    '', ' ', 'x<a/>', '<a/>x', '<a/><b/>', '<a>', '<a></b>', '<a></ab>', '<ab></a>', '</a>', '<a/ >', '<a></a/>', '<a b=1/>', '<a b/>',
    "<a b='1'c='2'/>", "<a b='1' b='2'/>", `<a ${Array.from({ length: 20 }, (_, i) => `x${i % 15}='1'`).join(' ')}/>`, "<a b='1/>",
    '<a>&;</a>', '<a>&#;</a>', '<a>&#x;</a>', '<a>& b</a>', `<a>&${'w'.repeat(21)};</a>`, '<a>&amp</a>', '<a><![CDATA[x]]></a>',
    '<!DOCTYPE a><a/>', '<a><?pi x?></a>', ' <?xml version="1.0"?><a/>', '\ufeff<a/>', '<é/>', '<a é="1"/>', '<a><!-- x</a>', '<1/>', '< a/>',
  ];
  for (const t of left) assert.equal(isPlainWellFormed(t), false, JSON.stringify(t));
});

function xmlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) xmlFiles(p, out);
    else if (e.endsWith('.xml')) out.push(p);
  }
  return out;
}

const ROOT = join(__dirname, '..', '..');
const REAL = [join(ROOT, '..', 'shared', 'data', 'realworld', 'libvirt'), join(ROOT, 'examples'), join(ROOT, 'test')];

test('every real and test domain XML the validator accepts is proven plain (so the validator is skipped for them)', () => {
  let n = 0;
  for (const dir of REAL) {
    for (const f of xmlFiles(dir)) {
      const t = readFileSync(f, 'utf8');
      if (!validates(t)) continue;
      assert.equal(isPlainWellFormed(t), true, f);
      n++;
    }
  }
  assert.ok(n >= 100, `only ${n} files found: is ../shared there?`);
});

/** Tokens at the edges of the plain grammar, for the mutations below. */
const EDGES = ['<', '>', '/', '/>', '</', '=', "'", '"', ' ', '\n', '&', ';', '#', 'x', '&#', '&#x', '<!--', '-->', '<?', '?>', '<!', ']]>', 'a', 'é', '\ufeff', ' / ', '==', '</a>', '<a>'];

test('a document proven plain is one the validator accepts: seeded mutations of real domains and the hostile inputs', () => {
  const seeds = [...seedTexts('domain-xml'), ...['vcpupins-60k', 'features-60k', 'hugepages-10k', 'unknown-attrs-100k', 'comments-30', 'entities-in-comment-200k'].map((n) => HOSTILE[n]())];
  for (const s of seeds) assert.equal(isPlainWellFormed(s), validates(s), s.slice(0, 80));
  const small = seedTexts('domain-xml');
  const r = rng(7);
  let proven = 0;
  for (let i = 0; i < 3000; i++) {
    const general = fuzzCase(20261201, i, 'domain-xml', small, 32 * 1024).text;
    let t = pick(r, small);
    for (let k = 1 + below(r, 3); k > 0; k--) {
      const at = below(r, t.length + 1);
      t = below(r, 2) ? t.slice(0, at) + pick(r, EDGES) + t.slice(at) : t.slice(0, at) + t.slice(at + 1 + below(r, 3));
    }
    for (const c of [general, t]) {
      if (!isPlainWellFormed(c)) continue;
      proven++;
      assert.equal(validates(c), true, `proven plain, but the validator refuses: ${JSON.stringify(c.slice(0, 2000))}`);
    }
  }
  assert.ok(proven > 300, `only ${proven} mutated documents were proven plain: the check says too little to be tested`);
});
