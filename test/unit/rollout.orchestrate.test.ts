/**
 * The orchestration's own logic, with a scripted executor (the RolloutExecutor interface; the real
 * executors run against real hosts in test/oracle/node.rollout.test.ts): batches, the blocked
 * preview, the stop after the failing batch, which hosts are rolled back, and the summary rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchesOf, runBatches, runRollout, summaryTable, touchedHosts } from '../../server/src/rollout/orchestrate';
import type { HostPreview, RolloutEvent, RolloutExecutor, RolloutPreview, RolloutStep } from '../../server/src/rollout/types';

const host = (name: string, verdict: HostPreview['verdict'] = 'change'): HostPreview => ({
  host: name, verdict, files: [], findings: [], questions: [], summary: [], from: 'unset (host-model)', to: 'custom (qemu64)',
  ...(verdict === 'error' ? { problem: `${name}: Not applied: nova-compute would refuse the result` } : {}),
});

const preview = (hosts: HostPreview[], blocked?: string): RolloutPreview => ({ change: { mode: 'custom', models: ['qemu64'] }, configDir: '/etc/nova', sudo: true, hosts, targets: [], release: 'Zed (26)', ...(blocked ? { blocked } : {}) });

/** Each host: ok, or fails at a step; applies batch by batch through runBatches, like the ssh executor. */
function scripted(fail: Record<string, RolloutStep> = {}, parallel = 4) {
  const calls = { applied: [] as string[], rolledBack: [] as string[][], maxAtOnce: 0 };
  let now = 0;
  const ex: RolloutExecutor = {
    name: 'ssh',
    apply: (_p, batches, emit) => runBatches(batches, parallel, async (h) => {
      now++; calls.maxAtOnce = Math.max(calls.maxAtOnce, now);
      calls.applied.push(h.host);
      emit({ kind: 'started', at: Date.now(), host: h.host });
      await new Promise((r) => setTimeout(r, 5));
      now--;
      const step = fail[h.host];
      if (step !== 'check') emit({ kind: 'written', at: Date.now(), host: h.host, files: [{ path: '/etc/nova/nova.conf', backup: 'b' }] });
      if (!step) {
        emit({ kind: 'restarted', at: Date.now(), host: h.host, ms: 3 });
        emit({ kind: 'verified', at: Date.now(), host: h.host, ok: true, outcome: 'running', summary: 'nova-compute started past init_host and is running', line: '2026-12-01 20:10:59.794 536 INFO nova.compute.manager [-] Looking for unclaimed instances' });
        return true;
      }
      emit({ kind: 'failed', at: Date.now(), host: h.host, step, message: `refused on ${h.host}` });
      return false;
    }, emit),
    rollback: async (_p, hosts, emit) => {
      calls.rolledBack.push(hosts.map((h) => h.host));
      for (const h of hosts) emit({ kind: 'rolled-back', at: Date.now(), host: h.host, ok: true, summary: 'running again' });
    },
  };
  return { ex, calls };
}

const five = () => ['host1', 'host2', 'host3', 'host4', 'host5'].map((n) => host(n));

test('batches: the canary alone, then batchSize at a time; bad sizes refused', () => {
  assert.deepEqual(batchesOf([1, 2, 3, 4, 5], 1, 2), [[1], [2, 3], [4, 5]]);
  assert.deepEqual(batchesOf([1, 2, 3, 4, 5, 6], 2, 3), [[1, 2], [3, 4, 5], [6]]);
  assert.deepEqual(batchesOf([1], 1, 5), [[1]]);
  assert.deepEqual(batchesOf([], 1, 5), []);
  assert.throws(() => batchesOf([1], 0, 1), /canary must be a whole number of hosts, at least 1/);
  assert.throws(() => batchesOf([1], 1, 1.5), /batch size/);
});

test('all succeed: every host applied in batch order, nothing rolled back', async () => {
  const { ex, calls } = scripted();
  const events: RolloutEvent[] = [];
  const s = await runRollout(preview(five()), ex, (e) => events.push(e), { canary: 1, batchSize: 2 });
  assert.ok(s.ok);
  assert.deepEqual(calls.applied, ['host1', 'host2', 'host3', 'host4', 'host5']);
  assert.deepEqual(calls.rolledBack, []);
  assert.deepEqual(events.filter((e) => e.kind === 'batch').map((e) => (e as { hosts: string[] }).hosts), [['host1'], ['host2', 'host3'], ['host4', 'host5']]);
  assert.deepEqual(s.rows.map((r) => r.state), ['applied', 'applied', 'applied', 'applied', 'applied']);
  assert.equal(s.message, 'Applied and verified on 5 host(s).');
  assert.match(summaryTable(s), /^host1 +unset \(host-model\) → custom \(qemu64\) +ok +applied +INFO nova\.compute\.manager Looking for unclaimed instances/m);
});

