/** A minimal element tree over fast-xml-parser's ordered output: cpu_map needs document order. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated direct text content, when there is any. */
  text?: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  processEntities: true,
});

type Ordered = Record<string, unknown>;

function convert(node: Ordered): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (!name || name.startsWith('#') || name.startsWith('?')) return undefined;
  const attrs = (node[':@'] as Record<string, string> | undefined) ?? {};
  const kids = (node[name] as Ordered[] | undefined) ?? [];
  const children: XmlElement[] = [];
  let text = '';
  for (const kid of kids) {
    if ('#text' in kid) text += String(kid['#text']);
    const el = convert(kid);
    if (el) children.push(el);
  }
  return text ? { name, attrs, children, text } : { name, attrs, children };
}

/** Parses a whole document; returns the root element or a parse error message (never throws). */
export function parseXml(text: string): XmlElement | string {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return `${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`;
  const roots = (parser.parse(text) as Ordered[]).map(convert).filter((e): e is XmlElement => !!e);
  if (roots.length !== 1) return roots.length === 0 ? 'no root element' : 'more than one root element';
  return roots[0];
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function firstChild(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}
