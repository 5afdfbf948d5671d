/**
 * The parsed nova.conf every feature reads: the scan, plus what Nova would make of it for the
 * chosen release (which occurrence of a key wins, through which name). Built once per version.
 * With a config set (configSet.ts), the other members' entries take part in which one wins.
 */
import type { Range } from '../core/findings';
import type { RelatedFile, RelatedFiles } from '../core/languageService';
import { LineIndex } from '../core/lineIndex';
import type { NovaCatalog, NovaOption } from '../knowledge/nova/catalog';
import type { ReleaseChoice } from '../knowledge/nova/releases';
import type { NovaKnowledge } from '../knowledge/knowledge';
import { scan, type Entry, type Scan, type Scanned, type Section } from './scan';
import { parsedMember } from './configSetMembers';
import { pacer, type Deadline } from '../core/deadline';

export interface NovaConfModel {
  text: string;
  lines: LineIndex;
  scan: Scan;
  release: ReleaseChoice;
  catalog: NovaCatalog;
  /** Every occurrence of each key, per group as oslo.config normalizes it, in file order. */
  occurrences: Map<string, Entry[]>;
  /**
   * Per key, the last file of the config set in read order that sets it (this one included) and
   * its last entry there. O(1) per lookup, and built once per set state for all its members
   * (setIndex), so N members cost O(N) together, not O(N²).
   */
  lastBySlot: { get(slot: string): Last | undefined };
  /** How many files the set has and where this one is in read order (their entries: occurrencesInSet). */
  members: { count: number; self: number };
  /**
   * The slots (group\0name) looked up across the set through this model: `last` through
   * lastBySlot (which file sets it last, and its entry), `all` through occurrencesInSet (every
   * file's entries). The findings depend on the other files only through these, so an edit of
   * another file that leaves them alone cannot change them (setChange.ts: the server then does
   * not analyse this file again).
   */
  setReads: SetReads;
  /** Each group's last section (where fixes add lines). */
  lastSections: Map<string, Section>;
}

interface Last { file: number; entry: Entry }

/** Whether a slot was looked up across the set: `last` through lastBySlot, `all` through occurrencesInSet. */
export interface ReadSlots { hasLast(k: string): boolean; hasAll(k: string): boolean }

/** A record of slots looked up. */
export class SlotReads implements ReadSlots {
  readonly last = new Set<string>();
  readonly all = new Set<string>();
  hasLast(k: string): boolean { return this.last.has(k); }
  hasAll(k: string): boolean { return this.all.has(k); }
  addAll(from: SlotReads): void {
    for (const k of from.last) this.last.add(k);
    for (const k of from.all) this.all.add(k);
  }
}

/**
 * Every slot the model's readers looked up: the union of records. runRules gives each rule a
 * record of its own (`include` it, then `track` it while the rule runs), so that after an edit
 * of another member only the rules that read what changed run again (rules/index.ts), and a
 * rule not run brings its old record along without copying it.
 */
export class SetReads implements ReadSlots {
  private readonly own = new SlotReads();
  private readonly parts: SlotReads[] = [this.own];
  private sink: SlotReads | undefined;

  noteLast(k: string): void { (this.sink ?? this.own).last.add(k); }
  noteAll(k: string): void { (this.sink ?? this.own).all.add(k); }
  /** Reads go to `sink` from now on (undefined: to the model's own record); include it to count them. */
  track(sink: SlotReads | undefined): void { this.sink = sink; }
  include(reads: SlotReads): void { this.parts.push(reads); }
  hasLast(k: string): boolean { return this.parts.some((p) => p.last.has(k)); }
  hasAll(k: string): boolean { return this.parts.some((p) => p.all.has(k)); }
}

type Occurrences = Map<string, Entry[]>;

const slot = (group: string, name: string) => `${group}\0${name}`;

/** Each key's entries; stops (a part of them) once `deadline` is spent, asked every CHECK_EVERY entries. */
function occurrencesIn(s: Scan, deadline?: Deadline): Occurrences {
  const occurrences: Occurrences = new Map();
  const spent = pacer(deadline, () => 'indexing the keys of the file, and so every rule');
  for (let i = 0; i < s.entries.length; i++) {
    const e = s.entries[i];
    if (spent(i)) break;
    if (!e.section) continue;
    const k = slot(e.section.group, e.key);
    const list = occurrences.get(k);
    if (list) list.push(e); else occurrences.set(k, [e]);
  }
  return occurrences;
}

const SCAN = 'scan\0';

/**
 * A member text's scan, parsed once per label and text (configSetMembers.ts) and shared by whoever
 * reads it: its own analysis (buildModel with the front's shared set), the other members' (their
 * copies of its entries), the planner. Never mutated.
 */
