/**
 * The server's time budget on every hostile input (issue 7: "analysed in under 1 s, or cut short
 * with an input/… finding within 1 s"): each input of bench/novaconf.inputs.ts (HOSTILE and
 * AT_SIZE_LIMIT) and bench/domainxml.inputs.ts (HOSTILE, plus one entity-heavy domain at the size
 * limit) analysed as the server does, with a Deadline of the default analysisTimeLimitMs, in a
 * child process of its own (so its peak RSS is its own). Prints the median CPU ms of the
 * analysis, the peer's parse of the same text in the same child (ini.parse / fast-xml-parser's
 * XMLParser) and the ratio, the peak RSS, and where the budget cut the analysis short.
 *   node --import tsx bench/budget.bench.ts [NAME...]      (NAME: inputs whose name has it)
 */
import { spawnSync } from 'node:child_process';
import { XMLParser } from 'fast-xml-parser';
import { HOSTILE as NOVA, AT_SIZE_LIMIT } from './novaconf.inputs';
import { HOSTILE as DOMAIN } from './domainxml.inputs';
import { median } from './support';

/** Every input by name, with its kind. */
function inputs(): Array<{ name: string; kind: 'nova' | 'xml'; text: () => string }> {
  return [
    ...[...NOVA, ...AT_SIZE_LIMIT].map((x) => ({ name: x.name, kind: 'nova' as const, text: x.text })),
    ...Object.entries(DOMAIN).map(([name, text]) => ({ name, kind: 'xml' as const, text })),
  ];
}

interface ChildResult { name: string; bytes: number; firstCpuMs: number; cpuMs: number; peerCpuMs: number; rssMB: number; findings: number; cutAt?: string }

const cpuNow = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };

/** Ours (`who` = ours), or the peer's parse of the same text, which runs in a child of its own (fast-xml-parser takes minutes on 6 million references). */
async function child(name: string, who: string): Promise<void> {
  const { analyze } = await import('../server/src/analyze');
  const { Deadline } = await import('../server/src/core/deadline');
  const { getKnowledge } = await import('../server/src/knowledge/knowledge');
  const { normalizeSettings } = await import('../server/src/core/settings');
  const ini = require('ini') as { parse(text: string): unknown };
  const k = getKnowledge(normalizeSettings({ useHostCpuMap: false }));
  const input = inputs().find((x) => x.name === name)!;
  const path = input.kind === 'nova' ? 'nova.conf' : 'domain.xml';
  const lang = input.kind === 'nova' ? 'nova-conf' : 'xml';
  analyze('warm.conf', '[libvirt]\ncpu_mode = custom\n', k, 'nova-conf');
  analyze('warm.xml', "<domain type='kvm'><vcpu>1</vcpu></domain>", k, 'xml');
  const text = input.text();
  const cpu: number[] = [];
  const peer: number[] = [];
  let findings = 0;
  let cutAt: string | undefined;
  let rssMB = 0;
  const started = performance.now();
  if (who === 'peer') {
    while (peer.length < 5 && (peer.length === 0 || performance.now() - started < 8000)) {
      const t = cpuNow();
      try { if (input.kind === 'nova') ini.parse(text); else new XMLParser({ ignoreAttributes: false }).parse(text); } catch { /* the peer's verdict is irrelevant */ }
      peer.push(cpuNow() - t);
    }
    process.stdout.write(JSON.stringify({ peerCpuMs: median(peer) }));
    return;
  }
  while (cpu.length < 5 && (cpu.length === 0 || performance.now() - started < 8000)) {
    const deadline = new Deadline(k.settings.analysisTimeLimitMs);
    const t = cpuNow();
    const a = analyze(path, text, k, lang, undefined, undefined, deadline);
    cpu.push(cpuNow() - t);
    if (cpu.length === 1) rssMB = process.resourceUsage().maxRSS / 1024;
    findings = a?.findings.length ?? 0;
    cutAt = deadline.cutAt;
  }
  const r: ChildResult = { name, bytes: text.length, firstCpuMs: cpu[0], cpuMs: median(cpu), peerCpuMs: NaN, rssMB, findings, cutAt };
  process.stdout.write(JSON.stringify(r));
}

function parent(): void {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  console.log('input | bytes | ours CPU ms: first run, median | peer CPU ms | ours/peer (medians) | peak RSS MB | findings | cut short before');
  let over = 0;
  for (const x of inputs()) {
    if (only.length && !only.some((o) => x.name.includes(o))) continue;
    const run = (who: string, timeout: number) => spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', x.name, who], { encoding: 'utf8', timeout, killSignal: 'SIGKILL', maxBuffer: 1 << 20 });
    const r = run('ours', 180_000);
    if (r.status !== 0 || !r.stdout) { over++; console.log(`${x.name} | FAILED (${r.signal ?? `exit ${r.status}`}) ${r.stderr.trim().split('\n').pop() ?? ''}`); continue; }
    const c = JSON.parse(r.stdout) as ChildResult;
    const p = run('peer', 60_000);
    c.peerCpuMs = p.status === 0 && p.stdout ? (JSON.parse(p.stdout) as { peerCpuMs: number }).peerCpuMs : Infinity; // Infinity: killed after 60 s
    if (Math.max(c.cpuMs, c.firstCpuMs) >= 1000 || c.rssMB >= 300) over++;
    console.log([x.name, c.bytes, `${c.firstCpuMs.toFixed(0)}, ${c.cpuMs.toFixed(0)}`, c.peerCpuMs.toFixed(0), `${(c.cpuMs / c.peerCpuMs).toFixed(2)}x`, c.rssMB.toFixed(0), c.findings, c.cutAt ?? '-'].join(' | '));
  }
  console.log(over ? `${over} input(s) at or over 1 s of CPU or 300 MB, or failed` : 'every input under 1 s of CPU and 300 MB');
}

const at = process.argv.indexOf('--child');
if (at >= 0) void child(process.argv[at + 1], process.argv[at + 2]);
else parent();
