/**
 * The one currency every rule pays in. Rules are pure functions that return Findings;
 * adapters (LSP, CLI) turn them into diagnostics, code actions and reports.
 * Shapes mirror LSP's (0-based line/character) so adapters copy, never convert.
 */
import type { Code } from '../codes';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface TextEdit { range: Range; newText: string }

/** A quick fix: a titled set of edits to the same document. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix an editor may apply on "auto fix". */
  preferred?: boolean;
}

/** Who would reject (or silently rewrite) the input, so users know when it bites. */
export type Stage =
  | 'oslo.config'         // nova-compute fails reading the option
  | 'nova-compute start'  // nova-compute init_host() checks
  | 'nova runtime'        // later, e.g. at spawn or migration
  | 'schema'              // virt-xml-validate / define --validate
  | 'define'              // any driver's parser/validator at virsh define
  | 'define (qemu)'       // the qemu driver at define
  | 'vm start'            // the qemu driver / QEMU when the guest starts
  | 'advice'              // nobody rejects it; we think it matters
  | 'analysis';           // our own: what stopped (part of) the analysis of the file (input/*)

export interface Finding {
  /** Stable identifier, `<area>/<kebab-name>`, e.g. `nova/cpu-models-without-custom`, from the registry (server/src/codes/). */
  code: Code;
  severity: Severity;
  range: Range;
  /** Upstream's exact text (Nova's or libvirt's) where they have one, so users can grep their logs. */
  upstream?: string;
  /** Plain words: what is wrong and how to fix it. */
  explanation: string;
  stage?: Stage;
  fixes?: Fix[];
  /** Marks a finding about code that is unused or deprecated (editors render these specially). */
  tags?: Array<'unnecessary' | 'deprecated'>;
}

/** The message shown to users: upstream's words first (greppable), then ours. */
export function findingMessage(f: Finding): string {
  return f.upstream ? `${f.upstream}\n${f.explanation}` : f.explanation;
}

/** One-line form for the CLI's text report. */
export function findingOneLine(f: Finding): string {
  return findingMessage(f).replace(/\s*\n\s*/g, ' — ');
}

export const SOURCE = 'nova-libvirt-cpu';
