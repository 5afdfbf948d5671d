/** `nova-libvirt-cpu rollout` / `rollout-step` arguments: usage errors are exit 2 with the reason, before any host is read. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRolloutCommand, runRolloutStep } from '../../server/src/cli/rollout';
import type { Io } from '../../server/src/cli/hostCommands';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const x: Io = { out: (s) => out.push(s), err: (s) => err.push(s) };
  return { x, out: () => out.join(''), err: () => err.join('') };
}

test('usage errors: exit 2 and the reason in the words of the option', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['--mode', 'custom'], /--inventory is required/],
    [['--inventory', 'i', '--mode', 'custom', '--format', 'yaml'], /--format must be text or json, not 'yaml'/],
    [['--inventory', 'i', '--mode', 'custom', '--executor', 'salt'], /--executor must be ansible or ssh, not 'salt'/],
    [['--inventory', 'i', '--mode', 'fast'], /--mode must be one of host-passthrough, host-model, custom, maximum, none, not 'fast'/],
    [['--inventory', 'i', '--mode', 'custom', '--canary', '0'], /--canary must be a whole number from 1 to 10000, not '0'/],
    [['--inventory', 'i', '--mode', 'custom', '--batch', '2.5'], /--batch must be a whole number/],
    [['--inventory', 'i', '--mode', 'custom', '--timeout', '0'], /--timeout must be a number of seconds/],
    [['--inventory', 'i', '--mode', 'custom', '--flags', 'vmx', '--extra-flags', 'pcid'], /give --extra-flags or --flags, not both/],
    [['--inventory', 'i', '--mode', 'custom', '--config-dir', 'etc/nova'], /--config-dir must be an absolute path/],
    [['--inventory', 'i', '--mode', 'custom', '--service', '{"restart":"systemctl restart nova"}'], /--service: service\.restart must be a non-empty array of strings/],
    [['--inventory', 'i', '--mode', 'custom', '--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [args, why] of cases) {
    const o = io();
    assert.equal(await runRolloutCommand(args, o.x), 2, args.join(' '));
    assert.match(o.err(), why, args.join(' '));
    assert.match(o.err(), /Usage: nova-libvirt-cpu rollout/);
  }
});

test('--help prints the usage on stdout, exit 0', async () => {
  const o = io();
  assert.equal(await runRolloutCommand(['--help'], o.x), 0);
  assert.match(o.out(), /^Usage: nova-libvirt-cpu rollout --inventory INV --limit GROUP --mode MODE/);
});

test('rollout-step: usage and bad JSON are exit 2 without touching a host', async () => {
  for (const args of [[], ['mark'], ['verify', '--dest', 'h'], ['mark', '--dest', 'h', '--manager', '{'], ['verify', '--dest', 'h', '--manager', '{"restart":[],"status":[],"log":[]}', '--mark', 'x']]) {
    const o = io();
    assert.equal(await runRolloutStep(args, o.x), 2, args.join(' '));
    assert.match(o.err(), /rollout-step/);
  }
});
