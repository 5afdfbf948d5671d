/**
 * Registry examples as whole documents: nova.conf examples are files already; domain XML examples
 * are the domain's children, wrapped here in the minimal domain the rules reference shows once.
 */
import type { CodeKind } from './types';

/** The domain around an example's children; its own <vcpu>, <memory> or <os> replaces ours. */
export function exampleDomain(children: string): string {
  // A whole document (its own prolog, DOCTYPE or root) is used as written.
  if (/^\s*<(\?xml|!DOCTYPE|domain[\s>])/.test(children)) return children;
  const has = (name: string) => new RegExp(`<${name}[\\s>/]`).test(children);
  const lines = [
    "<domain type='kvm'>",
    '  <name>example</name>',
    has('memory') ? '' : "  <memory unit='KiB'>1048576</memory>",
    has('vcpu') ? '' : '  <vcpu>4</vcpu>',
    has('os') ? '' : "  <os><type arch='x86_64' machine='pc'>hvm</type></os>",
    ...children.trimEnd().split('\n').map((l) => `  ${l}`),
    '</domain>',
  ];
  return `${lines.filter((l) => l !== '').join('\n')}\n`;
}

/** The document an example stands for, and the file name it is analysed under. */
export function exampleDocument(kind: CodeKind, text: string): { path: string; languageId: string; text: string } {
  if (kind.language === 'xml') return { path: 'example.xml', languageId: 'xml', text: exampleDomain(text) };
  return { path: 'nova.conf', languageId: 'nova-conf', text };
}
