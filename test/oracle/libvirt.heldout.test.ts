/**
 * Held-out libvirt test inputs (test/fixtures/domainxml-heldout: libvirt's own test XMLs that the corpus does
 * not hold) against the verdicts libvirt 9.0 gave when scripts/heldout-libvirt.mjs ran it (qemu driver
 * `define --validate`, the test driver where the qemu driver cannot judge on this host). Recorded, so this runs
 * without libvirt. In scope = accepted, or rejected for a reason in the blocks we check (`scope` column).
 * Our verdict is recomputed under libvirt 9.0 rules: any error finding = we reject.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, diagnose, errors, readManifest } from '../unit/domainxml.helpers';

const DIR = join(FIXTURES, '..', 'domainxml-heldout');
const rows = readManifest(join(DIR, 'verdicts.tsv'));

/** Disagreements not fixed yet: file → why. The list may shrink, never grow. */
const KNOWN: Record<string, string> = {
  'qemuxmlconfdata/cpu-model-deprecated-features-off.xml': "<cpu deprecated_features> is newer than libvirt 9.0's schema",
  'qemuxmlconfdata/hugepages-nvdimm.xml': "<topology clusters> is newer than libvirt 9.0's schema",
  'qemuxmlconfdata/memfd-memory-numa.xml': "<topology clusters> is newer than libvirt 9.0's schema",
  'qemuxmlconfdata/memory-hotplug-nvdimm-access.xml': "<topology clusters> is newer than libvirt 9.0's schema",
  'qemuxmlconfdata/memory-hotplug-nvdimm-overlap.xml': "<topology clusters> is newer than libvirt 9.0's schema",
  'qemuxmlconfdata/memory-hotplug-nvdimm-readonly.xml': "<topology clusters> is newer than libvirt 9.0's schema",
  'qemuxmlconfdata/memory-hotplug-virtio-pmem.xml': "<topology clusters> is newer than libvirt 9.0's schema",
  'qemuxmlconfdata/numatune-auto-nodeset-invalid.xml': "the schema forbids nodeset with placement='auto' in <numatune><memory>",
  'qemuxmlconfdata/no-memory.xml': 'no <memory> and no NUMA cells: "Memory size must be specified via <memory> or in the <numa> configuration"',
  'qemuxml2argvdata/minimal-no-memory.xml': 'no <memory> and no NUMA cells: "Memory size must be specified via <memory> or in the <numa> configuration"',
  'genericxml2xmlindata/cachetune-cdp.xml': "qemu driver: cachetune is only supported for KVM domains (type='qemu')",
  'genericxml2xmlindata/cachetune-extra-tunes.xml': "qemu driver: cachetune is only supported for KVM domains (type='qemu')",
  'genericxml2xmlindata/cachetune-small.xml': "qemu driver: cachetune is only supported for KVM domains (type='qemu')",
  'genericxml2xmlindata/cachetune.xml': "qemu driver: cachetune is only supported for KVM domains (type='qemu')",
  'genericxml2xmlindata/memorytune.xml': "qemu driver: cachetune is only supported for KVM domains (type='qemu')",
  'qemuxml2argvdata/memory-hotplug-ppc64-nonuma-abi-update.xml': 'false error: ppc64 pseries allows memory hotplug without guest NUMA cells',
};

test('held-out libvirt inputs: no false errors, no missed in-scope rejections', () => {
  const falseErrors: string[] = [];
  const missed: string[] = [];
  const wrongMessage: string[] = [];
  let accepted = 0; let rejected = 0; let withMessage = 0; let messageMatches = 0;
  for (const row of rows) {
    if (row.scope !== 'in') continue;
    const errs = errors(diagnose(readFileSync(join(DIR, row.file), 'utf8'), '9.0'));
    const ours = errs.map((e) => e.upstream ?? e.explanation);
    if (row.libvirt_verdict === 'accepted') {
      accepted++;
      if (errs.length && !KNOWN[row.file]) falseErrors.push(`${row.file}: ${ours.join(' | ')}`);
      continue;
    }
    rejected++;
    if (!errs.length) { if (!KNOWN[row.file]) missed.push(`${row.file}: libvirt says ${row.libvirt_message}`); continue; }
    // A schema rejection names no attribute, so any error of ours is the answer; other messages must be libvirt's.
    if (/^XML document failed to validate against schema/.test(row.libvirt_message)) continue;
    withMessage++;
    if (ours.includes(row.libvirt_message)) messageMatches++;
    else wrongMessage.push(`${row.file}: libvirt "${row.libvirt_message}", ours ${ours.map((m) => `"${m}"`).join(', ')}`);
  }
  const out = rows.filter((r) => r.scope !== 'in').length;
  console.log(`held-out (libvirt 9.0): ${rows.length} files, ${accepted + rejected} in scope (${out} out); ${accepted} accepted → ${falseErrors.length} false errors; ${rejected} rejected → ${missed.length} missed; messages ${messageMatches}/${withMessage} exact; ${Object.keys(KNOWN).length} known disagreements`);
  assert.deepEqual(falseErrors, []);
  assert.deepEqual(missed, []);
  assert.deepEqual(wrongMessage, []);
});

test('held-out: every known disagreement is still one (fixed ones leave the list)', () => {
  for (const [file, why] of Object.entries(KNOWN)) {
    const row = rows.find((r) => r.file === file);
    assert.ok(row, `${file} is not in verdicts.tsv`);
    const errs = errors(diagnose(readFileSync(join(DIR, file), 'utf8'), '9.0'));
    assert.equal(errs.length > 0, row.libvirt_verdict === 'accepted', `${file} now agrees with libvirt: drop it from KNOWN (${why})`);
  }
});