export function memberScan(label: string, text: string, lineStarts?: ArrayLike<number>, deadline?: Deadline): Scanned {
  return parsedMember(SCAN + label, text, () => {
    const ls = lineStarts ?? new LineIndex(text).lineStarts;
    return { text, lineStarts: ls, scan: scan(text, ls, deadline) };
  }, whole(deadline));
}

/** For parsedMember: keep only what was made before the time budget ran out (a part would be taken for the whole). */
const whole = (deadline: Deadline | undefined) => () => deadline?.cutAt === undefined;

/** Gives memberScan a scan made another way (the planner's spliceScan of its result): it must equal scan() of the text. */
export function seedMemberScan(label: string, parsed: Scanned): void {
  parsedMember(SCAN + label, parsed.text, () => parsed);
}

/** A member's entries, marked with where they come from (as read before the file): copies, the scan is shared. */
function memberOccurrences(file: RelatedFile, deadline?: Deadline): Occurrences {
  return parsedMember(file.label, file.text, () => {
    const origin = { label: file.label, later: false };
    const occurrences: Occurrences = new Map();
    for (const [k, list] of occurrencesIn(memberScan(file.label, file.text, undefined, deadline).scan, deadline)) occurrences.set(k, list.map((e) => ({ ...e, origin })));
    return occurrences;
  }, whole(deadline));
}

/** The last file setting each key, and its last entry; `later` is that entry as read after the file. */
interface Winner { file: number; entry: Entry; later?: Entry }

const setIndexes = new WeakMap<readonly RelatedFile[], Map<string, Winner>>();

/**
 * Built once per set state when the front shares one `files` array among the members of a set
 * (configSet.ts); else (`own` given: this file's entries at `self`) built for one analysis.
 */
function setIndex(files: readonly RelatedFile[], own?: { self: number; occurrences: Occurrences }, deadline?: Deadline): Map<string, Winner> {
  let index = own ? undefined : setIndexes.get(files);
  if (index) return index;
  index = new Map();
  for (let i = 0; i < files.length; i++) {
    if (deadline?.expired(`reading the config set from ${files[i].label || 'this file'} on, and so every rule`)) break;
    const occurrences = i === own?.self ? own.occurrences : memberOccurrences(files[i], deadline);
    for (const [k, list] of occurrences) index.set(k, { file: i, entry: list[list.length - 1] });
  }
  if (!own && deadline?.cutAt === undefined) setIndexes.set(files, index);
  return index;
}

/** The set's index seen from member `self` (none: a file alone): its own entries, the others' marked before or after it; every key asked for goes in `reads`. */
function viewFrom(index: Map<string, Winner> | undefined, self: number, own: Occurrences, reads: SetReads): NovaConfModel['lastBySlot'] {
  const ownLast = (k: string): Last | undefined => { const list = own.get(k); return list && { file: self, entry: list[list.length - 1] }; };
  if (!index) return { get: (k) => { reads.noteLast(k); return ownLast(k); } };
  return {
    get(k) {
      reads.noteLast(k);
      const w = index.get(k);
      if (!w) return undefined;
      if (w.file === self) return ownLast(k);
      if (w.file < self) return w;
      w.later ??= { ...w.entry, origin: { label: w.entry.origin!.label, later: true } };
      return { file: w.file, entry: w.later };
    },
  };
}

/**
 * `nova`: the release and option catalog to judge with (Knowledge's Nova part).
 * `deadline`: the analysis's time budget. Once it runs out the scan and the set's index stop
 * where they are (a part, never kept for other analyses) and no rule runs (analyze.ts).
 * `previous`: this file's last whole model; when it was built from the same text (another
 * member of the set changed), its own parts stand and only the view of the set is new.
 */
export function buildModel(text: string, lines: LineIndex, nova: NovaKnowledge, related?: RelatedFiles, deadline?: Deadline, previous?: NovaConfModel): NovaConfModel {
  // The front's shared set when it holds this very text; else one made for this file alone.
  const shared = related?.set && related.set.files[related.set.self]?.text === text ? related.set : undefined;
  const own = previous?.text === text && previous.lines === lines ? previous : undefined;
  // In a set, the member's scan is the one the other members read (parsed once); alone, a scan of its own.
  const s = own?.scan ?? (shared ? memberScan(shared.files[shared.self].label, text, lines.lineStarts, deadline).scan : scan(text, lines.lineStarts, deadline));
  const occurrences = own?.occurrences ?? occurrencesIn(s, deadline);
  const setReads = new SetReads();
  const { files, self } = shared ?? { files: [...(related?.before ?? []), { label: '', text }, ...(related?.after ?? [])], self: related?.before.length ?? 0 };
  // A file alone is its own index: no second map of every key (100,000 in a generated file).
  const index = shared ? setIndex(files, undefined, deadline) : files.length === 1 ? undefined : setIndex(files, { self, occurrences }, deadline);
  const lastBySlot = viewFrom(index, self, occurrences, setReads);
  const lastSections = own?.lastSections ?? new Map<string, Section>();
  if (!own) for (const section of s.sections) lastSections.set(section.group, section);
  const model: NovaConfModel = {
    text, lines, scan: s, release: nova.release, catalog: nova.catalog, occurrences, lastBySlot, members: { count: files.length, self }, setReads, lastSections,
  };
  memberFiles.set(model, files);
  return model;
}

