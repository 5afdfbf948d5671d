/** Names of backups and temp files beside a host file (hosts/backupNames.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backupGlob, backupName, backupStamp, hostPathProblem, parseBackupName, tempTemplate } from '../../server/src/hosts/backupNames';

test('backup names: UTC stamp to the second, a counter for a second one in the same second, round trip', () => {
  const at = new Date('2026-12-01T14:05:01.987Z');
  assert.equal(backupStamp(at), '20261201T140501Z');
  assert.equal(backupName('nova.conf', at), 'nova.conf.nova-libvirt-cpu.20261201T140501Z.bak');
  assert.equal(backupName('nova.conf', at, 3), 'nova.conf.nova-libvirt-cpu.20261201T140501Z-3.bak');
  assert.deepEqual(parseBackupName('nova.conf', 'nova.conf.nova-libvirt-cpu.20261201T140501Z-3.bak'), { at: new Date('2026-12-01T14:05:01Z'), n: 3 });
  assert.deepEqual(parseBackupName('nova.conf', backupName('nova.conf', at)), { at: new Date('2026-12-01T14:05:01Z'), n: 1 });
});

test('backup names: what is not ours is not a backup (other file, bad dates, -1, other suffix)', () => {
  for (const name of [
    'nova.conf',
    'nova-compute.conf.nova-libvirt-cpu.20261201T140501Z.bak',
    'nova.conf.nova-libvirt-cpu.20261301T140501Z.bak',
    'nova.conf.nova-libvirt-cpu.20260230T140501Z.bak',
    'nova.conf.nova-libvirt-cpu.20261201T140501Z-1.bak',
    'nova.conf.nova-libvirt-cpu.20261201T140501Z.bak.conf',
    'nova.conf.nova-libvirt-cpu.20261201T140501.bak',
  ]) {
    assert.equal(parseBackupName('nova.conf', name), undefined, name);
  }
});

test('backup and temp names never match nova.conf.d/*.conf', () => {
  assert.doesNotMatch(backupName('10-cpu.conf', new Date()), /\.conf$/);
  assert.equal(tempTemplate('/etc/nova/nova.conf.d/10-cpu.conf'), '/etc/nova/nova.conf.d/.10-cpu.conf.nova-libvirt-cpu-tmp.XXXXXXXX');
});

test('backupGlob escapes glob characters of the file name', () => {
  assert.equal(backupGlob('a*b?[c]\\.conf'), 'a\\*b\\?\\[c\\]\\\\.conf.nova-libvirt-cpu.*.bak');
});

test('host paths: absolute file names only', () => {
  assert.equal(hostPathProblem('/etc/nova/nova.conf'), undefined);
  assert.equal(hostPathProblem('/etc/-x/\n$(touch y)'), undefined);
  assert.match(hostPathProblem('nova.conf') ?? '', /not an absolute path/);
  assert.match(hostPathProblem('-rf') ?? '', /not an absolute path/);
  assert.match(hostPathProblem('/etc/nova/') ?? '', /directory/);
  assert.match(hostPathProblem('/etc/..') ?? '', /directory/);
  assert.match(hostPathProblem('/etc/a\0b') ?? '', /NUL/);
});
