/**
 * Parsed config-set members, shared by every member that reads them. With N members open, each
 * analysis needs the other N-1 parsed: keyed by content (and how the member is read: its label,
 * before or after), each is parsed once per text, so a keystroke costs one parse, not N.
 * Bounded by the bytes of the texts it holds; the oldest go first.
 */
import { LineIndex } from '../core/lineIndex';
import { scan } from './scan';

const MAX_BYTES = 64 * 1024 * 1024;
const MAX_TEXTS = 4096;

interface Views { before?: unknown; after?: unknown }
const byText = new Map<string, Map<string, Views>>();
let bytes = 0;

/** `parse()`'s result for this member text read as `label` (before or after the file): cached. */
export function parsedMember<T>(label: string, later: boolean, text: string, parse: () => T): T {
  let labels = byText.get(text);
  if (!labels) {
    labels = new Map();
    byText.set(text, labels);
    bytes += text.length;
    evictOldest(text);
  }
  let views = labels.get(label);
  if (!views) labels.set(label, (views = {}));
  const side = later ? 'after' : 'before';
  if (!(side in views)) views[side] = parse();
  return views[side] as T;
}

function evictOldest(keep: string): void {
  for (const text of byText.keys()) {
    if (bytes <= MAX_BYTES && byText.size <= MAX_TEXTS) return;
    if (text === keep) continue;
    byText.delete(text);
    bytes -= text.length;
  }
}

/**
 * What the other members of a set can see of a member: its entries (group, key, value) in
 * order. Comments, blank lines and positions do not count, so an edit that keeps this the same
 * cannot change another member's verdict (the server then skips re-validating them).
 */
export function memberFingerprint(text: string): string {
  const parts: string[] = [];
  for (const e of scan(text, new LineIndex(text).lineStarts).entries) {
    if (e.section) parts.push(e.section.group, e.key, e.quoted ? '"' : '', e.value);
  }
  return parts.join('\0');
}
