/**
 * The nova.conf config sets of the documents open in an editor: an open member reads as the
 * editor has it (saved or not), the others from disk. A set is read once per state and shared
 * by its members: with N members open, an edit costs one read of the set, not N (each read
 * lists the directories and sorts N names). A read stays current while no open member of the
 * set changed and a stat of its directories and disk members finds them as they were; that
 * stat is made once per turn of the event loop, not once per member analysed in that turn.
 * Members are in the read order of the launch setting (launchSetting.ts).
 */
import { basename, dirname } from 'node:path';
import type { RelatedFiles } from '../core/languageService';
import { configSetRoot, readConfigSet, relatedIn, sameSetTexts, type SetTexts, type Unreadable } from './configSet';
import { listDir, readMember } from './configSetFs';
import { launchFor, type LaunchSetting } from './launchSetting';
import type { Launch } from './launchOrder';
import { detectLocalLaunch } from '../hosts/launch';

type DiskRead = string | Unreadable | undefined;

/** One read of a set and what it was made from. */
interface SetRead {
  set: SetTexts;
  /** The set's open-document stamp when read. */
  stamp: number;
  /** What listDir gave per directory (the same array while the directory is unchanged). */
  listings: Map<string, readonly string[]>;
  /** What readMember gave per member read from disk. */
  disk: Map<string, DiskRead>;
  /** relatedIn per member path, made on first use. */
  related: Map<string, RelatedFiles | undefined>;
  /** The turn (see OpenConfigSets.turn) in which the disk was last found as read. */
  checked: number;
}

const sameDiskRead = (a: DiskRead, b: DiskRead) => a === b || (typeof a === 'object' && typeof b === 'object' && a.unreadable === b.unreadable);

export class OpenConfigSets {
  /** Open documents by path, and their names by directory (an unsaved new member counts). */
  private readonly openByPath = new Map<string, string>();
  private readonly openNames = new Map<string, Set<string>>();
  /** Per set root: bumped whenever an open member opens, closes or changes. */
  private readonly stamps = new Map<string, number>();
  private readonly reads = new Map<string, SetRead>();
  private launch: LaunchSetting = 'auto';
  /**
   * Counts turns of the event loop: the debounced analyses of a set's members run as timers of
   * one turn, so they share one look at the disk. Bumped by an immediate after a look.
   */
  private turn = 0;
  private turnEnds = false;

  /** `textOf(uri)`: an open document's text; `detect`: this machine's launch of nova-compute (for `auto`). */
  constructor(
    private readonly textOf: (uri: string) => string | undefined,
    private readonly detect: () => Launch | undefined = () => detectLocalLaunch().launch,
  ) {}

  /** The launch setting changed: every set is read again, in the new order. */
  useLaunch(setting: LaunchSetting): void {
    if (JSON.stringify(setting) === JSON.stringify(this.launch)) return;
    this.launch = setting;
    this.reads.clear();
  }

  opened(uri: string, path: string): void {
    this.openByPath.set(path, uri);
    const dir = dirname(path);
    const names = this.openNames.get(dir) ?? new Set<string>();
    names.add(basename(path));
    this.openNames.set(dir, names);
    this.changed(path);
  }

  closed(path: string): void {
    this.openByPath.delete(path);
    const dir = dirname(path);
    const names = this.openNames.get(dir);
    names?.delete(basename(path));
    if (names?.size === 0) this.openNames.delete(dir);
    this.changed(path);
    // The last open member of a set takes the set's read with it.
    const root = configSetRoot(path);
    if (root !== undefined && ![...this.openByPath.keys()].some((p) => configSetRoot(p) === root)) {
      this.reads.delete(root);
      this.stamps.delete(root);
    }
  }

  /** The open document at `path` changed its text. */
  changed(path: string): void {
    const root = configSetRoot(path);
    if (root !== undefined) this.stamps.set(root, (this.stamps.get(root) ?? 0) + 1);
  }

  /** The other files of `path`'s config set, with the set shared (RelatedFiles.set); undefined when read alone. */
  related(path: string): RelatedFiles | undefined {
    const root = configSetRoot(path);
    if (root === undefined) return undefined;
    const known = this.reads.get(root);
    const read = known && this.current(root, known) ? known : this.read(root, path, known);
    if (!read) return undefined;
    if (!read.related.has(path)) read.related.set(path, relatedIn(read.set, path));
    return read.related.get(path);
  }

  private current(root: string, read: SetRead): boolean {
    if (read.stamp !== (this.stamps.get(root) ?? 0)) return false;
    if (read.checked === this.turn) return true;
    for (const [dir, names] of read.listings) if (listDir(dir) !== names) return false;
    for (const [path, text] of read.disk) if (!sameDiskRead(readMember(path), text)) return false;
    read.checked = this.lookedNow();
    return true;
  }

  /** The current turn, which ends (for every read checked in it) once this turn's timers have run. */
  private lookedNow(): number {
    if (!this.turnEnds) {
      this.turnEnds = true;
      setImmediate(() => { this.turn++; this.turnEnds = false; });
    }
    return this.turn;
  }

  private read(root: string, path: string, known: SetRead | undefined): SetRead | undefined {
    const listings = new Map<string, readonly string[]>();
    const disk = new Map<string, DiskRead>();
    const list = (dir: string) => {
      const names = listDir(dir);
      listings.set(dir, names);
      const open = this.openNames.get(dir);
      return open ? [...names, ...open] : names;
    };
    const readText = (p: string) => {
      const uri = this.openByPath.get(p);
      const open = uri === undefined ? undefined : this.textOf(uri);
      if (open !== undefined) return open;
      const text = readMember(p);
      disk.set(p, text);
      return text;
    };
    const fresh = readConfigSet(path, list, readText, undefined, launchFor(this.launch, root, this.detect));
    if (!fresh) { this.reads.delete(root); return undefined; }
    // The same texts keep the set read before: its members' analyses and set-wide work stay valid.
    const same = known && sameSetTexts(known.set, fresh);
    const read: SetRead = {
      set: same ? known.set : fresh, stamp: this.stamps.get(root) ?? 0, listings, disk, related: same ? known.related : new Map(), checked: this.lookedNow(),
    };
    this.reads.set(root, read);
    return read;
  }
}
