/** Shared by the planner tests, oracle tests and bench: snapshots of config sets. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FileSnapshot } from '../../server/src/ops/types';

export function snapshot(path: string, text: string): FileSnapshot {
  return { path, text, sha256: createHash('sha256').update(text).digest('hex') };
}

/** A set from label -> text, in the order given (the read order). */
export function setOf(files: Record<string, string>): FileSnapshot[] {
  return Object.entries(files).map(([p, t]) => snapshot(p, t));
}

/** Debian's packaged /etc/nova/nova.conf (nova-common 26.2.2) and nova-compute-kvm's nova-compute.conf. */
export const DEBIAN_NOVA_CONF = 'test/fixtures/ops/debian-nova.conf';
export const DEBIAN_COMPUTE_KVM = 'test/fixtures/ops/debian-nova-compute-kvm.conf';
export const NOVA_SAMPLE = 'test/fixtures/novaconf/nova.conf.sample';

export const read = (p: string) => readFileSync(p, 'utf8');

/** Lines of `after` that are not lines of `before` at the same place, as [index, before, after]. */
export function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  let ea = a.length; let eb = b.length;
  while (ea > i && eb > i && a[ea - 1] === b[eb - 1]) { ea--; eb--; }
  for (const l of a.slice(i, ea)) out.push(`-${l}`);
  for (const l of b.slice(i, eb)) out.push(`+${l}`);
  return out;
}

/** The shared reference data: ../shared beside the checkout (SHARED_DIR overrides it, e.g. from a worktree). */
export const SHARED_DATA = join(process.env.SHARED_DIR ?? resolve(__dirname, '../../../shared'), 'data');

/** Why a test needing the shared data skips; with CI_REQUIRE_ORACLES=1 it runs (and fails) instead. */
export function sharedDataSkip(sub: string): string | false {
  if (existsSync(join(SHARED_DATA, sub)) || process.env.CI_REQUIRE_ORACLES === '1') return false;
  return `${join(SHARED_DATA, sub)} is missing (set SHARED_DIR to the shared reference directory)`;
}