test('a failure on host3 (batch 2): no later batch starts, hosts 1-3 are rolled back, 4-5 untouched', async () => {
  const { ex, calls } = scripted({ host3: 'verify' });
  const s = await runRollout(preview(five()), ex, () => undefined, { canary: 1, batchSize: 2 });
  assert.equal(s.ok, false);
  assert.equal(s.stoppedAt, 'host3');
  assert.deepEqual(calls.applied, ['host1', 'host2', 'host3']);
  assert.deepEqual(calls.rolledBack, [['host1', 'host2', 'host3']]);
  assert.deepEqual(s.rows.map((r) => [r.state, r.rolledBack]), [['rolled-back', true], ['rolled-back', true], ['rolled-back', true], ['untouched', false], ['untouched', false]]);
  assert.match(s.message, /^Stopped at host3: refused on host3\n3 host\(s\) rolled back, 2 untouched\.$/);
});

test('the canary fails: nothing else starts; --no-rollback leaves it as it is', async () => {
  const { ex, calls } = scripted({ host1: 'restart' });
  const s = await runRollout(preview(five()), ex, () => undefined, { rollback: false });
  assert.deepEqual(calls.applied, ['host1']);
  assert.deepEqual(calls.rolledBack, []);
  assert.deepEqual(s.rows.map((r) => r.state), ['failed', 'untouched', 'untouched', 'untouched', 'untouched']);
  assert.equal(s.rows[0].restart, 'failed');
});

test('a host refused at its hash check was not written: it is not rolled back, the others of the batch are', async () => {
  const { ex, calls } = scripted({ host2: 'check' });
  await runRollout(preview(five()), ex, () => undefined, { canary: 1, batchSize: 2 });
  assert.deepEqual(calls.rolledBack, [['host1', 'host3']]);
});

test('a blocked preview starts nothing: the executor is never called', async () => {
  const { ex, calls } = scripted();
  const hosts = five();
  hosts[3] = host('host4', 'error');
  const s = await runRollout(preview(hosts, 'Not started: 1 of 5 host(s) …'), ex);
  assert.deepEqual(calls.applied, []);
  assert.equal(s.ok, false);
  assert.equal(s.message, 'Not started: 1 of 5 host(s) …');
  assert.deepEqual(s.rows.map((r) => r.state), ['untouched', 'untouched', 'untouched', 'untouched', 'untouched']);
});

test('unchanged hosts are not sent to the executor; parallelism within a batch is bounded', async () => {
  const { ex, calls } = scripted({}, 2);
  const hosts = five();
  hosts[1] = host('host2', 'unchanged');
  const s = await runRollout(preview(hosts), ex, () => undefined, { canary: 1, batchSize: 3 });
  assert.deepEqual(calls.applied, ['host1', 'host3', 'host4', 'host5']);
  assert.equal(calls.maxAtOnce, 2);
  assert.equal(s.rows[1].state, 'unchanged');
  assert.ok(s.ok);
});

test('an executor that reports no verdict for a host does not pass as success', async () => {
  const ex: RolloutExecutor = { name: 'ansible', apply: async (_p, _b, emit) => { emit({ kind: 'started', at: 1, host: 'host1' }); }, rollback: async () => undefined };
  const s = await runRollout(preview([host('host1')]), ex);
  assert.equal(s.ok, false);
  assert.equal(s.stoppedAt, 'host1');
  assert.match(s.rows[0].nova, /no verdict was reported for host1/);
});

test('touched hosts: written, or failed at or after the write', () => {
  const e = (host: string, step?: RolloutStep): RolloutEvent => (step ? { kind: 'failed', at: 0, host, step, message: '' } : { kind: 'written', at: 0, host, files: [] });
  assert.deepEqual([...touchedHosts([e('a'), e('b', 'check'), e('c', 'connect'), e('d', 'write'), e('f', 'verify')])].sort(), ['a', 'd', 'f']);
});
