/**
 * Disk access for config sets, shared by the fronts (CLI, language server); the set logic itself
 * (configSet.ts) and the rules stay pure.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { MAX_CHECKED_BYTES } from '../core/inputChecks';

/** A directory's file names; none when it cannot be read (a missing nova.conf.d is usual). */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** A member's text, or undefined when unreadable or too large to check (then it counts as absent). */
export function readMember(path: string): string | undefined {
  try {
    if (statSync(path).size > MAX_CHECKED_BYTES) return undefined;
    // Non-fatal decoding, as for the checked file itself.
    return new TextDecoder('utf-8').decode(readFileSync(path));
  } catch {
    return undefined;
  }
}
