/**
 * The files nova-compute reads together with a nova.conf (its config set). Debian and Ubuntu start
 * it with `--config-file nova.conf --config-file nova-compute.conf`, and oslo.config then reads the
 * default config dir, nova.conf.d/*.conf sorted by name; a later file wins (rules.md).
 * Pure: the fronts pass the directory listing and file reading (disk, open editors, tests).
 */
import { basename, dirname, join, normalize, sep } from 'node:path';
import type { RelatedFiles } from '../core/languageService';

/** The --config-file's, in the order the packages pass them. */
const CONFIG_FILES = ['nova.conf', 'nova-compute.conf'];
const CONFIG_DIR = 'nova.conf.d';

/** What glob('*.conf') matches: hidden files are not. */
const isDirMember = (name: string) => name.endsWith('.conf') && !name.startsWith('.');

/** Python's sorted() on names: by code point, not by locale. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The directory a set hangs off, or undefined when the file is read alone (e.g. nova-cpu.conf). */
export function configSetRoot(file: string): string | undefined {
  const path = normalize(file);
  const dir = dirname(path);
  if (basename(dir) === CONFIG_DIR && isDirMember(basename(path))) return dirname(dir);
  return CONFIG_FILES.includes(basename(path)) ? dir : undefined;
}

export interface ConfigSet {
  root: string;
  /** Member paths in read order; `file` is always one of them. */
  members: string[];
  /** Where `file` is in `members`. */
  self: number;
}

/**
 * The set `file` belongs to, or undefined when it is read alone. `list(dir)` gives the file names
 * in a directory (none when it does not exist); `file` counts even when not listed (unsaved).
 */
export function configSetOf(file: string, list: (dir: string) => readonly string[]): ConfigSet | undefined {
  const root = configSetRoot(file);
  if (root === undefined) return undefined;
  const path = normalize(file);
  const present = new Set(list(root));
  const files = CONFIG_FILES.map((n) => join(root, n)).filter((p) => p === path || present.has(basename(p)));
  const confDir = join(root, CONFIG_DIR);
  const names = new Set(list(confDir).filter(isDirMember));
  if (dirname(path) === confDir) names.add(basename(path));
  // Plain concatenation: confDir is normalized and names have no separators (join is costly per member).
  const members = [...files, ...[...names].sort(byCodePoint).map((n) => `${confDir}${sep}${n}`)];
  return { root, members, self: members.indexOf(path) };
}

/** A member that is there but could not be read, and why. */
export interface Unreadable { unreadable: string }

/**
 * The other members' texts around `file`, for the model. `read` returns a member's text,
 * undefined when it is gone (then it is left out, as if absent), or why it cannot be read (left
 * out too, and listed in `unreadable` so the verdict can say it may be wrong).
 */
export function relatedFiles(file: string, list: (dir: string) => readonly string[], read: (path: string) => string | Unreadable | undefined): RelatedFiles | undefined {
  const set = configSetOf(file, list);
  if (!set || set.members.length < 2) return undefined;
  const unreadable: Array<{ label: string; reason: string }> = [];
  const texts = (paths: string[]) => paths.flatMap((p) => {
    const text = read(p);
    if (text === undefined) return [];
    // What relative(root, p) gives, without its cost per member: members are all under root.
    const label = p.slice(set.root.length + (set.root.endsWith(sep) ? 0 : 1));
    if (typeof text !== 'string') { unreadable.push({ label, reason: text.unreadable }); return []; }
    return [{ label, text }];
  });
  const related: RelatedFiles = { before: texts(set.members.slice(0, set.self)), after: texts(set.members.slice(set.self + 1)) };
  if (unreadable.length) related.unreadable = unreadable;
  return related;
}

/** Whether two paths belong to the same config set (so a change to one changes the other's verdict). */
export function sameConfigSet(a: string, b: string): boolean {
  const root = configSetRoot(a);
  return root !== undefined && root === configSetRoot(b);
}
