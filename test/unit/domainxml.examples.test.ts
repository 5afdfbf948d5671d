/** examples/libvirt: each example shows the findings its README promises, the clean one none. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose } from './domainxml.helpers';

const DIR = join(__dirname, '..', '..', 'examples', 'libvirt');
const codes = (file: string) => diagnose(readFileSync(join(DIR, file), 'utf8')).map((f) => `${f.severity} ${f.code}`);

const EXPECTED: Record<string, string[]> = {
  'nova-instance-passthrough.xml': ['information libvirt/nova-managed', 'warning libvirt/cpu-model-ignored', 'warning libvirt/cpu-match-ignored', 'information libvirt/advice-passthrough-migration'],
  'custom-model-qemu-features.xml': ['error libvirt/cpu-feature-qemu-spelling', 'error libvirt/cpu-feature-qemu-spelling', 'information libvirt/advice-mitigation-disabled'],
  'topology-does-not-multiply.xml': ['error libvirt/topology-mismatch'],
  'vcpupin-out-of-range.xml': [...Array(4).fill('warning libvirt/vcpupin-out-of-range'), 'error libvirt/numa-cpus-exceed', 'information libvirt/advice-passthrough-migration'],
  'clean-numa-pinned.xml': [],
};

for (const [file, expected] of Object.entries(EXPECTED)) {
  test(`examples/libvirt/${file}`, () => {
    assert.deepEqual(codes(file).sort(), [...expected].sort());
  });
}
