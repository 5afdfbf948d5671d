/**
 * Snippets are served by the language server, not contributed to VS Code: VS Code would offer a
 * static `xml` snippet in every XML file (a pom.xml too) and a nova.conf one after `key =`. The
 * server knows when a document is a libvirt domain and where the cursor is, so it offers them
 * only there. The bodies stay in snippets/*.json, VS Code's snippet format.
 */
import { CompletionItemKind, InsertTextFormat, InsertTextMode, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import type { Range } from './findings';
import { mdText } from './markdown';
import domainXml from '../../../snippets/domain-xml.json';
import novaConf from '../../../snippets/nova-conf.json';

export interface Snippet { name: string; prefix: string; description: string; body: string }

function load(file: Record<string, { prefix: string; description: string; body: string[] }>): Snippet[] {
  return Object.entries(file).map(([name, s]) => ({ name, prefix: s.prefix, description: s.description, body: s.body.join('\n') }));
}

export const DOMAIN_SNIPPETS: readonly Snippet[] = load(domainXml);
export const NOVA_SNIPPETS: readonly Snippet[] = load(novaConf);

/** The body as the user will see it: placeholders replaced by their defaults (first choice). */
export function preview(body: string): string {
  return body.replace(/\$\{\d+(?::([^}]*)|\|([^|]*)\|)?\}|\$\d+/g, (_, def?: string, choice?: string) => def ?? choice?.split(',')[0] ?? '');
}

/** `filterText`: what the typed text is matched against (the prefix unless the range starts elsewhere). */
export function snippetItem(s: Snippet, range: Range, language: string, filterText = s.prefix): CompletionItem {
  return {
    label: s.prefix, kind: CompletionItemKind.Snippet, detail: s.name, filterText, sortText: `~${s.prefix}`,
    documentation: { kind: MarkupKind.Markdown, value: `${mdText(s.description)}\n\n\`\`\`${language}\n${preview(s.body)}\n\`\`\`` },
    insertTextFormat: InsertTextFormat.Snippet, insertTextMode: InsertTextMode.adjustIndentation,
    textEdit: { range, newText: s.body },
  };
}
