/**
 * The parsed nova.conf every feature reads: the scan, plus what Nova would make of it for the
 * chosen release (which occurrence of a key wins, through which name). Built once per version.
 * With a config set (configSet.ts), the other members' entries take part in which one wins.
 */
import type { Range } from '../core/findings';
import type { RelatedFile, RelatedFiles } from '../core/languageService';
import { LineIndex } from '../core/lineIndex';
import { novaCatalog, type NovaCatalog, type NovaOption } from '../knowledge/nova/catalog';
import { resolveRelease, type ReleaseChoice } from '../knowledge/nova/releases';
import { scan, type Entry, type Scan, type Section } from './scan';
import { parsedMember } from './configSetMembers';

export interface NovaConfModel {
  text: string;
  lines: LineIndex;
  scan: Scan;
  release: ReleaseChoice;
  catalog: NovaCatalog;
  /** Every occurrence of each key, per group as oslo.config normalizes it, in file order. */
  occurrences: Map<string, Entry[]>;
  /** The occurrences of every file of the config set in read order, this one's included. */
  readOrder: Array<Map<string, Entry[]>>;
  /**
   * Per key, the last file in read order that sets it and its last entry there: lookups cost
   * O(1) instead of one probe per member (a 100-member set made every lookup 100 probes).
   */
  lastBySlot: Map<string, Last>;
  /** Each group's last section (where fixes add lines). */
  lastSections: Map<string, Section>;
}

interface Last { file: number; entry: Entry }

type Occurrences = Map<string, Entry[]>;

const slot = (group: string, name: string) => `${group}\0${name}`;

function occurrencesIn(s: Scan): Occurrences {
  const occurrences: Occurrences = new Map();
  for (const e of s.entries) {
    if (!e.section) continue;
    const k = slot(e.section.group, e.key);
    const list = occurrences.get(k);
    if (list) list.push(e); else occurrences.set(k, [e]);
  }
  return occurrences;
}

/** Another member's entries, marked with where they come from. */
function memberOccurrences(file: RelatedFile, later: boolean): Occurrences {
  // Parsed once per text (configSetMembers.ts): the result is shared, so it is never mutated.
  return parsedMember(file.label, later, file.text, () => {
    const s = scan(file.text, new LineIndex(file.text).lineStarts);
    const origin = { label: file.label, later };
    for (const e of s.entries) e.origin = origin;
    return occurrencesIn(s);
  });
}

export function buildModel(text: string, lines: LineIndex, releaseSetting: string, related?: RelatedFiles): NovaConfModel {
  const s = scan(text, lines.lineStarts);
  const release = resolveRelease(releaseSetting);
  const occurrences = occurrencesIn(s);
  const readOrder = [
    ...(related?.before ?? []).map((f) => memberOccurrences(f, false)),
    occurrences,
    ...(related?.after ?? []).map((f) => memberOccurrences(f, true)),
  ];
  const lastBySlot = new Map<string, Last>();
  readOrder.forEach((file, i) => { for (const [k, list] of file) lastBySlot.set(k, { file: i, entry: list[list.length - 1] }); });
  const lastSections = new Map<string, Section>();
  for (const section of s.sections) lastSections.set(section.group, section);
  return { text, lines, scan: s, release, catalog: novaCatalog(release.release), occurrences, readOrder, lastBySlot, lastSections };
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

/** The slots oslo.config looks an option up under, in its order: its name, then its old names. */
function namesOf(option: NovaOption): string[] {
  const names = [slot(option.group, option.name)];
  if (option.deprecatedName) names.push(slot(option.group, option.deprecatedName));
  for (const a of option.aliases ?? []) names.push(slot(a.group, a.name));
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
  return model.readOrder.map((file) => file.get(slot(group, name)) ?? []);
}
