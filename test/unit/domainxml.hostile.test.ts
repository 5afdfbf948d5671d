/**
 * The hostile domain inputs of issue 7 (bench/domainxml.inputs.ts HOSTILE), each once a crash, a
 * hang or a memory blow-up. Each must now finish with correct, bounded findings. They run in child
 * processes (test/support/domainxmlHostileRun.ts) with a kill timeout, so a regression that hangs
 * fails here instead of hanging CI, and the big ones alone so their peak memory is their own.
 * No timing is asserted (bench/domainxml.bench.ts measures speed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Finding } from '../../server/src/core/findings';
import { MAX_PER_CODE } from '../../server/src/core/findingCap';
import { hasDomainRoot } from '../../server/src/core/documentKind';
import { diagnose, domain } from './domainxml.helpers';

interface Run { name: string; kind: string | null; jsonBytes: number; rssBeforeMB: number; rssPeakMB: number; findings: Finding[] }

const RUNNER = join(__dirname, '..', 'support', 'domainxmlHostileRun.ts');

/** Runs the named inputs in one child; fails (never hangs) when it does not finish in `timeoutMs`. */
function runInChild(names: string[], timeoutMs = 240_000): Map<string, Run> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', RUNNER, ...names], { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.signal, null, `killed after ${timeoutMs} ms (a hang or a crash): ${names.join(', ')}\n${r.stderr?.slice(-2000)}`);
  assert.equal(r.status, 0, r.stderr?.slice(-2000));
  const runs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Run);
  assert.deepEqual(runs.map((x) => x.name), names);
  return new Map(runs.map((x) => [x.name, x]));
}

const codes = (run: Run) => run.findings.map((f) => f.code);
const one = (run: Run, code: string) => {
  const fs = run.findings.filter((f) => f.code === code);
  assert.equal(fs.length, 1, `${run.name}: one ${code} in ${codes(run).join(', ')}`);
  return fs[0];
};

/** Bounded output: at most MAX_PER_CODE per code (plus one note each), small JSON, no huge message. */
function assertBounded(run: Run): void {
  const perCode = new Map<string, number>();
  for (const f of run.findings) perCode.set(f.code, (perCode.get(f.code) ?? 0) + 1);
  for (const [code, n] of perCode) assert.ok(n <= MAX_PER_CODE || code === 'input/too-many-findings', `${run.name}: ${n} ${code}`);
  assert.ok(run.jsonBytes < 256 * 1024, `${run.name}: ${run.jsonBytes} bytes of findings`);
  for (const f of run.findings) {
    assert.ok(f.explanation.length <= 2100, `${run.name}: ${f.code} explanation of ${f.explanation.length} characters`);
    const upstream = f.upstream ?? '';
    assert.ok(upstream.length <= 2100, `${run.name}: ${f.code} upstream of ${upstream.length} characters`);
  }
}

test('hostile domain inputs, small and medium: complete with correct, bounded findings', { timeout: 300_000 }, () => {
  const runs = runInChild(['vcpu-2147483648', 'vcpu-1e8', 'comments-30', 'numa-cells-10k', 'entities-in-comment-200k', 'features-60k',
    'vcpupins-60k', 'vcpusched-10k', 'interconnects-20k', 'hugepages-10k', 'memorytune-10k', 'vcpus-hotplug-30k', 'unknown-attrs-100k']);
  for (const run of runs.values()) assertBounded(run);

  // 2^31 vCPUs and one cell: the uncovered vCPUs are one range, and the schema limit is named.
  const huge = runs.get('vcpu-2147483648')!;
  assert.match(one(huge, 'libvirt/numa-cpus-uncovered').explanation, /^vCPUs 1-2147483647 are in no NUMA cell: .*cpus='0-2147483647'/);
  one(huge, 'libvirt/vcpu-too-many');
  assert.match(one(runs.get('vcpu-1e8')!, 'libvirt/numa-cpus-uncovered').explanation, /^vCPUs 1-99999999 /);

  // 30 comments and a broken tag: not a domain, answered at once.
  assert.equal(runs.get('comments-30')!.kind, null);

  // 10k cells, one vCPU each: no overlap, all covered; only the memory sum differs.
  const cells = runs.get('numa-cells-10k')!;
  assert.ok(!codes(cells).some((c) => /numa-cells-overlap|numa-cpus-uncovered|numa-cpu-id/.test(c)), codes(cells).join(', '));
  one(cells, 'libvirt/numa-memory-sum');

  // Entity references inside a comment are not references: well-formed, nothing to say.
  assert.deepEqual(codes(runs.get('entities-in-comment-200k')!), []);

  // 60k unknown features: 200 kept (each with its did-you-mean computed), the rest counted.
  const features = runs.get('features-60k')!;
  assert.equal(features.findings.filter((f) => f.code === 'libvirt/cpu-feature-unknown').length, MAX_PER_CODE);
  assert.match(one(features, 'input/too-many-findings').explanation, /^59800 more libvirt\/cpu-feature-unknown findings/);
  const attrs = runs.get('unknown-attrs-100k')!;
  assert.equal(attrs.findings.filter((f) => f.code === 'libvirt/unknown-attribute').length, MAX_PER_CODE);
  assert.match(one(attrs, 'input/too-many-findings').explanation, /^99800 more libvirt\/unknown-attribute findings/);

  // Many elements of one kind, all distinct: no overlap claimed, no order error.
  for (const name of ['vcpupins-60k', 'vcpusched-10k', 'hugepages-10k', 'memorytune-10k', 'vcpus-hotplug-30k']) {
    const bad = codes(runs.get(name)!).filter((c) => /overlap|duplicate|hugepages|resctrl|vcpu-order|sched/.test(c));
    assert.deepEqual(bad, [], name);
  }
  // 20k identical latencies: the second repeats the first, as libvirt says.
  const links = one(runs.get('interconnects-20k')!, 'libvirt/numa-interconnect');
  assert.equal(links.upstream, 'XML error: Duplicate info for NUMA latencies');
  assert.equal(links.range.start.line, 9);
});

