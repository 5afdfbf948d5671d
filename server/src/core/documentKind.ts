/**
 * Which of our languages a document speaks. Editors tell us a languageId; the CLI only
 * has a path and the text. Domain XML shares VS Code's `xml` language with every other
 * XML file, so for XML we look at the root element and stay silent on anything else.
 */
export type DocumentKind = 'nova-conf' | 'domain-xml';

const NOVA_CONF_NAME = /(^|\/)(nova|nova-[^/]*)\.conf$/;
const NOVA_CONF_D = /\/nova\.conf\.d\/[^/]+\.conf$/;

export function isNovaConfPath(path: string): boolean {
  const p = path.replace(/\\/g, '/');
  return NOVA_CONF_NAME.test(p) || NOVA_CONF_D.test(p);
}

/** True when the first element of an XML text is <domain> (after prolog, comments, doctype). */
export function hasDomainRoot(text: string): boolean {
  // Only the head matters; never scan a huge file for this.
  const head = text.slice(0, 64 * 1024).replace(/^\uFEFF/, '');
  const m = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>)*<([A-Za-z_][\w.:-]*)/.exec(head);
  return !!m && m[1] === 'domain';
}

export function detectKind(path: string, text: string, languageId?: string): DocumentKind | undefined {
  if (languageId === 'nova-conf') return 'nova-conf';
  if (languageId === 'xml') return hasDomainRoot(text) ? 'domain-xml' : undefined;
  if (languageId) return undefined;
  // No editor hint (CLI): decide by name, then by content.
  if (/\.xml$/i.test(path)) return hasDomainRoot(text) ? 'domain-xml' : undefined;
  if (isNovaConfPath(path) || /\.conf$/i.test(path)) return 'nova-conf';
  if (hasDomainRoot(text)) return 'domain-xml';
  return undefined;
}
