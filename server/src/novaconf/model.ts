/**
 * The parsed nova.conf every feature reads: the scan, plus what Nova would make of it for the
 * chosen release (which occurrence of a key wins, through which name). Built once per version.
 */
import type { LineIndex } from '../core/lineIndex';
import { novaCatalog, type NovaCatalog, type NovaOption } from '../knowledge/nova/catalog';
import { resolveRelease, type ReleaseChoice } from '../knowledge/nova/releases';
import { scan, type Entry, type Scan, type Section } from './scan';

export interface NovaConfModel {
  text: string;
  lines: LineIndex;
  scan: Scan;
  release: ReleaseChoice;
  catalog: NovaCatalog;
  /** Every occurrence of each key, per group as oslo.config normalizes it, in file order. */
  occurrences: Map<string, Entry[]>;
}

const slot = (group: string, name: string) => `${group}\0${name}`;

export function buildModel(text: string, lines: LineIndex, releaseSetting: string): NovaConfModel {
  const s = scan(text, lines.lineStarts);
  const release = resolveRelease(releaseSetting);
  const occurrences = new Map<string, Entry[]>();
  for (const e of s.entries) {
    if (!e.section) continue;
    const k = slot(e.section.group, e.key);
    const list = occurrences.get(k);
    if (list) list.push(e); else occurrences.set(k, [e]);
  }
  return { text, lines, scan: s, release, catalog: novaCatalog(release.release), occurrences };
}

export function occurrencesOf(model: NovaConfModel, group: string, name: string): Entry[] {
  return model.occurrences.get(slot(group, name)) ?? [];
}

/**
 * The entry whose value Nova uses for an option: the last occurrence in the file under the
 * current name, else under the old name oslo.config still reads (the new name wins when both are set).
 */
export function effectiveEntry(model: NovaConfModel, option: NovaOption): Entry | undefined {
  const current = occurrencesOf(model, option.group, option.name);
  if (current.length) return current[current.length - 1];
  if (!option.deprecatedName) return undefined;
  const old = occurrencesOf(model, option.group, option.deprecatedName);
  return old[old.length - 1];
}

/** The effective entry of group.name, looked up in this release's catalog. */
export function setting(model: NovaConfModel, group: string, name: string): Entry | undefined {
  const option = model.catalog.option(group, name);
  return option ? effectiveEntry(model, option) : occurrencesOf(model, group, name).at(-1);
}

/** The section an entry lives in, or the last section of a group (where new lines go). */
export function lastSection(model: NovaConfModel, group: string): Section | undefined {
  let found: Section | undefined;
  for (const s of model.scan.sections) if (s.group === group) found = s;
  return found;
}
