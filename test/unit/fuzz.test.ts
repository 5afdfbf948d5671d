/**
 * Seeded fuzzing of both document kinds, bounded in time: mutated real configs must never crash,
 * hang or break an invariant (see test/support/fuzzWorker.ts). A failing case is written to a file
 * and named by (kind, seed, index), so `fuzzCase(seed, index, kind, …)` regenerates it.
 * FUZZ_SEED and FUZZ_SECONDS vary the run; CI uses the defaults, so it tests the same cases each time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fuzzCase, seedTexts, type FuzzKind } from '../support/fuzzCases';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 12);
/** A case that shows no progress for this long is a hang (a normal case takes milliseconds). */
const WATCHDOG_MS = 30_000;
const BATCH = 200;
const WORKER = join(__dirname, '..', 'support', 'fuzzWorker.ts');

interface BatchResult { done: number; failure?: string; failedIndex?: number }

function runBatch(kind: FuzzKind, from: number): Promise<BatchResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, kind, String(SEED), String(from), String(BATCH)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let current = from, done = 0, failure: string | undefined, buf = '', stderr = '';
    let watchdog = setTimeout(onHang, WATCHDOG_MS);
    function onHang() { failure = `no progress for ${WATCHDOG_MS / 1000} s: hangs`; child.kill('SIGKILL'); }
    child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
    child.stdout.on('data', (d) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl); buf = buf.slice(nl + 1);
        const [what, n, ...rest] = line.split(' ');
        clearTimeout(watchdog); watchdog = setTimeout(onHang, WATCHDOG_MS);
        if (what === 'start') current = Number(n);
        else if (what === 'ok') done++;
        else if (what === 'FAIL') failure = rest.join(' ');
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      if (!failure && code !== 0) failure = `worker exited ${code ?? signal} (crash or out of memory): ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
      resolve({ done, failure, failedIndex: failure ? current : undefined });
    });
  });
}

for (const kind of ['nova-conf', 'domain-xml'] as const) {
  test(`fuzz ${kind}: mutated real configs never crash, hang or break an invariant (seed ${SEED}, ${SECONDS} s)`, { timeout: (SECONDS + 120) * 1000 }, async () => {
    const deadline = Date.now() + SECONDS * 1000;
    let from = 0, total = 0;
    while (Date.now() < deadline) {
      const r = await runBatch(kind, from);
      total += r.done;
      if (r.failure) {
        const c = fuzzCase(SEED, r.failedIndex!, kind, seedTexts(kind));
        const file = join(tmpdir(), `nova-libvirt-cpu-fuzz-${kind}-${SEED}-${r.failedIndex}.txt`);
        writeFileSync(file, c.text);
        assert.fail(`${c.name} (${c.text.length} characters, saved to ${file}): ${r.failure}`);
      }
      from += BATCH;
    }
    // The run did real work: a broken generator or worker must not pass by testing nothing.
    assert.ok(total >= 50, `only ${total} cases ran in ${SECONDS} s`);
    console.log(`fuzz ${kind}: ${total} cases, seed ${SEED}`);
  });
}
