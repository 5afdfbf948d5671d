/**
 * Reading nova-compute's own log after a restart: did start-up fail, get past init_host, or not
 * say yet? Pure text in, verdict out; the markers are what Debian's nova-compute 26.2.2 wrote on a
 * real node (test/fixtures/novalog/ holds those logs). Works on the log file (oslo.log's format)
 * and on journalctl lines, where the same oslo line follows journald's own prefix.
 */
import type { Finding } from '../core/findings';
import { novaMessages } from '../novaconf/messages';

/** Nova's words, verbatim, for a start-up that failed. */
export interface NovaFailure {
  /** e.g. `nova.exception.Invalid` or `oslo_config.cfg.ConfigFileValueError`. */
  exception: string;
  /** The exception's message, e.g. `The cpu_models option is not required when cpu_mode!=custom`. */
  message: string;
  /** The ERROR/CRITICAL line and, when the traceback ends with it, the exception line, as logged. */
  lines: string[];
}

export type LogVerdict =
  | { state: 'failed'; failure: NovaFailure }
  /** `line`: the log line that shows start-up got past init_host. */
  | { state: 'started'; line: string }
  /** `starting`: "Starting compute node" was seen (the service got as far as init_host). */
  | { state: 'pending'; starting: boolean };

/** `2026-12-01 13:54:37.604 25227 ERROR oslo_service.service [-] text`, possibly after a journald prefix. */
const OSLO_LINE = /(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?) (\d+) (CRITICAL|ERROR|WARNING|INFO|DEBUG|TRACE) (\S+) (.*)$/;
/** oslo.log's context prefix: `[-] ` or `[None req-… - - - - - -] `. */
const CONTEXT = /^\[[^\]]*\] /;

/**
 * Lines logged once driver.init_host (where the CPU checks run) has returned: the end of
 * ComputeManager.init_host, and the first resource update that pre_start_hook runs.
 */
const PAST_INIT_HOST = [
  'Looking for unclaimed instances stuck in BUILDING status',
  'not found in the database',
  'Compute node record created',
  'Final resource view',
  'Error updating resources for node',
];
const STARTING = 'Starting compute node';
const THREAD_FAILED = 'Error starting thread.: ';

interface LogLine { raw: string; pid: string; level: string; logger: string; text: string }

function parse(raw: string): LogLine | undefined {
  const m = OSLO_LINE.exec(raw);
  return m ? { raw, pid: m[2], level: m[3], logger: m[4], text: m[5] } : undefined;
}

/** `module.Class: message` at the start of a traceback's last line or of a failure message. */
const EXCEPTION = /^([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*): ([\s\S]*)$/;

/** The traceback's closing `exception: message` line of the same process, after index `from`. */
function exceptionLine(lines: LogLine[], from: number, first: LogLine, exception: string): LogLine | undefined {
  let found: LogLine | undefined;
  for (let i = from + 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.pid !== first.pid || l.logger !== first.logger) break;
    if (l.text.startsWith(`${exception}: `)) found = l;
  }
  return found;
}

function failureAt(lines: LogLine[], i: number): NovaFailure | undefined {
  const l = lines[i];
  const text = l.text.replace(CONTEXT, '');
  let summary: string | undefined;
  if (l.level === 'ERROR' && text.startsWith(THREAD_FAILED)) summary = text.slice(THREAD_FAILED.length);
  else if (l.level === 'CRITICAL') summary = text.replace(/^Unhandled error: /, '');
  if (summary === undefined) return undefined;
  const m = EXCEPTION.exec(summary);
  const exception = m ? m[1] : '';
  const message = m ? m[2] : summary;
  const closing = exception ? exceptionLine(lines, i, l, exception) : undefined;
  return { exception, message, lines: closing ? [l.raw, closing.raw] : [l.raw] };
}

/** The verdict of the log text written since the restart. The first decisive line wins. */
export function judgeStartupLog(text: string): LogVerdict {
  const lines = text.split('\n').map(parse).filter((l): l is LogLine => l !== undefined);
  let starting = false;
  for (let i = 0; i < lines.length; i++) {
    const failure = failureAt(lines, i);
    if (failure) return { state: 'failed', failure };
    const t = lines[i].text;
    if (t.includes(STARTING)) starting = true;
    // Only a process that announced its start counts: the old process's last lines come first in the text.
    else if (starting && PAST_INIT_HOST.some((m) => t.includes(m))) return { state: 'started', line: lines[i].raw };
  }
  return { state: 'pending', starting };
}

// --- which of our codes covers Nova's message -----------------------------------------------------

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Escapes a message built with a placeholder into a pattern where the placeholder matches any text. */
function template(build: (arg: string) => string): RegExp {
  const hole = '\u0000';
  const parts = build(hole).split(hole).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join('(.+?)'));
}

/**
 * Host-dependent start-up messages our diagnostics of the file alone may not raise (the host's
 * libvirt may lack a model our map has): Nova's template, by release, and our code for it.
 */
function templates(major: number): Array<{ code: string; pattern: RegExp }> {
  return [
    { code: 'nova/unknown-cpu-model', pattern: template((m) => novaMessages.unknownModel(m, major)) },
    { code: 'nova/unknown-cpu-flag', pattern: template((f) => novaMessages.flagIncorrect(f)) },
    { code: 'nova/cpu-models-without-custom', pattern: template(() => novaMessages.modelsWithoutCustom(major)) },
    { code: 'nova/custom-without-models', pattern: template(() => novaMessages.customWithoutModels(major)) },
    { code: 'nova/cpu-mode-needs-kvm-qemu', pattern: template((v) => novaMessages.explicitModelUnsupported(v)) },
  ];
}

export interface CodeMatch { code: string; finding?: Finding }

/**
 * Our code for Nova's failure message: first a finding of the config Nova read whose upstream text
 * Nova's message contains (it carries our explanation and fixes), else a known Nova template.
 */
export function matchCode(failure: NovaFailure, findings: readonly Finding[], major: number): CodeMatch | undefined {
  const said = norm(failure.message);
  const finding = findings.find((f) => f.upstream && said.includes(norm(f.upstream)));
  if (finding) return { code: finding.code, finding };
  const t = templates(major).find((x) => x.pattern.test(said));
  return t ? { code: t.code } : undefined;
}
