/**
 * Where every nova.conf rule puts its findings: only what this file holds, and per code no more
 * than the shared cap (core/findingCap.ts), so a generated file cannot make 100,000 diagnostics.
 */
import type { Finding } from '../../core/findings';
import { FindingCap } from '../../core/findingCap';
import { isElsewhere } from '../model';

const local = (f: { range: Finding['range'] }) => !isElsewhere(f.range);

export class FindingCollector {
  private readonly findings: Finding[] = [];
  private readonly cap = new FindingCap();

  /** Whether a finding of this code would still be kept: compute suggestions and fixes only then. */
  keeps(code: string): boolean { return this.cap.keeps(code); }

  /**
   * Adds `f`, unless it is anchored in another file of the config set (that file reports it, and
   * it is not counted here) or its code is full (then it is only counted). Fixes that would edit
   * another file are dropped.
   */
  report(f: Finding): void {
    if (!local(f)) return;
    if (f.fixes?.some((fix) => !fix.edits.every(local))) f = { ...f, fixes: f.fixes.filter((fix) => fix.edits.every(local)) };
    this.cap.add(this.findings, f);
  }

  /**
   * Adds the finding `build` makes for a spot in this file, building it only while its code is
   * not full (past that it is only counted): a generated file's 100,000th message is never written.
   */
  reportHere(code: string, build: () => Finding): void {
    if (this.cap.keeps(code)) this.report(build());
    else this.cap.admit(code);
  }

  /** The kept findings, then one note per code that hit the cap. */
  finish(): Finding[] {
    for (const note of this.cap.notes()) this.findings.push(note);
    return this.findings;
  }
}