test('hostile domain inputs, big: bounded memory (each alone), cut short past the item limit', { timeout: 600_000 }, () => {
  for (const name of ['numa-cells-100k', 'numa-cells-4096-full', 'cpuset-2M', 'nested-1M', 'attribute-10MB', 'pins-300k-10MB', 'entities-in-text-2M']) {
    const run = runInChild([name]).get(name)!;
    assertBounded(run);
    const grew = run.rssPeakMB - run.rssBeforeMB;
    assert.ok(grew < 250, `${name}: resident memory grew by ${grew.toFixed(0)} MB during the analysis`);
    if (name === 'numa-cells-4096-full') {
      assert.equal(one(run, 'libvirt/numa-cells-overlap').upstream, 'unsupported configuration: NUMA cells 1 and 0 have overlapping vCPU ids');
    } else if (name === 'cpuset-2M') {
      assert.deepEqual(codes(run), [], 'a valid 2 MB cpuset, schema included');
    } else if (name === 'nested-1M' || name === 'pins-300k-10MB') {
      assert.deepEqual(codes(run), ['input/too-many-elements']);
    } else if (name === 'entities-in-text-2M') {
      assert.match(one(run, 'libvirt/cpu-model-unknown').explanation, /'&{80}… \(2000000 characters\)'/);
    } else if (name === 'attribute-10MB') {
      const f = one(run, 'libvirt/cpu-vendor-id-length');
      assert.match(f.explanation, /'x{80}… \(10000000 characters\)' has 10000000\.$/);
    } else {
      assert.ok(!codes(run).some((c) => /overlap|uncovered/.test(c)), codes(run).join(', '));
    }
  }
});

test('a cpuset of 2 MB that breaks the schema: one warning, the value quoted short', () => {
  const fs = diagnose(domain(`  <cputune><emulatorpin cpuset='${'1, '.repeat(700_000)}1'/></cputune>`));
  const f = fs.find((x) => x.code === 'libvirt/cpuset-schema')!;
  assert.ok(f, fs.map((x) => x.code).join(', '));
  assert.ok(f.explanation.length < 500, `${f.explanation.length} characters`);
  assert.ok(!fs.some((x) => x.code === 'libvirt/cpuset-syntax'), 'libvirt itself accepts blanks after commas');
});

test('well-formedness: positions after a shortened long value are the real ones', () => {
  const wf = (value: string) => diagnose(`<domain type='kvm'>\n  <name a='${value}'>x</nam>\n</domain>\n`).find((f) => f.code === 'libvirt/xml-not-well-formed')!;
  const short = wf('x'.repeat(100));
  const long = wf('x'.repeat(100_000));
  assert.equal(short.upstream, long.upstream);
  assert.equal(long.range.start.line, short.range.start.line);
  assert.equal(long.range.start.character - short.range.start.character, 100_000 - 100);
  // Two long names that differ only in their middle still do not match.
  const mid = (c: string) => `${'a'.repeat(500)}${c}${'a'.repeat(500)}`;
  assert.ok(diagnose(`<domain type='kvm'><vcpu>1</vcpu><${mid('b')}></${mid('c')}></domain>`).some((f) => f.code === 'libvirt/xml-not-well-formed'));
  assert.ok(!diagnose(`<domain type='kvm'><vcpu>1</vcpu><${mid('b')}></${mid('b')}></domain>`).some((f) => f.code === 'libvirt/xml-not-well-formed'));
});

test('root detection: a linear scan past comments, PIs, doctypes; GlassFish domain.xml is not a libvirt domain', () => {
  assert.ok(!hasDomainRoot(`${'<!--a-->'.repeat(100_000)}<1`));
  assert.ok(hasDomainRoot(`\uFEFF<?xml version='1.0'?>${'<!--a-->'.repeat(30)}<!DOCTYPE domain [ <!ENTITY a "]>"> <!-- ]> --> ]>\n<domain type='kvm'>`));
  assert.ok(!hasDomainRoot('text before <domain type="kvm">'));
  const glassfish = `<?xml version="1.0" encoding="UTF-8"?>
<domain log-root="\${com.sun.aas.instanceRoot}/logs" application-root="\${com.sun.aas.instanceRoot}/applications" version="10.0">
  <security-configurations><authentication-service default="true" name="adminAuth"/></security-configurations>
  <system-applications/>
  <applications/>
  <resources><jdbc-resource pool-name="__TimerPool" jndi-name="jdbc/__TimerPool"/></resources>
  <servers><server name="server" config-ref="server-config"/></servers>
  <configs><config name="server-config"><cpu/></config></configs>
</domain>
`;
  assert.equal(diagnose(glassfish).length, 0);
  // libvirt domains without type (Nova's test fragments, kubevirt) are still ours, by their children.
  assert.ok(hasDomainRoot('<domain>\n  <vcpu cpuset="0-1">1</vcpu>\n</domain>'));
  assert.ok(hasDomainRoot('<domain><!-- c --><cputune><vcpupin vcpu="0" cpuset="1"/></cputune></domain>'));
  assert.ok(hasDomainRoot("<domain type='kvm'>"), 'a domain being typed');
  assert.ok(!hasDomainRoot('<domain>'), 'neither a type nor a child of libvirt\'s');
});
