import type { Finding } from './findings';
import type { LineIndex } from './lineIndex';

/** Above this we do not parse: a config this big is a mistake, and we must stay responsive. */
export const MAX_CHECKED_BYTES = 32 * 1024 * 1024;

const ORIGIN = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Also used by the CLI, which refuses to read such a file at all. */
export function tooLarge(size: number): Finding {
  return {
    code: 'input/too-large', severity: 'error', range: ORIGIN,
    explanation: `The file has ${(size / 1048576).toFixed(1)} MiB; files over ${MAX_CHECKED_BYTES / 1048576} MiB are not checked. No real nova.conf or domain XML is this big: is it the right file?`,
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
