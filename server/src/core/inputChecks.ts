import type { Finding } from './findings';
import type { LineIndex } from './lineIndex';
import { decodeText, readRegularFile } from './readFile';

/**
 * Above this we do not parse: a config this big is a mistake, and we must stay responsive (the
 * server holds the text several times over while an edit of it arrives). It still admits every
 * file libvirt takes: virsh reads a domain XML file of up to 10 MiB (VSH_MAX_XML_FILE in
 * libvirt's tools/vsh.h); Nova's full sample nova.conf is 0.3 MB.
 */
export const MAX_CHECKED_BYTES = 16 * 1024 * 1024;

const ORIGIN = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Also used by the CLI, which refuses to read such a file at all. */
export function tooLarge(size: number): Finding {
  return {
    code: 'input/too-large', severity: 'error', range: ORIGIN,
    explanation: `The file has ${(size / 1048576).toFixed(1)} MiB; files over ${MAX_CHECKED_BYTES / 1048576} MiB are not checked. No real nova.conf or domain XML is this big: is it the right file?`,
  };
}

/** A file read for checking (the CLI, the editor's Check workspace): its text, a too-large finding, or why it was refused. */
export type CheckedRead = { text: string } | { finding: Finding } | { refused: string };

export function readChecked(file: string): CheckedRead {
  const read = readRegularFile(file, MAX_CHECKED_BYTES);
  if (read.ok) return { text: decodeText(read.bytes) };
  return read.tooLarge !== undefined ? { finding: tooLarge(read.tooLarge) } : { refused: read.reason };
}

/** Members of the file's config set that exist but could not be read: the verdict may be wrong. */
export function unreadableMembers(members: ReadonlyArray<{ label: string; reason: string }>): Finding {
  const list = members.map((m) => `${m.label} (${m.reason})`).join(', ');
  return {
    code: 'input/unreadable-member', severity: 'warning', range: ORIGIN,
    explanation: `Could not read ${members.length === 1 ? 'a file' : `${members.length} files`} of this config set: ${list}. nova-compute reads ${members.length === 1 ? 'it' : 'them'} with this file, so the verdict below, made without ${members.length === 1 ? 'it' : 'them'}, may be wrong.`,
  };
}

/** The analysis ran out of its time budget (core/deadline.ts) before `step`: what was found so far is shown. */
export function cutShort(budgetMs: number, step: string): Finding {
  return {
    code: 'input/analysis-cut-short', severity: 'warning', range: ORIGIN,
    explanation: `The analysis of this file was cut short: it took longer than its time budget of ${budgetMs} ms, so these checks did not run: ${step}. The findings shown are the ones made before; this file may have more problems. Such a file is unusually large or complex for a nova.conf or domain XML; the CLI (nova-libvirt-cpu check) checks it without a time limit.`,
  };
}

/**
 * Checks that apply before any language looks at the text. When one returns `stop`,
 * the text is not parsed at all (binary or enormous input).
 */
export function checkInput(text: string, lines: LineIndex): { findings: Finding[]; stop: boolean } {
  if (text.length > MAX_CHECKED_BYTES) return { stop: true, findings: [tooLarge(text.length)] };
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    return {
      stop: true,
      findings: [{
        code: 'input/binary', severity: 'error', range: lines.range(nul, nul + 1),
        explanation: 'The file contains NUL bytes, so it is binary, not a text config; it was not checked. Neither Nova nor libvirt can read it.',
      }],
    };
  }
  const findings: Finding[] = [];
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) {
    findings.push({
      code: 'input/invalid-utf8', severity: 'warning', range: lines.range(bad, bad + 1),
      explanation: 'The file is not valid UTF-8 here (the byte was shown as \uFFFD). Nova reads its config as UTF-8 and libvirt rejects XML with bad encoding; save the file as UTF-8.',
    });
  }
  if (text.trim() === '') {
    findings.push({
      code: 'input/empty', severity: 'information', range: ORIGIN,
      explanation: 'The file is empty: nothing to check.',
    });
  }
  return { findings, stop: false };
}
