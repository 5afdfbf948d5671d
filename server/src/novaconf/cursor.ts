/**
 * Where the cursor is, in nova.conf terms: in a section header, on a key, or in a value (and in
 * which list item). Completion and hover both start here; it reads the line, not the entries,
 * because a half-typed line is usually not an entry yet.
 */
import type { Position } from '../core/findings';
import type { NovaConfModel } from './model';
import type { Section } from './scan';

export type Cursor =
  | { kind: 'section'; start: number; end: number; text: string }
  | { kind: 'key'; group?: string; start: number; end: number; text: string; hasSeparator: boolean }
  | { kind: 'value'; group?: string; key: string; start: number; end: number; text: string; itemStart: number; itemEnd: number; item: string; offset: number }
  | { kind: 'none' };

export function sectionAt(model: NovaConfModel, line: number): Section | undefined {
  const sections = model.scan.sections;
  let lo = 0;
  let hi = sections.length - 1;
  let found: Section | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sections[mid].line <= line) { found = sections[mid]; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

export function cursorAt(model: NovaConfModel, pos: Position): Cursor {
  const { lines } = model;
  if (pos.line >= lines.lineCount) return { kind: 'none' };
  const lineStart = lines.lineStarts[pos.line];
  const text = lines.lineText(pos.line);
  const col = Math.min(pos.character, text.length);
  if (text.startsWith('#') || text.startsWith(';') || /^[ \t]/.test(text)) return { kind: 'none' };
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    const end = close >= 0 ? close : text.length;
    if (col < 1 || col > end) return { kind: 'none' };
    return { kind: 'section', start: lineStart + 1, end: lineStart + end, text: text.slice(1, end) };
  }
  const group = sectionAt(model, pos.line)?.group;
  const colon = text.indexOf(':');
  const equal = text.indexOf('=');
  const sep = colon < 0 ? equal : equal < 0 ? colon : Math.min(colon, equal);
  const keyEnd = sep < 0 ? text.length : sep;
  if (sep < 0 || col <= sep) {
    const key = text.slice(0, keyEnd).trimEnd();
    return { kind: 'key', group, start: lineStart, end: lineStart + key.length, text: key, hasSeparator: sep >= 0 };
  }
  const key = text.slice(0, sep).trim();
  let vs = sep + 1;
  while (vs < text.length && (text[vs] === ' ' || text[vs] === '\t')) vs++;
  // The list item under the cursor: between the commas around it, without surrounding spaces.
  let a = text.lastIndexOf(',', col - 1) + 1;
  if (a <= sep) a = vs;
  while (a < col && text[a] === ' ') a++;
  let b = text.indexOf(',', col);
  if (b < 0) b = text.length;
  while (b > a && text[b - 1] === ' ') b--;
  return {
    kind: 'value', group, key, start: lineStart + vs, end: lineStart + text.length, text: text.slice(vs),
    itemStart: lineStart + a, itemEnd: lineStart + Math.max(a, b), item: text.slice(a, Math.max(a, b)), offset: lineStart + col,
  };
}
