/**
 * Where the cursor is, in XML terms: typing an element name, an attribute name, an attribute
 * value, or element text. Works on half-typed input: it reads the text around the cursor and
 * asks the scanned tree only for the enclosing element. Completion and hover share it.
 */
import type { DomainModel } from './model';
import type { XmlAttr, XmlElement } from './scan';

export type CursorContext =
  | { kind: 'element-name'; parent: XmlElement | undefined; prefix: string; start: number }
  | { kind: 'attr-name'; element: string; parent: XmlElement | undefined; present: string[]; prefix: string; start: number }
  | { kind: 'attr-value'; element: string; parent: XmlElement | undefined; attr: string; prefix: string; start: number; end: number }
  | { kind: 'text'; element: XmlElement; start: number; end: number }
  | { kind: 'none' };

/** Innermost element whose content (between its tags) holds the offset. Iterative. */
export function containerAt(root: XmlElement | undefined, offset: number): XmlElement | undefined {
  let hit: XmlElement | undefined;
  let cur = root;
  while (cur && offset >= cur.openEnd && offset <= cur.closeStart && !cur.selfClosing) {
    hit = cur;
    let next: XmlElement | undefined;
    for (const c of cur.children) {
      if (c.start > offset) break;
      if (offset >= c.openEnd && offset <= c.closeStart && !c.selfClosing) { next = c; break; }
    }
    cur = next;
  }
  return hit;
}

/** The scanned element whose start tag holds the offset, with the attribute under it. */
export function tagAt(m: DomainModel, offset: number): { el: XmlElement; attr?: XmlAttr; onValue: boolean } | undefined {
  // elements are in document order: binary search the last one starting before the offset.
  const els = m.scan.elements;
  let lo = 0; let hi = els.length - 1; let idx = -1;
  while (lo <= hi) { const mid = (lo + hi) >> 1; if (els[mid].start <= offset) { idx = mid; lo = mid + 1; } else hi = mid - 1; }
  for (let i = idx; i >= 0 && i > idx - 64; i--) {
    const el = els[i];
    if (offset >= el.start && offset <= el.openEnd) {
      for (const a of el.attrs) {
        if (offset >= a.nameStart && offset <= a.nameEnd) return { el, attr: a, onValue: false };
        if (offset >= a.valueStart && offset <= a.valueEnd && a.valueEnd > a.nameEnd) return { el, attr: a, onValue: true };
      }
      return { el, onValue: false };
    }
  }
  return undefined;
}

const LOOKBACK = 4096;

export function cursorContext(m: DomainModel, offset: number): CursorContext {
  const text = m.text;
  const from = Math.max(0, offset - LOOKBACK);
  const before = text.slice(from, offset);
  const lt = before.lastIndexOf('<');
  const gt = before.lastIndexOf('>');
  if (lt > gt) {
    const tagStart = from + lt;
    const tag = before.slice(lt);
    const parent = containerAt(m.scan.root, tagStart);
    const nameMatch = /^<([A-Za-z_][\w.:-]*)?$/.exec(tag);
    if (nameMatch) return { kind: 'element-name', parent, prefix: nameMatch[1] ?? '', start: tagStart + 1 };
    const head = /^<([A-Za-z_][\w.:-]*)\s/.exec(tag);
    if (!head) return { kind: 'none' };
    const element = head[1];
    const valueMatch = /([A-Za-z_][\w.:-]*)\s*=\s*(["'])([^"'<>]*)$/.exec(tag);
    if (valueMatch) {
      const q = valueMatch[2];
      let end = offset;
      while (end < text.length && text[end] !== q && text[end] !== '<' && text[end] !== '>' && text[end] !== '\n') end++;
      return { kind: 'attr-value', element, parent, attr: valueMatch[1], prefix: valueMatch[3], start: offset - valueMatch[3].length, end };
    }
    const present = [...tag.matchAll(/([A-Za-z_][\w.:-]*)\s*=/g)].map((x) => x[1]);
    const prefixMatch = /([A-Za-z_][\w.:-]*)$/.exec(tag);
    const prefix = prefixMatch && /\s[A-Za-z_][\w.:-]*$/.test(tag) ? prefixMatch[1] : '';
    return { kind: 'attr-name', element, parent, present, prefix, start: offset - prefix.length };
  }
  const el = containerAt(m.scan.root, offset);
  if (!el) return { kind: 'none' };
  // Text completion only for elements whose content is a value, and only between its tags.
  let start = offset; let end = offset;
  while (start > el.openEnd && !/[<>\s]/.test(text[start - 1])) start--;
  while (end < el.closeStart && !/[<>\s]/.test(text[end])) end++;
  return { kind: 'text', element: el, start, end };
}
