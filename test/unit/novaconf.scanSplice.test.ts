/**
 * spliceScan (the planner's one-parse path) against scan() of the edited text: for random edits of
 * real configs (Debian's packaged nova.conf, Nova's sample, the held-out upstream configs), and
 * edits built to cross every seam (continuation lines, headers, sectionless keys, the end of the
 * file), the result is the same scan, position for position, or undefined (then scan() is used).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LineIndex } from '../../server/src/core/lineIndex';
import { scan, spliceScan, type Scanned } from '../../server/src/novaconf/scan';
import { applySplices, type Splice } from '../../server/src/ops/splices';
import { below, pick, rng } from '../support/prng';
import { DEBIAN_COMPUTE_KVM, DEBIAN_NOVA_CONF, NOVA_SAMPLE, read } from '../support/ops';

const scanned = (text: string): Scanned => { const ls = new LineIndex(text).lineStarts; return { text, lineStarts: ls, scan: scan(text, ls) }; };

const PIECES = ['', 'x', '\n', '\n\n', ' ', '  cont', '\n  continued', '\n\tcont = x', '[libvirt]', '\n[libvirt]\n', '[DEFAULT]\n', '[]', '[broken',
  'cpu_mode = custom', '\ncpu_models = Haswell,\n  IvyBridge\n', 'key: value', '=', ':', '# comment\n', '; c', "'q'", '"', 'a = "b"\n', '\n  # looks = like a key'];

/** 1-3 non-overlapping splices at random places (biased to line starts, where the seams are). */
function randomSplices(r: () => number, text: string, lines: ArrayLike<number>): Splice[] {
  const n = 1 + below(r, 3);
  const at = new Set<number>();
  while (at.size < n * 2) at.add(r() < 0.5 ? lines[below(r, lines.length)] : below(r, text.length + 1));
  const cuts = [...at].sort((a, b) => a - b);
  const out: Splice[] = [];
  for (let i = 0; i < cuts.length; i += 2) {
    const end = r() < 0.4 ? cuts[i] : Math.min(cuts[i + 1], cuts[i] + below(r, 200));
    out.push({ start: cuts[i], end, text: pick(r, PIECES) + (r() < 0.3 ? pick(r, PIECES) : '') });
  }
  return out;
}

function check(before: Scanned, splices: Splice[], what: string): boolean {
  const after = applySplices(before.text, splices);
  const got = spliceScan(before, splices, after);
  if (!got) return false;
  const want = scanned(after);
  assert.deepEqual(Array.from(got.lineStarts), Array.from(want.lineStarts), `${what}: line starts`);
  assert.deepEqual(got.scan, want.scan, `${what}: scan`);
  return true;
}

test('spliceScan equals scan() of the edited text: random edits of Debian\'s nova.conf, Nova\'s sample and 30 upstream configs', () => {
  const dir = 'test/fixtures/novaconf-heldout';
  const heldout = readdirSync(dir).filter((f) => f.endsWith('.conf')).sort().filter((_, i) => i % 30 === 0).map((f) => join(dir, f));
  const texts = [DEBIAN_NOVA_CONF, DEBIAN_COMPUTE_KVM, NOVA_SAMPLE, ...heldout].map((p) => [p, read(p)] as const);
  const r = rng(20261201);
  let used = 0;
  let cases = 0;
  for (const [path, text] of texts) {
    const before = scanned(text);
    const runs = text.length > 100_000 ? 10 : 15;
    for (let i = 0; i < runs; i++, cases++) if (check(before, randomSplices(r, text, before.lineStarts), `${path} #${i}`)) used++;
  }
  // The shortcut must apply to most edits, or it saves nothing.
  assert.ok(used > cases * 0.7, `spliceScan applied to ${used} of ${cases} edits`);
});

test('spliceScan at the seams: continuations into and out of the edit, headers added and removed, the end of the file, sectionless keys', () => {
  const base = '[DEFAULT]\ndebug = true\n\n[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_models = Haswell,\n  IvyBridge\n# tail comment\n\n[workarounds]\nx = 1\n  y\n';
  const b = scanned(base);
  const at = (s: string) => base.indexOf(s);
  const cases: Array<[string, Splice[]]> = [
    ['replace a value in place', [{ start: at('custom'), end: at('custom') + 6, text: 'host-passthrough' }]],
    ['delete a multi-line entry', [{ start: at('cpu_models'), end: at('# tail'), text: '' }]],
    ['turn a key line into a continuation of the one above', [{ start: at('cpu_mode'), end: at('cpu_mode'), text: '  ' }]],
    ['turn a continuation into a key', [{ start: at('  IvyBridge'), end: at('  IvyBridge') + 2, text: '' }]],
    ['a continuation after the edit now continues the edited line', [{ start: at('# tail'), end: at('[workarounds]'), text: '' }]],
    ['add a header inside a section: later keys move to it', [{ start: at('cpu_mode'), end: at('cpu_mode'), text: '[new]\n' }]],
    ['remove a header: its keys join the section above', [{ start: at('[workarounds]'), end: at('x = 1'), text: '' }]],
    ['append at the end', [{ start: base.length, end: base.length, text: '[libvirt]\ncpu_mode = none\n' }]],
    ['two edits far apart', [{ start: at('true'), end: at('true') + 4, text: 'false' }, { start: at('x = 1'), end: at('x = 1') + 5, text: 'x = 2' }]],
    ['remove the final line break', [{ start: base.length - 1, end: base.length, text: '' }]],
    ['a key before the first section', [{ start: 0, end: 0, text: 'orphan = 1\n' }]],
  ];
  for (const [what, splices] of cases) assert.ok(check(b, splices, what), `${what}: spliceScan applied`);
  // Sectionless keys after the seam: not worth the rules, undefined (the caller scans).
  const orphans = scanned('a = 1\nb = 2\nc = 3\n');
  assert.equal(spliceScan(orphans, [{ start: 0, end: 1, text: 'z' }], 'z = 1\nb = 2\nc = 3\n'), undefined);
  // CRLF texts are scanned whole.
  const crlf = scanned('[libvirt]\r\ncpu_mode = none\r\n');
  assert.equal(spliceScan(crlf, [{ start: 11, end: 11, text: 'x' }], '[libvirt]\r\nxcpu_mode = none\r\n'), undefined);
});
