/**
 * Disk access for config sets, shared by the fronts (CLI, language server); the set logic itself
 * (configSet.ts) and the rules stay pure.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { MAX_CHECKED_BYTES } from '../core/inputChecks';
import { decodeText, readRegularFile } from '../core/readFile';
import type { Unreadable } from './configSet';

// The fronts ask for a set's listing and members once per analysed member: a stat tells whether
// what we read last time still stands, so a set of N members costs N reads, not N².
const listings = new Map<string, { mtimeMs: number; names: string[] }>();
const texts = new Map<string, { mtimeMs: number; size: number; text: string }>();

/**
 * A directory's member candidates: files and symbolic links (oslo's glob takes both; a dangling
 * link is then reported as unreadable). None when the directory cannot be read (a missing
 * nova.conf.d is usual).
 */
export function listDir(dir: string): string[] {
  try {
    const mtimeMs = statSync(dir).mtimeMs;
    const hit = listings.get(dir);
    if (hit && hit.mtimeMs === mtimeMs) return hit.names;
    const names = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name);
    listings.set(dir, { mtimeMs, names });
    return names;
  } catch {
    listings.delete(dir);
    return [];
  }
}

/**
 * A member's text; undefined when it is gone (removed since the listing); `{ unreadable }` when it
 * is there but cannot be read (permissions, a dangling link, not a regular file, too large):
 * nova-compute would read it, so the verdict without it may be wrong and the fronts say so.
 */
export function readMember(path: string): string | Unreadable | undefined {
  try {
    const st = statSync(path);
    const hit = texts.get(path);
    if (hit && st.isFile() && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.text;
  } catch { /* read below says why */ }
  texts.delete(path);
  const read = readRegularFile(path, MAX_CHECKED_BYTES);
  if (read.ok) {
    const text = decodeText(read.bytes);
    texts.set(path, { mtimeMs: read.stat.mtimeMs, size: read.stat.size, text });
    return text;
  }
  if (read.reason === 'no such file or directory') {
    if (!isLink(path)) return undefined;
    return { unreadable: 'a dangling symbolic link' };
  }
  return { unreadable: read.reason };
}

function isLink(path: string): boolean {
  try { return lstatSync(path).isSymbolicLink(); } catch { return false; }
}
