/**
 * Runs the analysis of named hostile domain inputs (bench/domainxml.inputs.ts HOSTILE) in this
 * process and prints one JSON line per input: its findings, the size of their JSON, and the
 * resident memory before and at peak. The hostile tests start it as a child process, so an input
 * that hangs is killed by a timeout (and fails) instead of hanging the test run.
 *   node --import tsx test/support/domainxmlHostileRun.ts NAME...
 */
import { analyze } from '../../server/src/analyze';
import { getKnowledge } from '../../server/src/knowledge/knowledge';
import { normalizeSettings } from '../../server/src/core/settings';
import { HOSTILE } from '../../bench/domainxml.inputs';

const k = getKnowledge(normalizeSettings({ useHostCpuMap: false }));
analyze('warm.xml', "<domain type='kvm'><vcpu>1</vcpu></domain>", k, 'xml');
for (const name of process.argv.slice(2)) {
  const text = HOSTILE[name]();
  const rssBeforeMB = process.memoryUsage().rss / 1048576;
  const a = analyze('domain.xml', text, k, 'xml');
  const findings = a?.findings ?? [];
  const rssPeakMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ name, kind: a?.kind ?? null, jsonBytes: JSON.stringify(findings).length, rssBeforeMB, rssPeakMB, findings }));
}
