/**
 * Which open members of a config set an edit of one member can affect. A member's findings
 * depend on the other files only through the slots (group\0name) its rules looked up
 * (NovaConfModel.setReads) and what the files set there: the entries' keys, values, quoting,
 * lines and section names (messages name another file's line, never its offsets). An edit that
 * changes none of that for a member (a comment, another option, or an option that a file read
 * later sets again) leaves its verdict as it is, so the server does not analyse it again.
 */
import type { Analysis } from '../analyze';
import type { RelatedFile } from '../core/languageService';
import { LineIndex } from '../core/lineIndex';
import { memberScan, setAfter, setFilesOf, type NovaConfModel, type ReadSlots } from './model';
import { scan, type Entry } from './scan';

/**
 * What the other members of a set can see of a member: per slot, a digest of its entries (their
 * keys, values, quoting, lines and section names, in order). The server keeps one per open
 * member for as long as it is open, so it is a number per slot, not the entries: a copy of the
 * scan would double the memory a big file costs. Two 32-bit hashes of different kinds make 53
 * bits: an edit that changes a slot keeps its digest with a chance of about 1 in 10^15.
 */
export type MemberView = Map<string, number>;

export function memberView(text: string): MemberView {
  return viewOf(scan(text, new LineIndex(text).lineStarts).entries);
}

/** Per slot, the running hashes of its entries' fields (FNV-1a and a multiply-rotate hash). */
function viewOf(entries: readonly Entry[]): MemberView {
  const hashes = new Map<string, [number, number]>();
  for (const e of entries) {
    if (!e.section) continue;
    const k = `${e.section.group}\0${e.key}`;
    let h = hashes.get(k);
    if (!h) hashes.set(k, h = [0x811c9dc5, 0x9747b28c]);
    for (const field of [e.key, e.value, e.quoted ? '1' : '0', String(e.line), String(e.lastLine), e.section.name]) {
      for (let i = 0; i <= field.length; i++) {
        // The field's end counts as a character (-1), so that fields cannot run into each other.
        const c = i < field.length ? field.charCodeAt(i) : -1;
        h[0] = Math.imul(h[0] ^ c, 0x01000193);
        h[1] = Math.imul((h[1] ^ c) << 13 | (h[1] ^ c) >>> 19, 0x5bd1e995) + 0x6b43a9b5 | 0;
      }
    }
  }
  const view: MemberView = new Map();
  for (const [k, [a, b]] of hashes) view.set(k, (a >>> 0) * 0x200000 + (b >>> 11));
  return view;
}

/** An edit of one member, as the others can see it. */
export interface SetChange {
  /** The slots whose entries in the edited member differ. */
  slots: Set<string>;
  /** Of these, the ones a file read after it sets too: which file sets them last is the same. */
  shadowed: Set<string>;
}

/**
 * The change between two views of a member; `set`: the set as it is now, with the member at
 * `self` (none: a member read alone, or one that cannot be read, shadows nothing).
 */
export function setChange(before: MemberView, after: MemberView, set?: { files: readonly RelatedFile[]; self: number }): SetChange {
  const slots = new Set<string>();
  for (const [k, digest] of before) if (after.get(k) !== digest) slots.add(k);
  for (const k of after.keys()) if (!before.has(k)) slots.add(k);
  const shadowed = new Set(set ? [...slots].filter((k) => setAfter(set, k)) : []);
  return { slots, shadowed };
}

/**
 * Whether the findings of `analysis` (another member of the set) may change with `change`.
 * Anything but a complete nova.conf analysis may.
 */
export function mayChange(analysis: Analysis | undefined, change: SetChange): boolean {
  if (!analysis || analysis.kind !== 'nova-conf' || analysis.model === undefined || analysis.cutShort) return true;
  return readsChanged((analysis.model as NovaConfModel).setReads, change);
}

/** Whether what was read across the set (`reads`) may read otherwise after `change`. */
export function readsChanged(reads: ReadSlots, change: SetChange): boolean {
  for (const k of change.slots) {
    if (reads.hasAll(k) || (reads.hasLast(k) && !change.shadowed.has(k))) return true;
  }
  return false;
}

/** setDelta's answer per set state (the files array the front shares among the members) and the one after it. */
const deltas = new WeakMap<readonly RelatedFile[], { to: readonly RelatedFile[]; change: SetChange | undefined }>();

/**
 * What changed between the set states two models of one member's same text were built from,
 * as its rules can see it; undefined when the set's members are not the same ones (added, gone,
 * unreadable, another place for this file): then nothing of the earlier analysis carries over.
 * Once per pair of states for all the members that share them.
 */
export function setDelta(prev: NovaConfModel, next: NovaConfModel): SetChange | undefined {
  const a = setFilesOf(prev);
  const b = setFilesOf(next);
  const known = deltas.get(a);
  if (known?.to === b) return known.change;
  const change = prev.members.self === next.members.self ? filesDelta(a, b, next.members.self) : undefined;
  deltas.set(a, { to: b, change });
  return change;
}

function filesDelta(a: readonly RelatedFile[], b: readonly RelatedFile[], self: number): SetChange | undefined {
  if (a.length !== b.length) return undefined;
  // Per slot that changed, the last file where it did.
  const lastChanged = new Map<string, number>();
  for (let i = 0; i < a.length; i++) {
    if (a[i].label !== b[i].label) return undefined;
    if (a[i].text === b[i].text) continue;
    if (i === self) return undefined;
    const view = (f: RelatedFile) => viewOf(memberScan(f.label, f.text).scan.entries);
    for (const k of setChange(view(a[i]), view(b[i])).slots) lastChanged.set(k, i);
  }
  // Set again by a file after the last one that changed it: which file sets it last stays the same.
  const shadowed = new Set([...lastChanged].filter(([k, i]) => setAfter({ files: b, self: i }, k)).map(([k]) => k));
  return { slots: new Set(lastChanged.keys()), shadowed };
}
