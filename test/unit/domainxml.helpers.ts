/** Shared by the domain XML tests: knowledge per libvirt version, diagnosis, manifests, verdicts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getKnowledge, type Knowledge } from '../../server/src/knowledge/knowledge';
import { normalizeSettings } from '../../server/src/core/settings';
import { analyze } from '../../server/src/analyze';
import type { Finding } from '../../server/src/core/findings';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'domainxml');

export function knowledge(libvirtVersion = ''): Knowledge {
  return getKnowledge(normalizeSettings({ useHostCpuMap: false, libvirtVersion }));
}

export function diagnose(text: string, libvirtVersion = ''): Finding[] {
  return analyze('domain.xml', text, knowledge(libvirtVersion), 'xml')?.findings ?? [];
}

/** Findings libvirt would reject the definition for (any driver's define; not schema, not start). */
export const defineErrors = (fs: Finding[]) => fs.filter((f) => f.severity === 'error' && (f.stage === 'define' || f.stage === 'define (qemu)'));
export const errors = (fs: Finding[]) => fs.filter((f) => f.severity === 'error');

export function readManifest(path: string): Array<Record<string, string>> {
  const [head, ...rows] = readFileSync(path, 'utf8').replace(/\r/g, '').split('\n').filter((l) => l.trim() !== '');
  const cols = head.split('\t');
  return rows.map((row) => Object.fromEntries(row.split('\t').map((v, i) => [cols[i], v])));
}

/** A text with `|` marking the cursor: returns the text without it and the cursor position. */
export function cursor(textWithBar: string): { text: string; line: number; character: number } {
  const at = textWithBar.indexOf('|');
  const text = textWithBar.slice(0, at) + textWithBar.slice(at + 1);
  const before = text.slice(0, at).split('\n');
  return { text, line: before.length - 1, character: before[before.length - 1].length };
}

/** A minimal domain around some body XML (4 vCPUs, 1 GiB, x86_64 pc) unless the body brings its own <vcpu>. */
export function domain(body: string, opts: { type?: string; vcpu?: string; memory?: string; machine?: string } = {}): string {
  const vcpu = /<vcpu[\s>]/.test(body) ? '' : `  <vcpu>${opts.vcpu ?? '4'}</vcpu>\n`;
  const memory = opts.memory ?? "<memory unit='KiB'>1048576</memory>";
  return `<domain type='${opts.type ?? 'kvm'}'>\n  <name>t</name>\n  ${memory}\n${vcpu}  <os><type arch='x86_64' machine='${opts.machine ?? 'pc'}'>hvm</type></os>\n${body}\n</domain>\n`;
}
