/**
 * Parsed config-set members, shared by every member that reads them. With N members open, each
 * analysis needs the other N-1 parsed: keyed by the member's label and its text, each is
 * parsed once per text, so a keystroke costs one parse, not N.
 * Bounded by the bytes of the texts it holds; the oldest go first.
 */
const MAX_BYTES = 64 * 1024 * 1024;
const MAX_LABELS = 4096;
/** Texts kept per member: the current one and a few recent edits (an undo finds its parse). */
const MAX_VERSIONS = 4;

interface Parsed { text: string; value: unknown }

/**
 * Keyed by label first, then compared by text: V8 hashes strings over 16 KiB by their length
 * only, so a Map keyed by many same-length texts of big members would compare them all.
 * Least recently used labels go first.
 */
const byLabel = new Map<string, Parsed[]>();
let bytes = 0;

/** `parse()`'s result for this member text read as `label`: cached, unless `keep` says it is not whole (cut short by the time budget). */
export function parsedMember<T>(label: string, text: string, parse: () => T, keep: (value: T) => boolean = () => true): T {
  let versions = byLabel.get(label);
  if (versions) {
    byLabel.delete(label);
    byLabel.set(label, versions); // most recently used last
    const hit = versions.find((v) => v.text === text);
    if (hit) return hit.value as T;
  } else {
    versions = [];
    byLabel.set(label, versions);
  }
  const value = parse();
  if (!keep(value)) return value;
  versions.push({ text, value });
  bytes += text.length;
  if (versions.length > MAX_VERSIONS) bytes -= versions.shift()!.text.length;
  evictOldest(label);
  return value;
}

function evictOldest(keep: string): void {
  for (const [label, versions] of byLabel) {
    if (bytes <= MAX_BYTES && byLabel.size <= MAX_LABELS) return;
    if (label === keep) continue;
    byLabel.delete(label);
    for (const v of versions) bytes -= v.text.length;
  }
}
