/**
 * The files nova-compute reads together with a nova.conf (its config set), in the order it reads
 * them (a later file wins): nova.conf, nova-compute.conf, nova.conf.d/*.conf and
 * nova-compute.conf.d/*.conf of one directory, ordered as oslo.config does for the way
 * nova-compute is launched (launchOrder.ts). Without arguments (RDO's unit, kolla) the dirs come
 * after the files; with Debian's init script (`--config-file` twice, no `--config-dir`) they come
 * first, so a fragment loses to both files. Callers pass the launch (default: no arguments).
 * Pure: the fronts pass the directory listing and file reading (disk, open editors, tests).
 */
import { basename, dirname, join, normalize, sep } from 'node:path';
import type { RelatedFile, RelatedFiles } from '../core/languageService';
import { CONFIG_DIRS, CONFIG_FILES, NO_ARGUMENTS, readSteps, stepsInSet, type Launch } from './launchOrder';

/** What glob('*.conf') matches: hidden files are not. */
const isDirMember = (name: string) => name.endsWith('.conf') && !name.startsWith('.');

/** Python's sorted() on names: by code point, not by locale. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const has = (list: readonly string[], name: string) => list.includes(name);

/** The directory a set hangs off, or undefined when the file is read alone (e.g. nova-cpu.conf). */
export function configSetRoot(file: string): string | undefined {
  const path = normalize(file);
  const dir = dirname(path);
  if (has(CONFIG_DIRS, basename(dir)) && isDirMember(basename(path))) return dirname(dir);
  return has(CONFIG_FILES, basename(path)) ? dir : undefined;
}

export interface ConfigSet {
  root: string;
  /** Member paths in read order. */
  members: string[];
  /** Where `file` is in `members`; -1 when the launch does not read it (it is then judged alone). */
  self: number;
}

/**
 * The set `file` belongs to, or undefined when it is read alone. `list(dir)` gives the file names
 * in a directory (none when it does not exist); `file` counts even when not listed (unsaved).
 * `launch`: how nova-compute is started, which decides the order (and which members it reads).
 */
export function configSetOf(file: string, list: (dir: string) => readonly string[], launch: Launch = NO_ARGUMENTS): ConfigSet | undefined {
  const root = configSetRoot(file);
  if (root === undefined) return undefined;
  const path = normalize(file);
  const present = new Set(list(root));
  const read: string[] = [];
  for (const step of stepsInSet(readSteps(launch.args))) {
    const at = join(root, step.name);
    if (step.kind === 'file') {
      if (at === path || present.has(step.name)) read.push(at);
      continue;
    }
    const names = new Set(list(at).filter(isDirMember));
    if (dirname(path) === at) names.add(basename(path));
    // Plain concatenation: `at` is normalized and names have no separators (join is costly per member).
    for (const n of [...names].sort(byCodePoint)) read.push(`${at}${sep}${n}`);
  }
  // A file named twice is read twice: its values win from where it is read last.
  const last = new Map(read.map((p, i) => [p, i]));
  const members = read.filter((p, i) => last.get(p) === i);
  return { root, members, self: members.indexOf(path) };
}

/** A member that is there but could not be read, and why. */
export interface Unreadable { unreadable: string }

type Read = (path: string) => string | Unreadable | undefined;

/** Every member of a set as read once, in read order; the fronts share it among the members. */
export interface SetTexts {
  root: string;
  /** Member paths, in read order, and their labels (relative to root). */
  paths: string[];
  labels: string[];
  /** Per member: its text, or why it could not be read, or undefined when gone. */
  texts: Array<string | Unreadable | undefined>;
  /** The readable members (one array for every member's analysis: see RelatedFiles.set). */
  files: RelatedFile[];
  /** Per member, how many readable members come before it. */
  readableBefore: number[];
  /** The members that are there but cannot be read, by index. */
  unreadable: Array<{ index: number; label: string; reason: string }>;
}

/**
 * Reads the set `file` belongs to (undefined when it is read alone). `read` returns a member's
 * text, undefined when it is gone (left out, as if absent), or why it cannot be read.
 * `except`: a member not to read (it counts as gone), for a file whose text the caller has.
 */
export function readConfigSet(file: string, list: (dir: string) => readonly string[], read: Read, except?: string, launch?: Launch): SetTexts | undefined {
  const set = configSetOf(file, list, launch);
  if (!set || set.members.length < 2) return undefined;
  // What relative(root, p) gives, without its cost per member: members are all under root.
  const cut = set.root.length + (set.root.endsWith(sep) ? 0 : 1);
  const labels = set.members.map((p) => p.slice(cut));
  const texts = set.members.map((p) => (p === except ? undefined : read(p)));
  const files: RelatedFile[] = [];
  const readableBefore: number[] = [];
  const unreadable: SetTexts['unreadable'] = [];
  texts.forEach((text, i) => {
    readableBefore.push(files.length);
    if (typeof text === 'string') files.push({ label: labels[i], text });
    else if (text !== undefined) unreadable.push({ index: i, label: labels[i], reason: text.unreadable });
  });
  return { root: set.root, paths: set.members, labels, texts, files, readableBefore, unreadable };
}

/**
 * The other members' texts around `file`, for the model, from a set read once. With `share`, the
 * set itself comes along (RelatedFiles.set) so set-wide work is done once for all members.
 */
export function relatedIn(set: SetTexts, file: string, share = true): RelatedFiles | undefined {
  const self = set.paths.indexOf(normalize(file));
  if (self < 0) return undefined;
  const start = set.readableBefore[self];
  const selfReadable = typeof set.texts[self] === 'string';
  const related: RelatedFiles = { before: set.files.slice(0, start), after: set.files.slice(start + (selfReadable ? 1 : 0)) };
  const unreadable = set.unreadable.filter((u) => u.index !== self).map(({ label, reason }) => ({ label, reason }));
  if (unreadable.length) related.unreadable = unreadable;
  if (share && selfReadable) related.set = { files: set.files, self: start };
  return related;
}

/**
 * The other members' texts around `file`, for the model (`file` itself is not read). `read` as
 * for readConfigSet; unreadable members are left out and listed in `unreadable`.
 */
export function relatedFiles(file: string, list: (dir: string) => readonly string[], read: Read, launch?: Launch): RelatedFiles | undefined {
  const set = readConfigSet(file, list, read, normalize(file), launch);
  return set && relatedIn(set, file, false);
}

/** Whether `a` and `b` read the same members with the same texts (compared by identity first). */
export function sameSetTexts(a: SetTexts, b: SetTexts): boolean {
  return a.paths.length === b.paths.length && a.paths.every((p, i) => p === b.paths[i]) && a.texts.every((t, i) => {
    const u = b.texts[i];
    return t === u || (typeof t === 'object' && typeof u === 'object' && t.unreadable === u.unreadable);
  });
}
