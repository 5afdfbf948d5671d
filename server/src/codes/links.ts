/**
 * Where a code's entry in the rules reference is: a file: URI into docs/rules/ of the installed
 * package (the extension, or the npm package the CLI and server come from), with `#L<line>` at
 * the entry's heading. VS Code opens file: links in an editor at that line (its opener reads
 * `#L<n>`), offline; other LSP clients get a path they can open. The lines come from the same
 * rendering that writes the files (docs.ts), so they cannot drift.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { codeKind } from './index';
import { renderRulesPage } from './docs';

let docsDir: string | null | undefined;
const pageLines = new Map<string, Map<string, number>>();
/** Per registered code (a bounded set): its link, made once (pathToFileURL costs more than the diagnostic it goes in). */
const hrefs = new Map<string, string | undefined>();

/** docs/rules beside the bundle (dist/../docs) or the sources (server/src/codes/../../../docs). */
function findDocsDir(): string | null {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = dirname(dir)) {
    const candidate = join(dir, 'docs', 'rules');
    if (existsSync(join(candidate, 'nova.md'))) return candidate;
  }
  return null;
}

/** The link to `code`'s entry, or undefined when the reference is not installed or the code is not registered. */
export function codeHref(code: string): string | undefined {
  if (hrefs.has(code)) return hrefs.get(code);
  const kind = codeKind(code);
  if (!kind) return undefined;
  if (docsDir === undefined) docsDir = findDocsDir();
  if (!docsDir) return undefined;
  let lines = pageLines.get(kind.page);
  if (!lines) pageLines.set(kind.page, (lines = renderRulesPage(kind).lines));
  const href = `${pathToFileURL(join(docsDir, `${kind.page}.md`)).href}#L${lines.get(code)}`;
  hrefs.set(code, href);
  return href;
}
