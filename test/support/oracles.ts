/**
 * Tests that need a real part (sshd, sudo, root for mounts) skip without it, unless
 * CI_REQUIRE_ORACLES=1, where a missing part is a failure (CI must exercise them all).
 */
import assert from 'node:assert/strict';

export const oraclesRequired = process.env.CI_REQUIRE_ORACLES === '1';

/** `skip` option for node:test: false when available or required (then requireOracle fails the test). */
export function skipUnless(available: boolean, why: string): false | string {
  return available || oraclesRequired ? false : `${why}; set CI_REQUIRE_ORACLES=1 to make this a failure`;
}

export function requireOracle(available: boolean, why: string): void {
  if (!available) assert.fail(`CI_REQUIRE_ORACLES=1 but ${why}`);
}
