/**
 * Offset-based text edits for the planners: replace a span, delete whole lines, insert lines.
 * Everything outside the spans stays byte-identical, including the file's line breaks and
 * whether it ends with one.
 */
import type { LineIndex } from '../core/lineIndex';

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
 * Deletes lines from..to (0-based, inclusive) with their line break. When they are the last
 * lines and the file has no final line break, the break before them goes instead, so the file
 * still ends the way it did.
 */
export function deleteLines(text: string, lines: LineIndex, from: number, to: number): Splice {
  const starts = lines.lineStarts;
  const start = starts[from];
  if (to + 1 < starts.length) return { start, end: starts[to + 1], text: '' };
  // The last line of the text: take the preceding break (if any) with it.
  let s = start;
  if (from > 0) s = text[start - 1] === '\n' && text[start - 2] === '\r' ? start - 2 : start - 1;
  return { start: s, end: text.length, text: '' };
}

/** Inserts whole lines after the line that ends at `lineEnd` (an offset at a line's content end). */
export function insertLinesAfter(text: string, lineEnd: number, newLines: readonly string[]): Splice {
  const nl = eolOf(text);
  return { start: lineEnd, end: lineEnd, text: newLines.map((l) => nl + l).join('') };
}