/**
 * The set's files per model, kept out of the model's fields so that every read of another
 * file's entries goes through occurrencesInSet or lastBySlot, which record it in setReads.
 */
const memberFiles = new WeakMap<NovaConfModel, readonly RelatedFile[]>();

/** The set's files a model was built from (this file's among them): to compare two set states, not for rules (they read through setReads). */
export function setFilesOf(model: NovaConfModel): readonly RelatedFile[] {
  return memberFiles.get(model)!;
}

export function occurrencesOf(model: NovaConfModel, group: string, name: string): Entry[] {
  return model.occurrences.get(slot(group, name)) ?? [];
}

/**
 * The entry whose value Nova uses for an option: oslo.config looks in the files from the last read
 * back, and takes a file's last occurrence under the current name, else under the old name it
 * still reads (in one file the new name wins when both are set).
 */
export function effectiveEntry(model: NovaConfModel, option: NovaOption): Entry | undefined {
  // The later file wins; in the same file the current name, then the old names in oslo.config's order.
  let best: Last | undefined;
  for (const n of namesOf(option)) {
    const last = model.lastBySlot.get(n);
    if (last && (!best || last.file > best.file)) best = last;
  }
  return best?.entry;
}

/** Whether any file of the set sets the option under its name or an old one (cheap: rules ask for every catalog option). */
export function isSetInSet(model: NovaConfModel, option: NovaOption): boolean {
  for (const n of namesOf(option)) if (model.lastBySlot.get(n)) return true;
  return false;
}

const slotsOf = new WeakMap<NovaOption, string[]>();

/** The slots oslo.config looks an option up under, in its order: its name, then its old names (built once per option). */
function namesOf(option: NovaOption): string[] {
  let names = slotsOf.get(option);
  if (!names) {
    names = [slot(option.group, option.name)];
    if (option.deprecatedName) names.push(slot(option.group, option.deprecatedName));
    for (const a of option.aliases ?? []) names.push(slot(a.group, a.name));
    slotsOf.set(option, names);
  }
  return names;
}

/** The last occurrence of group.name across the set (for keys outside the catalog). */
export function lastOccurrence(model: NovaConfModel, group: string, name: string): Entry | undefined {
  return model.lastBySlot.get(slot(group, name))?.entry;
}

/** The effective entry of group.name, looked up in this release's catalog. */
export function setting(model: NovaConfModel, group: string, name: string): Entry | undefined {
  const option = model.catalog.option(group, name);
  return option ? effectiveEntry(model, option) : lastOccurrence(model, group, name);
}

/**
 * Whether a file read after member `self` of a shared set (RelatedFiles.set) sets the slot
 * (group\0name, as in setReads): then which file sets it last, and its entry there, stay the
 * same whatever `self` sets.
 */
export function setAfter(set: { files: readonly RelatedFile[]; self: number }, slotKey: string): boolean {
  return (setIndex(set.files).get(slotKey)?.file ?? -1) > set.self;
}

/** Ranges standing for a spot in another file of the set: runRules drops what carries one. */
const ELSEWHERE = new WeakSet<Range>();

export function isElsewhere(range: Range): boolean {
  return ELSEWHERE.has(range);
}

/** The range of offsets start..end of `e`'s text: a placeholder when `e` is in another file. */
export function rangeIn(model: NovaConfModel, e: Entry, start: number, end: number): Range {
  if (!e.origin) return model.lines.range(start, end);
  const r = model.lines.range(0, 0);
  ELSEWHERE.add(r);
  return r;
}

/** The last section of a group (where new lines go). */
export function lastSection(model: NovaConfModel, group: string): Section | undefined {
  return model.lastSections.get(group);
}

/** Every occurrence of group.name in each file of the set, in read order (this file's among them). */
export function occurrencesInSet(model: NovaConfModel, group: string, name: string): Entry[][] {
  const k = slot(group, name);
  model.setReads.noteAll(k);
  const { self } = model.members;
  return memberFiles.get(model)!.map((file, i) => {
    if (i === self) return model.occurrences.get(k) ?? [];
    const list = memberOccurrences(file).get(k) ?? [];
    return i < self ? list : list.map((e) => ({ ...e, origin: { label: file.label, later: true } }));
  });
}
