/**
 * What an editor shows first for a typed prefix: the items whose filter text starts with it (a
 * contiguous prefix match scores the same for each in VS Code's fuzzy scorer), in sortText order,
 * then by label. Enough to say what `vm` + Enter inserts.
 */
import type { CompletionItem } from 'vscode-languageserver-types';

export function shownFor(items: CompletionItem[], typed: string): string[] {
  const t = typed.toLowerCase();
  return items
    .filter((i) => (i.filterText ?? i.label).toLowerCase().split(' ').some((w) => w.startsWith(t)))
    .sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label) || a.label.localeCompare(b.label))
    .map((i) => i.label);
}

/** The text an item inserts (its textEdit's newText, else insertText or label). */
export function inserted(i: CompletionItem): string {
  const e = i.textEdit as { newText: string } | undefined;
  return e?.newText ?? i.insertText ?? i.label;
}
