/**
 * Rule by rule, against what libvirt 9.0 and 12.8 said about each probe (manifest.tsv):
 * - define verdict: our define-stage errors exist exactly when libvirt's define rejects
 *   (the qemu driver's verdict where it is real, else the test driver's), and one of them
 *   carries libvirt's exact message;
 * - schema verdict: when virt-xml-validate rejects, we report something (a schema warning at least);
 * - our code: the probe produces the code its row names for that version (`-`: no error or warning).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, defineErrors, diagnose, readManifest } from './domainxml.helpers';
import { isCode } from '../../server/src/codes';

const DIR = join(FIXTURES, 'probes');
const rows = readManifest(join(DIR, 'manifest.tsv'));

/**
 * Probes whose recorded verdict is not the one that applies, each checked by hand with the
 * real driver (and covered by the differential test): the manifest has the qemu driver only
 * with --validate, where the 9.0 schema speaks first.
 */
const EXCEPTIONS: Record<string, string> = {
  // 9.0 ignores clusters, so 1x1x2x1 = 2 != 4 vCPUs: `virsh -c qemu:///session define` (no --validate) rejects.
  '9.0 topo-clusters.xml': "rejected: unsupported configuration: CPU topology doesn't match maximum vcpu count",
};

/** libvirt's define verdict: undefined message = accepted. */
function expected(row: Record<string, string>, v: '9.0' | '12.8'): { rejected: boolean; message?: string } {
  const exception = EXCEPTIONS[`${v} ${row.file}`];
  if (exception) return { rejected: true, message: exception.slice('rejected: '.length) };
  const q = (row[`qemu_define_validate_${v}`] ?? '').replace(/ \(type kvm->qemu\)$/, '');
  const generic = row[`define_novalidate_${v}`];
  // The qemu driver's answer counts unless it is an artefact of this machine or only the schema spoke.
  const useQemu = q && !q.startsWith('env:') && !q.includes('Disconnected from') && !q.includes('failed to validate against schema');
  const verdict = useQemu ? q : generic;
  return verdict.startsWith('rejected: ') ? { rejected: true, message: verdict.slice('rejected: '.length) } : { rejected: false };
}

for (const v of ['9.0', '12.8'] as const) {
  test(`probes: define verdicts and messages match libvirt ${v}`, () => {
    const problems: string[] = [];
    let messages = 0;
    for (const row of rows) {
      const text = readFileSync(join(DIR, row.file), 'utf8');
      const fs = diagnose(text, v);
      const errs = defineErrors(fs);
      const exp = expected(row, v);
      if (exp.rejected && errs.length === 0) problems.push(`${row.file}: libvirt rejects (${exp.message}) but we report no define error`);
      else if (!exp.rejected && errs.length) problems.push(`${row.file}: libvirt accepts but we say: ${errs.map((e) => e.upstream ?? e.explanation).join(' | ')}`);
      else if (exp.rejected) {
        if (errs.some((e) => e.upstream === exp.message)) messages++;
        else problems.push(`${row.file}: message differs: libvirt "${exp.message}", ours ${errs.map((e) => `"${e.upstream}"`).join(', ')}`);
      }
      if (row[`schema_${v}`].startsWith('invalid') && fs.length === 0) problems.push(`${row.file}: the ${v} schema rejects it but we report nothing`);
      const ours = row[`our_code_${v}`];
      const loud = fs.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code);
      if (ours === undefined) problems.push(`${row.file}: no our_code_${v} column`);
      else if (ours === '-' ? loud.length > 0 : !isCode(ours) || !fs.some((f) => f.code === ours)) problems.push(`${row.file}: our_code_${v} is ${ours}, we report ${fs.map((f) => f.code).join(', ') || 'nothing'}`);
    }
    console.log(`probes @${v}: ${rows.length} probes, ${messages} exact messages, ${problems.length} disagreements`);
    assert.deepEqual(problems, []);
  });
}
