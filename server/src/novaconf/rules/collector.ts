/**
 * Where every nova.conf rule puts its findings: only what this file holds, and per code no more
 * than the shared cap (core/findingCap.ts), so a generated file cannot make 100,000 diagnostics.
 */
import type { Finding } from '../../core/findings';
import { FindingCap, MAX_PER_CODE } from '../../core/findingCap';
import { isElsewhere } from '../model';

const local = (f: { range: Finding['range'] }) => !isElsewhere(f.range);

/** What one rule's run put in the collector (see record), to be put in again without running it (replay). */
export interface RuleOutput {
  /** In order: a finding added, or the code of one only counted. */
  ops: Array<Finding | string>;
  /** Per code the rule added, counted or asked about (keeps): how many of its ops have it. */
  codes: Map<string, number>;
  /** Whether some code was full during the run: what the rule built then depended on the rules before it. */
  sawFull: boolean;
}

export class FindingCollector {
  private readonly findings: Finding[] = [];
  private readonly cap = new FindingCap();
  private output: RuleOutput | undefined;

  /** Whether a finding of this code would still be kept: compute suggestions and fixes only then. */
  keeps(code: string): boolean {
    const keeps = this.cap.keeps(code);
    if (this.output) {
      if (!this.output.codes.has(code)) this.output.codes.set(code, 0);
      if (!keeps) this.output.sawFull = true;
    }
    return keeps;
  }

  /** From now on, what is added or counted is recorded in the returned output too (until the next record or stopRecording). */
  record(): RuleOutput {
    return (this.output = { ops: [], codes: new Map(), sawFull: false });
  }

  stopRecording(): void { this.output = undefined; }

  /**
   * Puts a recorded rule output in again, as the rule would if run on the same inputs: only when
   * no code was full during its run and none will be during the replay (so every keeps() it made
   * answers the same). False, and nothing added, otherwise: then run the rule.
   */
  replay(out: RuleOutput): boolean {
    if (out.sawFull) return false;
    for (const [code, n] of out.codes) if (this.cap.count(code) + n >= MAX_PER_CODE) return false;
    for (const op of out.ops) {
      if (typeof op === 'string') this.cap.admit(op);
      else this.cap.add(this.findings, op);
    }
    return true;
  }

  private note(op: Finding | string): void {
    if (!this.output) return;
    const code = typeof op === 'string' ? op : op.code;
    this.output.ops.push(op);
    this.output.codes.set(code, (this.output.codes.get(code) ?? 0) + 1);
  }

  /**
   * Adds `f`, unless it is anchored in another file of the config set (that file reports it, and
   * it is not counted here) or its code is full (then it is only counted). Fixes that would edit
   * another file are dropped.
   */
  report(f: Finding): void {
    if (!local(f)) return;
    if (f.fixes?.some((fix) => !fix.edits.every(local))) f = { ...f, fixes: f.fixes.filter((fix) => fix.edits.every(local)) };
    this.note(f);
    if (!this.cap.add(this.findings, f) && this.output) this.output.sawFull = true;
  }

  /**
   * Adds the finding `build` makes for a spot in this file, building it only while its code is
   * not full (past that it is only counted): a generated file's 100,000th message is never written.
   */
  reportHere(code: string, build: () => Finding): void {
    if (this.keeps(code)) this.report(build());
    else { this.note(code); this.cap.admit(code); }
  }

  /** The kept findings, then one note per code that hit the cap. */
  finish(): Finding[] {
    for (const note of this.cap.notes()) this.findings.push(note);
    return this.findings;
  }
}
