// The host profile gathered from the real system libvirtd and this machine's sysfs/procfs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gatherHostProfile } from '../../server/src/hosts/hostProfile';
import { LocalRunner } from '../../server/src/hosts/localRunner';
import { ensureLibvirtd, SYSTEM_URI } from '../support/libvirtd';
import type { CommandLogEntry } from '../../server/src/hosts/runner';

test('hostProfile: gathered from qemu:///system matches what virsh and sysfs say', async (t) => {
  const why = ensureLibvirtd();
  if (why) { if (process.env.CI_REQUIRE_ORACLES) assert.fail(why); t.skip(why); return; }
  const log: CommandLogEntry[] = [];
  const p = await gatherHostProfile(new LocalRunner({ log: (e) => log.push(e) }), { uri: SYSTEM_URI, virtType: 'qemu' });
  assert.deepEqual(p.problems, []);
  assert.deepEqual(log.map((e) => e.argv.slice(0, 4).join(' ')).slice(0, 2), [`virsh -c ${SYSTEM_URI} capabilities`, `virsh -c ${SYSTEM_URI} domcapabilities`]);
  assert.equal(p.arch, 'x86_64');
  // TCG runs every model: libvirt marks the usual ones usable.
  assert.ok(p.customModels.some((m) => m.name === 'qemu64' && m.usable === 'yes'), JSON.stringify(p.customModels.slice(0, 3)));
  assert.equal(p.modes.custom, true);
  const online = readFileSync('/sys/devices/system/cpu/online', 'utf8').trim();
  assert.equal(p.onlineCpus?.length, online.split(',').reduce((n, r) => { const [a, b] = r.split('-').map(Number); return n + (b === undefined ? 1 : b - a + 1); }, 0));
  assert.ok(p.numaNodes.length >= 1 && p.numaNodes.every((n) => n.cpus.length > 0));
});
