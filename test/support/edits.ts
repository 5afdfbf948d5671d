/** Applies LSP text edits to a text (edits never overlap: applied from the last one back). */
import { LineIndex } from '../../server/src/core/lineIndex';
import type { TextEdit } from '../../server/src/core/findings';

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const at = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }));
  at.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of at) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
