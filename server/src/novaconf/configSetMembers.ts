/**
 * Parsed config-set members, shared by every member that reads them. With N members open, each
 * analysis needs the other N-1 parsed: keyed by content (and the member's label), each is
 * parsed once per text, so a keystroke costs one parse, not N.
 * Bounded by the bytes of the texts it holds; the oldest go first.
 */
import { LineIndex } from '../core/lineIndex';
import { scan } from './scan';

const MAX_BYTES = 64 * 1024 * 1024;
const MAX_TEXTS = 4096;

const byText = new Map<string, Map<string, unknown>>();
let bytes = 0;

/** `parse()`'s result for this member text read as `label`: cached. */
export function parsedMember<T>(label: string, text: string, parse: () => T): T {
  let labels = byText.get(text);
  if (!labels) {
    labels = new Map();
    byText.set(text, labels);
    bytes += text.length;
    evictOldest(text);
  }
  if (!labels.has(label)) labels.set(label, parse());
  return labels.get(label) as T;
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
