/**
 * The system libvirtd (qemu:///system) and virtlogd for tests that talk to them: started here
 * (`libvirtd -d`, `virtlogd -d`) when they are not answering, and left running (other tests and the compute node share it).
 * Returns why it is unavailable instead of throwing, so a layer can skip or, under
 * CI_REQUIRE_ORACLES, fail with the reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const SYSTEM_URI = 'qemu:///system';

const answers = () => spawnSync('virsh', ['-c', SYSTEM_URI, 'version'], { encoding: 'utf8', timeout: 20_000 });

function virtlogdRuns(): boolean {
  try {
    const pid = readFileSync('/run/virtlogd.pid', 'utf8').trim();
    return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'virtlogd';
  } catch {
    return false;
  }
}

export function ensureLibvirtd(): string | undefined {
  if (!existsSync('/usr/sbin/libvirtd')) return 'libvirtd is not installed (scripts/setup-test-env.sh installs it)';
  // Guests need virtlogd for their console log: without it `virsh start` fails. Its socket
  // outlives a killed virtlogd, so ask whether the process in its pid file still runs.
  if (!virtlogdRuns()) {
    const v = spawnSync('/usr/sbin/virtlogd', ['-d'], { encoding: 'utf8', timeout: 30_000 });
    if (v.status !== 0) return `virtlogd -d failed: ${v.stderr.trim()}`;
  }
  if (answers().status === 0) return undefined;
  const start = spawnSync('/usr/sbin/libvirtd', ['-d'], { encoding: 'utf8', timeout: 30_000 });
  if (start.status !== 0) return `libvirtd -d failed: ${start.stderr.trim()}`;
  const until = Date.now() + 30_000;
  let last = answers();
  while (last.status !== 0 && Date.now() < until) {
    spawnSync('sleep', ['0.5']);
    last = answers();
  }
  return last.status === 0 ? undefined : `libvirtd started but virsh -c ${SYSTEM_URI} version fails: ${last.stderr.trim()}`;
}
