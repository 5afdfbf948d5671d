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
import { effectiveEntry, lastOccurrence, rangeIn, SlotReads, type NovaConfModel } from '../model';
import { valueOffset, type Entry } from '../scan';
import { convert, defaultOf, INLINE_COMMENT, listItems, type Typed } from '../values';
import { FindingCollector, type RuleOutput } from './collector';

/** One rule's run: what it reported and the slots it read across the config set. */
export interface RuleRun { output: RuleOutput; reads: SlotReads }


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
  /** Settings read so far, with the slots reading each took (a rule asking again read them too). */
  private readonly settings = new Map<string, { setting: Setting; reads?: SlotReads }>();
  private readonly findings = new FindingCollector();
  /** The reads of the rule running (see run). */
  private ruleReads: SlotReads | undefined;

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

  /** Runs `rule`, recording what it reports and reads (for a replay after an edit of another member of the set: rules/index.ts). */
  runRecorded(rule: Rule): RuleRun {
    const run: RuleRun = { output: this.findings.record(), reads: new SlotReads() };
    this.ruleReads = run.reads;
    this.model.setReads.include(run.reads);
    this.model.setReads.track(run.reads);
    try {
      this.run(rule);
    } finally {
      this.model.setReads.track((this.ruleReads = undefined));
      this.findings.stopRecording();
    }
    return run;
  }

  run(rule: Rule): void {
    // A rule written the old way (returning its findings) would lose them silently: fail loudly instead.
    if ((rule(this) as unknown) !== undefined) throw new Error(`nova.conf rule ${rule.name} returned a value: rules report through ctx.report`);
  }

  /** Puts a run's findings in again instead of running the rule (false when the cap forbids: see FindingCollector.replay). */
  replay(run: RuleRun): boolean {
    if (!this.findings.replay(run.output)) return false;
    this.model.setReads.include(run.reads);
    return true;
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
    const known = this.settings.get(k);
    if (known) {
      if (this.ruleReads && known.reads) this.ruleReads.addAll(known.reads);
      return known.setting;
    }
    if (!this.ruleReads) {
      const setting = this.read(group, name);
      this.settings.set(k, { setting });
      return setting;
    }
    // What reading it looks up across the set: a later rule asking for it reads the same.
    const reads = new SlotReads();
    this.model.setReads.track(reads);
    try {
      const setting = this.read(group, name);
      this.settings.set(k, { setting, reads });
      return setting;
    } finally {
      this.model.setReads.track(this.ruleReads);
      this.ruleReads.addAll(reads);
    }
  }

  /** The entry Nova reads group.name from (get's `entry`), without typing its value: for a rule that only asks where it is set. */
  entryOf(group: string, name: string): Entry | undefined {
    const known = this.settings.get(`${group}\0${name}`);
    if (!known) return this.winner(group, name);
    if (this.ruleReads && known.reads) this.ruleReads.addAll(known.reads);
    return known.setting.entry;
  }

  private winner(group: string, name: string): Entry | undefined {
    const option = this.catalog.option(group, name) ?? this.catalog.zedOption(group, name);
    return option ? effectiveEntry(this.model, option) : lastOccurrence(this.model, group, name);
  }

  private read(group: string, name: string): Setting {
    const option = this.catalog.option(group, name);
    const entry = this.winner(group, name);
    if (!option) return this.outside(group, name, entry);
    if (!entry) return { option, value: defaultOf(option), valid: true };
    const c = convert(option, entry.value, this.major);
    // `cpu_mode = custom  # note` fails in oslo.config (the values rule says so); the checks that
    // depend on it judge what the user meant, so the next error shows now, not after the fix.
    const intended = c.ok ? c : INLINE_COMMENT.test(entry.value) ? convert(option, entry.value.replace(INLINE_COMMENT, ''), this.major) : c;
    return intended.ok ? { option, entry, value: intended.value, valid: true } : { option, entry, value: defaultOf(option), valid: false };
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
