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

// The language server asks for the siblings on every edit of a set member: a stat per sibling
// tells whether the text we read last time still stands, so keystrokes do not re-read files.
const texts = new Map<string, { mtimeMs: number; size: number; text: string }>();

/** A member's text, or undefined when unreadable or too large to check (then it counts as absent). */
export function readMember(path: string): string | undefined {
  try {
    const st = statSync(path);
    if (st.size > MAX_CHECKED_BYTES) return undefined;
    const hit = texts.get(path);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.text;
    // Non-fatal decoding, as for the checked file itself.
    const text = new TextDecoder('utf-8').decode(readFileSync(path));
    texts.set(path, { mtimeMs: st.mtimeMs, size: st.size, text });
    return text;
  } catch {
    texts.delete(path);
    return undefined;
  }
}
