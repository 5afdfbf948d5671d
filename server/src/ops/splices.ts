/**
 * Offset-based text edits for the planners: replace a span, delete whole lines, insert lines.
 * Everything outside the spans stays byte-identical, including the file's line breaks and
 * whether it ends with one.
 */
export interface Splice { start: number; end: number; text: string }

/** Applies non-overlapping splices (any order given); an insertion at a replaced span's end stays after it. */
export function applySplices(text: string, splices: readonly Splice[]): string {
  const sorted = [...splices].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) throw new Error(`overlapping edits at offset ${s.start}`);
    out += text.slice(at, s.start) + s.text;
    at = s.end;
  }
  return out + text.slice(at);
}

/** The text's line break ('\r\n' when its first break is one), so inserted lines match. */
export function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/**
 * Deletes whole lines: from `start` (a line's first offset) through the end of the line holding
 * `end`, with its line break. When they are the last lines and the file has no final line break,
 * the break before them goes instead, so the file still ends the way it did. No line index
 * needed: the break is found from `end` (a 10k-line file is not indexed again for one deletion).
 */
export function deleteLinesAt(text: string, start: number, end: number): Splice {
  let e = end;
  while (e < text.length && text[e] !== '\n' && text[e] !== '\r') e++;
  if (e < text.length) return { start, end: text[e] === '\r' && text[e + 1] === '\n' ? e + 2 : e + 1, text: '' };
  let s = start;
  if (s > 0) s = text[s - 1] === '\n' && text[s - 2] === '\r' ? s - 2 : s - 1;
  return { start: s, end: text.length, text: '' };
}
