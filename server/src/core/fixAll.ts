/**
 * Fix-all: for the codes where it is safe, one edit that applies every finding's fix at once
 * ("Remove all 24 vcpupins beyond <vcpu>"). Safe means each fix touches only its own finding's
 * text (a line to delete, a name to rename), so the fixes never depend on one another; a fix
 * whose edits would overlap one already taken is left out (the next analysis reports it again).
 */
import type { Finding, Fix, TextEdit } from './findings';
import type { Code } from '../codes';

interface FixAllRule {
  /** The action's title for n findings. */
  title(n: number): string;
  /** The fix to apply for one finding, if this finding has a safe one. */
  pick(f: Finding): Fix | undefined;
}

const preferred = (f: Finding) => f.fixes?.find((x) => x.preferred) ?? (f.fixes?.length === 1 ? f.fixes[0] : undefined);
/** One edit only: a rename or a deletion in place (moving an option to another section adds lines there). */
const inPlace = (f: Finding) => { const x = preferred(f); return x && x.edits.length === 1 ? x : undefined; };
const first = (f: Finding) => f.fixes?.[0];

const RULES: Partial<Record<Code, FixAllRule>> = {
  'libvirt/vcpupin-out-of-range': { title: (n) => `Remove all ${n} vcpupins beyond <vcpu>`, pick: first },
  'libvirt/vcpupin-duplicate': { title: (n) => `Remove all ${n} duplicate vcpupins`, pick: first },
  'libvirt/cpu-feature-qemu-spelling': { title: (n) => `Rename all ${n} features to libvirt's spelling`, pick: preferred },
  'nova/deprecated-option': { title: (n) => `Rename all ${n} deprecated options`, pick: inPlace },
  'nova/removed-option': { title: (n) => `Remove all ${n} removed options`, pick: preferred },
  'nova/inline-comment': { title: (n) => `Move all ${n} inline comments to their own lines`, pick: preferred },
};

export interface FixAll { code: Code; title: string; edits: TextEdit[]; findings: Finding[] }

const before = (a: TextEdit['range']['start'], b: TextEdit['range']['start']) => a.line < b.line || (a.line === b.line && a.character < b.character);
/** Two edits overlap when each starts before the other ends; two inserts at one spot count too (their order would matter). */
const overlap = (a: TextEdit, b: TextEdit) => before(a.range.start, b.range.end) && before(b.range.start, a.range.end)
  || (a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character
    && a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character);

/** Adds `fix`'s edits to `taken` unless one overlaps an edit already there; returns whether it did. */
function take(taken: TextEdit[], fix: Fix): boolean {
  if (fix.edits.some((e) => taken.some((t) => overlap(e, t)))) return false;
  taken.push(...fix.edits);
  return true;
}

/** Per code, the fix-all of its findings, when at least two of them have a safe fix. */
export function fixAllsOf(findings: readonly Finding[]): FixAll[] {
  const byCode = new Map<Code, Finding[]>();
  for (const f of findings) {
    if (!RULES[f.code]) continue;
    const list = byCode.get(f.code);
    if (list) list.push(f); else byCode.set(f.code, [f]);
  }
  const out: FixAll[] = [];
  for (const [code, list] of byCode) {
    const edits: TextEdit[] = [];
    const rule = RULES[code]!;
    const fixed = list.filter((f) => { const fix = rule.pick(f); return fix !== undefined && take(edits, fix); });
    if (fixed.length >= 2) out.push({ code, title: rule.title(fixed.length), edits, findings: fixed });
  }
  return out;
}

/** Every code's fix-all in one edit (for `source.fixAll`, e.g. on save); a code whose edits overlap another's is left out. */
export function fixEverything(all: readonly FixAll[]): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const a of all) {
    if (a.edits.some((e) => edits.some((t) => overlap(e, t)))) continue;
    edits.push(...a.edits);
  }
  return edits;
}
