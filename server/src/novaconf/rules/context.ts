/**
 * What every nova.conf rule gets: the model, the catalogs, Nova's reading of a setting across the
 * config set, and where findings go (report, capped per code). Ranges go through the entry they
 * are in, so a finding anchored in another file of the set is dropped (that file reports it)
 * instead of pointing at offsets of another text.
 */
import type { Finding, Range, TextEdit } from '../../core/findings';
import type { CpuCatalog } from '../../knowledge/cpumap/types';
import type { NovaCatalog, NovaOption } from '../../knowledge/nova/catalog';
import type { HostProfile } from '../../hosts/hostProfile';
import type { Deadline } from '../../core/deadline';
import { effectiveEntry, lastOccurrence, rangeIn, type NovaConfModel } from '../model';
import { valueOffset, type Entry } from '../scan';
import { convert, defaultOf, INLINE_COMMENT, listItems, type Typed } from '../values';
import { FindingCollector } from './collector';

/** An option as nova-compute would read it: the winning entry (if any) and its typed value. */
export interface Setting {
  option?: NovaOption;
  entry?: Entry;
  /** The typed value, or the default when unset (or when the value is invalid: see `valid`). */
  value: Typed;
  /** False when reading the value fails in oslo.config (that is reported by the values rule). */
  valid: boolean;
}

export class RuleContext {
  readonly catalog: NovaCatalog;
  readonly major: number;
  private readonly settings = new Map<string, Setting>();
  private readonly findings = new FindingCollector();

  private polls = 0;

  /**
   * `host`: the compute node's profile when the client sent one (host-aware rules run only then).
   * `deadline`: the analysis's time budget (the runner checks it between rules; see outOfTime).
   */
  constructor(readonly model: NovaConfModel, readonly cpu: CpuCatalog | undefined, readonly host?: HostProfile, private readonly deadline?: Deadline) {
    this.catalog = model.catalog;
    this.major = model.release.release.major;
  }

  /**
   * For a rule's loop over every entry (or section, or key): true once the time budget is spent,
   * and the rule stops there, so one rule over 100,000 lines cannot overrun the budget by much.
   * The clock is read every 1024 calls; `rule` names what is cut in the cut-short finding.
   */
  outOfTime(rule: string): boolean {
    if (!this.deadline) return false;
    if (this.deadline.cutAt !== undefined) return true;
    if ((++this.polls & 1023) !== 0) return false;
    return this.deadline.expired(`the rest of the rule ${rule} and the ones after it`);
  }

  /** Adds a finding (this file's only, capped per code: see FindingCollector). */
  report(f: Finding): void { this.findings.report(f); }
  /** Adds the finding `build` makes (of `code`, for a spot in this file), building it only while the code is not full. */
  reportHere(code: string, build: () => Finding): void { this.findings.reportHere(code, build); }
  /** Whether a finding of this code would still be kept: compute did-you-means and fixes only then. */
  keeps(code: string): boolean { return this.findings.keeps(code); }
  /** Everything reported, with a note per code that hit the cap. */
  finish(): Finding[] { return this.findings.finish(); }

  /** A range of this document's text (offsets not taken from an entry). */
  range(start: number, end: number): Range { return this.model.lines.range(start, end); }
  /** Offsets start..end of `e`'s text (its value's items, a cpuset piece...). */
  span(e: Entry, start: number, end: number): Range { return rangeIn(this.model, e, start, end); }
  /** An edit replacing offsets start..end of `e`'s text. */
  edit(e: Entry, start: number, end: number, newText: string): TextEdit { return { range: this.span(e, start, end), newText }; }
  keyRange(e: Entry): Range { return this.span(e, e.keyStart, e.keyEnd); }
  /** The value's range; an empty value gets the key's, so there is something to underline. */
  valueRange(e: Entry): Range { return e.valueEnd > e.valueStart ? this.span(e, e.valueStart, e.valueEnd) : this.span(e, e.keyStart, e.valueEnd); }
  entryRange(e: Entry): Range { return this.span(e, e.keyStart, Math.max(e.keyEnd, e.valueEnd)); }
  /** For messages: where a value comes from when another file of the set holds it. */
  from(e: Entry | undefined): string { return e?.origin ? ` (set in ${e.origin.label})` : ''; }

  /** Nova's reading of group.name in this release (options outside the catalog read as unset strings). */
  get(group: string, name: string): Setting {
    const k = `${group}\0${name}`;
    let s = this.settings.get(k);
    if (!s) {
      const option = this.catalog.option(group, name);
      const zed = option ? undefined : this.catalog.zedOption(group, name);
      const entry = option ?? zed ? effectiveEntry(this.model, (option ?? zed)!) : lastOccurrence(this.model, group, name);
      if (!option) s = this.outside(group, name, entry);
      else if (!entry) s = { option, value: defaultOf(option), valid: true };
      else {
        const c = convert(option, entry.value, this.major);
        // `cpu_mode = custom  # note` fails in oslo.config (the values rule says so); the checks that
        // depend on it judge what the user meant, so the next error shows now, not after the fix.
        const intended = c.ok ? c : INLINE_COMMENT.test(entry.value) ? convert(option, entry.value.replace(INLINE_COMMENT, ''), this.major) : c;
        s = intended.ok ? { option, entry, value: intended.value, valid: true } : { option, entry, value: defaultOf(option), valid: false };
      }
      this.settings.set(k, s);
    }
    return s;
  }

  /** An option outside the catalog: typed as Nova 26 defines it when we know that, else the raw text. */
  private outside(group: string, name: string, entry: Entry | undefined): Setting {
    const typed = entry && this.catalog.zedOption(group, name);
    if (!entry || !typed) return { entry, value: entry ? entry.value : null, valid: true };
    const c = convert(typed, entry.value, this.major);
    return c.ok ? { entry, value: c.value, valid: true } : { entry, value: null, valid: false };
  }
}

export interface Item { text: string; start: number; end: number }

/** A list option's items (oslo.config's List) with their offsets in the text. */
export function listItemsOf(e: Entry): Item[] {
  return listItems(e.value).map((i) => ({ text: i.text, start: valueOffset(e, i.start), end: valueOffset(e, i.start + i.text.length) }));
}

/** A rule reports its findings through ctx.report. */
export type Rule = (ctx: RuleContext) => void;
