/** Document symbols (our blocks) and folding ranges (multi-line elements), without recursion. */
import { SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver-types';
import type { DomainModel } from './model';
import { TOP_BLOCKS } from './schema';

export function domainSymbols(m: DomainModel): DocumentSymbol[] {
  if (!m.domain) return [];
  return m.domain.children.filter((c) => TOP_BLOCKS.includes(c.name)).map((c) => {
    const range = m.lines.range(c.start, c.end);
    const children: DocumentSymbol[] = c.children.slice(0, 5000).map((g) => ({
      name: g.name, detail: g.attrs.map((a) => `${a.name}=${a.value}`).join(' ') || g.text.trim().slice(0, 40), kind: SymbolKind.Field,
      range: m.lines.range(g.start, g.end), selectionRange: m.lines.range(g.start + 1, g.nameEnd),
    }));
    return { name: c.name, detail: c.name === 'vcpu' ? c.text.trim() : undefined, kind: SymbolKind.Struct, range, selectionRange: m.lines.range(c.start + 1, c.nameEnd), children };
  });
}

export function domainFolding(m: DomainModel): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const el of m.scan.elements) {
    if (out.length >= 5000) break;
    const a = m.lines.positionAt(el.start).line;
    const b = m.lines.positionAt(el.end).line;
    if (b > a) out.push({ startLine: a, endLine: b - 1 });
  }
  return out;
}
