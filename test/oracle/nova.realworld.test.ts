/**
 * nova.conf sets written by other people (../shared/data/realworld/nova: OpenStack docs and CI,
 * operators' repositories), judged by Nova 26 itself: python3-nova reads each set with the real
 * oslo.config and every option it registers once (the recorded verdicts in verdicts.tsv are from
 * the same reading). Under release zed we must give no error where Nova accepts, an error with
 * Nova's own text for every value or parse error it refuses, and every deprecation warning it
 * logs, word for word. Without python3-nova it skips, unless CI_REQUIRE_ORACLES=1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze } from '../../server/src/analyze';
import { upstreamTexts, type Finding } from '../../server/src/core/findings';
import { knowledgeFor, novaOracleAvailable, runNovaOracle } from '../fixtures/novaconf/helpers';

// ../shared beside the checkout (SHARED_DIR overrides it, e.g. from a worktree).
const ROOT = join(process.env.SHARED_DIR ?? resolve(__dirname, '../../../shared'), 'data/realworld');
const available = novaOracleAvailable() && existsSync(ROOT);
const required = process.env.CI_REQUIRE_ORACLES === '1';
const skip = available ? false : required ? false : 'python3-nova or ../shared/data/realworld is missing';

interface NovaSet { name: string; files: Array<{ label: string; text: string }>; verdict: { oracle: string; stage: string; message: string } }

function sets(): NovaSet[] {
  const verdicts = new Map<string, NovaSet['verdict']>();
  for (const line of readFileSync(join(ROOT, 'verdicts.tsv'), 'utf8').split('\n').slice(1)) {
    const [kind, name, , oracle, stage, message] = line.split('\t');
    if (kind === 'nova') verdicts.set(name, { oracle, stage, message });
  }
  return readdirSync(join(ROOT, 'nova')).sort().map((name) => {
    const dir = join(ROOT, 'nova', name);
    // Read as the judge did: nova.conf, then nova-compute.conf.
    const files = ['nova.conf', 'nova-compute.conf'].filter((f) => existsSync(join(dir, f))).map((f) => ({ label: f, text: readFileSync(join(dir, f), 'utf8') }));
    return { name, files, verdict: verdicts.get(name)! };
  });
}

/** Our findings on every file of the set, each analysed with the others as its config set. */
function ours(set: NovaSet): Finding[] {
  const knowledge = knowledgeFor('zed');
  return set.files.flatMap((f, i) => analyze(f.label, f.text, knowledge, 'nova-conf', 'nova-conf', { before: set.files.slice(0, i), after: set.files.slice(i + 1) })!.findings);
}

test('real nova.conf sets: no false error, every oslo.config refusal caught in its words, every deprecation warning shown (zed)', { skip }, () => {
  if (!available) assert.fail('CI_REQUIRE_ORACLES=1 but python3-nova or the realworld data is missing');
  const all = sets();
  const oracle = runNovaOracle<Array<{ parse_error: string | null; errors: Record<string, string>; warnings: string[] }>>({ mode: 'values', options: 'all', files: all.map((s) => s.files.map((f) => f.text)) });
  const problems: string[] = [];
  let refused = 0;
  let warnings = 0;
  let warningsShown = 0;
  all.forEach((set, i) => {
    const nova = oracle[i];
    const findings = ours(set);
    const errors = findings.filter((f) => f.severity === 'error' && f.stage === 'oslo.config');
    const upstreams = new Set(findings.flatMap(upstreamTexts));
    const novaErrors = Object.values(nova.errors);
    // The parse error: oslo.config's message after "file:line, ".
    const parse = nova.parse_error?.replace(/^.*?:\d+, /, '');
    if (parse || novaErrors.length) refused++;
    for (const m of novaErrors) if (!upstreams.has(m)) problems.push(`${set.name}: missed value error ${m}`);
    if (parse && !upstreams.has(parse)) problems.push(`${set.name}: missed parse error ${parse}`);
    if (!parse && !novaErrors.length) for (const f of errors) problems.push(`${set.name}: false error ${f.code} ${f.upstream ?? f.explanation}`);
    for (const w of parse ? [] : nova.warnings) {
      warnings++;
      if (upstreams.has(w)) warningsShown++;
      else problems.push(`${set.name}: deprecation warning not shown: ${w}`);
    }
  });
  console.log(`realworld nova.conf: ${all.length} sets, ${refused} refused by oslo.config, ${warningsShown}/${warnings} deprecation warnings shown, ${problems.length} problems`);
  assert.deepEqual(problems, []);
});
