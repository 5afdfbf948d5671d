/**
 * Plain text into hover markdown. VS Code's renderer takes `<cpu>` for an HTML tag and drops it,
 * so element names (and any tag-like text) go into code spans, where they show as written.
 */
const TAG_OR_CODE = /`[^`]*`|<\/?[A-Za-z][\w:.-]*(?:\s[^<>]*)?\/?>/g;

export function mdText(text: string): string {
  return text.replace(TAG_OR_CODE, (m) => (m.startsWith('`') ? m : `\`${m}\``));
}

/** An element name as hover shows it: `<cpu>` in a code span. */
export const mdElement = (name: string) => `\`<${name}>\``;
