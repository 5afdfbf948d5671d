/**
 * Parsed config-set members, shared by every member that reads them. With N members open, each
 * analysis needs the other N-1 parsed: keyed by content (and how the member is read: its label,
 * before or after), each is parsed once per text, so a keystroke costs one parse, not N.
 * Bounded by the bytes of the texts it holds; the least recently used go first.
 */
const MAX_BYTES = 64 * 1024 * 1024;
const MAX_TEXTS = 4096;

const byText = new Map<string, Map<string, unknown>>();
let bytes = 0;

/** `parse()`'s result for this member text read as `label` (before or after the file): cached. */
export function parsedMember<T>(label: string, later: boolean, text: string, parse: () => T): T {
  const key = `${later ? 'after' : 'before'}\0${label}`;
  let views = byText.get(text);
  if (views) {
    // Re-insert: Map order is the LRU order.
    byText.delete(text);
    byText.set(text, views);
    if (views.has(key)) return views.get(key) as T;
  } else {
    views = new Map();
    byText.set(text, views);
    bytes += text.length;
    evict(text);
  }
  const parsed = parse();
  views.set(key, parsed);
  return parsed;
}

function evict(keep: string): void {
  for (const text of byText.keys()) {
    if (bytes <= MAX_BYTES && byText.size <= MAX_TEXTS) return;
    if (text === keep) continue;
    byText.delete(text);
    bytes -= text.length;
  }
}
