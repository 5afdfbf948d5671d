// Runs lsp-probe.lua in headless neovim against our stdio server and returns what the client saw.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../env.mjs';

export const serverJs = path.join(repoRoot, 'dist/server.js');
const probeLua = path.join(repoRoot, 'test/e2e/neovim/lsp-probe.lua');

/**
 * @param {object} o
 * @param {string} o.file  absolute path of the document to open
 * @param {string} o.languageId  didOpen languageId (nova-conf | xml)
 * @param {[number, number]} [o.completion]  0-based line/char for textDocument/completion
 * @param {[number, number]} [o.hover]  0-based line/char for textDocument/hover
 * @returns {{ status: number|null, out: any, log: string, ms: number }}
 *   out: { diagnostics_before_edit, diagnostics_after_edit, completion: string[], hover?, ms_to_diagnostics, error? }
 */
export function probe({ file, languageId, completion = [1, 11], hover = [1, 2], timeoutMs = 15000 }) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nlc-nvim-'));
  const outFile = path.join(tmp, 'out.json');
  const t0 = Date.now();
  try {
    const r = spawnSync('nvim', ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${probeLua}`], {
      encoding: 'utf8', timeout: timeoutMs * 3,
      env: {
        ...process.env,
        // private cache/state dirs: keeps the user's ~/.cache/nvim clean and gives us this run's lsp.log
        XDG_CACHE_HOME: tmp, XDG_STATE_HOME: tmp, XDG_DATA_HOME: tmp,
        LSP_CMD: JSON.stringify([process.execPath, serverJs, '--stdio']),
        LSP_FILE: file, LSP_LANGUAGE_ID: languageId, LSP_OUT: outFile, LSP_TIMEOUT_MS: String(timeoutMs),
        LSP_COMPLETION_POS: completion.join(':'), LSP_HOVER_POS: hover.join(':'),
      },
    });
    const out = fs.existsSync(outFile) ? JSON.parse(fs.readFileSync(outFile, 'utf8')) : { error: `no output; nvim stderr: ${r.stderr}` };
    const logFile = [path.join(tmp, 'nvim/lsp.log'), path.join(tmp, 'lsp.log')].find((f) => fs.existsSync(f));
    return { status: r.status, out, log: logFile ? fs.readFileSync(logFile, 'utf8') : '', ms: Date.now() - t0 };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
