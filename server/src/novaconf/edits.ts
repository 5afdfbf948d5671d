/** Text edits the quick fixes are made of: replace a value, rename a key, delete or add lines. */
import type { TextEdit } from '../core/findings';
import type { NovaConfModel } from './model';
import { lastSection, rangeIn } from './model';
import type { Entry } from './scan';

export function replaceSpan(model: NovaConfModel, start: number, end: number, newText: string): TextEdit {
  return { range: model.lines.range(start, end), newText };
}

/** Replaces start..end of an entry's text; an entry of another set member gives an edit runRules drops. */
function replaceIn(model: NovaConfModel, entry: Entry, start: number, end: number, newText: string): TextEdit {
  return { range: rangeIn(model, entry, start, end), newText };
}

/** Replaces the whole value (all continuation lines) with one line of text. */
export function replaceValue(model: NovaConfModel, entry: Entry, newText: string): TextEdit {
  return replaceIn(model, entry, entry.valueStart, entry.valueEnd, newText);
}

export function renameKey(model: NovaConfModel, entry: Entry, name: string): TextEdit {
  return replaceIn(model, entry, entry.keyStart, entry.keyEnd, name);
}

/** Deletes whole lines from..to (inclusive), line breaks included. */
export function deleteLines(model: NovaConfModel, from: number, to: number): TextEdit {
  const { lineStarts } = model.lines;
  const start = lineStarts[from];
  const end = to + 1 < lineStarts.length ? lineStarts[to + 1] : model.text.length;
  return replaceSpan(model, start, end, '');
}

export function deleteEntry(model: NovaConfModel, entry: Entry): TextEdit {
  return entry.origin ? replaceIn(model, entry, 0, 0, '') : deleteLines(model, entry.line, entry.lastLine);
}

/** The text's line break style, so inserted lines match. */
export function eol(model: NovaConfModel): string {
  return /\r\n/.test(model.text.slice(0, 4096)) ? '\r\n' : '\n';
}

/** Adds `line` at the end of the group's last section, or in a new section at the end of the file. */
export function addToGroup(model: NovaConfModel, group: string, line: string): TextEdit {
  const nl = eol(model);
  const section = lastSection(model, group);
  if (section) {
    const at = section.end;
    return replaceSpan(model, at, at, nl + line);
  }
  const end = model.text.length;
  const sep = end === 0 ? '' : model.text.endsWith('\n') || model.text.endsWith('\r') ? nl : nl + nl;
  return replaceSpan(model, end, end, `${sep}[${group}]${nl}${line}${nl}`);
}

/** Inserts a whole line right after an entry. */
export function addAfter(model: NovaConfModel, entry: Entry, line: string): TextEdit {
  return replaceIn(model, entry, entry.end, entry.end, eol(model) + line);
}

/** Inserts a whole line right before a line. */
export function addBeforeLine(model: NovaConfModel, lineNo: number, line: string): TextEdit {
  const at = model.lines.lineStarts[lineNo];
  return replaceSpan(model, at, at, line + eol(model));
}
