/** Outline (a symbol per section, its options inside) and folding (one range per section). */
import { SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver-types';
import type { NovaConfModel } from './model';
import { sectionEntries } from './scan';

export function symbols(model: NovaConfModel): DocumentSymbol[] {
  const { lines } = model;
  return model.scan.sections.map((s) => ({
    name: `[${s.name}]`,
    kind: SymbolKind.Namespace,
    range: lines.range(s.start, Math.max(s.end, s.nameEnd)),
    selectionRange: lines.range(s.nameStart, s.nameEnd),
    children: sectionEntries(model.scan, s).map((e) => ({
      name: e.key,
      detail: e.value.length > 60 ? `${e.value.slice(0, 57)}...` : e.value,
      kind: SymbolKind.Property,
      range: lines.range(e.keyStart, Math.max(e.keyEnd, e.valueEnd)),
      selectionRange: lines.range(e.keyStart, e.keyEnd),
    })),
  }));
}

export function folding(model: NovaConfModel): FoldingRange[] {
  const { lines } = model;
  const out: FoldingRange[] = [];
  const sections = model.scan.sections;
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i];
    // A section runs to the line before the next header, trailing blank and comment lines included.
    const nextLine = i + 1 < sections.length ? sections[i + 1].line : lines.lineCount;
    let last = nextLine - 1;
    while (last > s.line && lines.lineText(last).trim() === '') last--;
    if (last > s.line) out.push({ startLine: s.line, endLine: last });
  }
  return out;
}
