#!/usr/bin/env node
/**
 * `nova-libvirt-cpu <command>`: the editor's diagnostics for CI pipelines and config repos.
 * `check` uses the same core as the language server (analyze), so the two can never disagree.
 * Commands are dispatched on the first argument (COMMANDS); each parses its own options.
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { analyze, noteDeployTool } from './analyze';
import { configSetRoot, readConfigSet, relatedFiles, relatedIn, type SetTexts, type Unreadable } from './novaconf/configSet';
import { listDir, readMember } from './novaconf/configSetFs';
import { launchFor, readLaunchSetting } from './novaconf/launchSetting';
import { detectLocalLaunch } from './hosts/launch';
import { findingMessage, findingOneLine, SOURCE, type Finding } from './core/findings';
import { readChecked, type CheckedRead } from './core/inputChecks';
import { describeFsError } from './core/readFile';
import { detectKind } from './core/documentKind';
import { normalizeSettings } from './core/settings';
import { getKnowledge } from './knowledge/knowledge';
import { parseSeverityOverrides, severityArg } from './core/ruleControl';
import { allCodes, codeInfo } from './codes';
import { HOST_COMMANDS, runHostCommand, terminalIo } from './cli/hostCommands';
import { runAdvise } from './cli/advise';
import { runHosts } from './cli/hosts';
import { runRolloutCommand, runRolloutStep } from './cli/rollout';
import { parseStrict, textOrJson, UsageError } from './cli/args';
import { knowledgeStatus } from './knowledgeStatus';

const CHECK_USAGE = `Usage: nova-libvirt-cpu check [options] FILE|DIR...

Checks nova.conf files and libvirt domain XML for guest CPU mistakes.
Directories are searched for *.conf and *.xml files (XML only when the root is <domain>).
A nova.conf is judged with the files nova-compute reads with it: nova.conf, nova-compute.conf,
nova.conf.d/*.conf and nova-compute.conf.d/*.conf of the same directory, in the order nova-compute
reads them for its launch (--launch; a later file's value wins).
Only regular files are read (FIFOs, devices and sockets are refused, naming them); a directory
entry that cannot be read is named and skipped, and the others are still checked.

Options:
  --format text|json       report format (default: text)
  --nova-release R         Nova release the config is for: name or number (zed, 26, 2024.1, caracal)
  --libvirt-version V      libvirt version whose rules apply (9.0, 12.8; default newest)
  --cpu-map PATH           extra cpu_map: a directory with index.xml or a legacy cpu_map.xml
  --no-host-cpu-map        ignore the host's /usr/share/libvirt cpu_map
  --launch auto|no-arguments|debian
                           how nova-compute is started, which orders the config set: auto (default)
                           uses this machine's launch for /etc/nova (running nova-compute, systemd
                           unit, init script) and no-arguments elsewhere; no-arguments (RDO, kolla)
                           reads nova.conf.d after the files; debian (Debian's/Ubuntu's init script,
                           --config-file for both files) reads it before them
  --launch-arg ARG         one of nova-compute's own arguments, repeatable, instead of --launch
                           (e.g. --launch-arg=--config-file=/etc/nova/nova.conf)
  --severity CODE=LEVEL    report CODE (or a prefix such as nova/advice-*) as error, warning,
                           information or hint, or not at all (off); repeatable
  -h, --help               this text
  --version                print the version

Suppress a finding in the file itself: '# nova-libvirt-cpu: disable=CODE' (nova.conf) or
'<!-- nova-libvirt-cpu: disable=CODE -->' (XML) for the whole file, disable-next-line=CODE for the
line below. 'nova-libvirt-cpu codes' lists the codes.

Exit status: 0 no errors, 1 errors found, 2 usage error or unreadable file.`;

const CODES_USAGE = `Usage: nova-libvirt-cpu codes [--format text|json] [PATTERN]

Lists the finding codes (all, or those matching PATTERN: a code or a prefix ending in *), with
their default severity, stage and summary. Each is explained in docs/rules/.`;

interface Command {
  usage: string;
  /** Returns the exit status; throws UsageError for bad arguments. */
  run(args: string[]): number;
}

interface FileReport { file: string; findings: Finding[] }

/** Where a command says what it could not read; it goes on with the rest. */
function cannotRead(path: string, reason: string): void {
  process.stderr.write(`nova-libvirt-cpu: cannot read ${path}: ${reason}\n`);
}

const SKIP_DIRS = new Set(['node_modules', '.git']);
const CHECKED_NAME = /\.(conf|xml)$/i;

/**
 * Files to check under a directory: *.conf and *.xml (links too; linked directories are not
 * followed, so a link cannot make the walk loop), sorted for stable output. A directory that
 * cannot be listed is named in `unreadable` and the walk goes on.
 */
function walk(dir: string, out: string[], unreadable: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    cannotRead(dir, describeFsError(e));
    unreadable.push(dir);
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) { if (!SKIP_DIRS.has(entry.name)) walk(p, out, unreadable); }
    // Not only regular files: a FIFO or device with a checked name is named as refused, not skipped.
    else if (CHECKED_NAME.test(entry.name)) out.push(p);
  }
}

/**
 * Config-set member texts, read once however many members are checked: with N members each
 * analysis reads the other N-1, so without this the CLI would read N² files.
 */
function memberReader(): (path: string) => string | Unreadable | undefined {
  const texts = new Map<string, string | Unreadable | undefined>();
  return (path) => {
    if (!texts.has(path)) texts.set(path, readMember(path));
    return texts.get(path);
  };
}

function runCheck(args: string[]): number {
  const { values, positionals } = parseStrict({
    args, allowPositionals: true, strict: true,
    options: {
      format: { type: 'string', default: 'text' }, 'nova-release': { type: 'string' }, 'libvirt-version': { type: 'string' },
      'cpu-map': { type: 'string' }, 'no-host-cpu-map': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      severity: { type: 'string', multiple: true }, launch: { type: 'string' }, 'launch-arg': { type: 'string', multiple: true },
    },
  });
  if (values.help) { process.stdout.write(CHECK_USAGE + '\n'); return 0; }
  textOrJson(values.format);
  if (positionals.length === 0) throw new UsageError('no FILE or DIR given');

  const severity: Record<string, string> = {};
  for (const arg of values.severity ?? []) {
    const s = severityArg(arg);
    if (!s) throw new UsageError(`--severity takes CODE=LEVEL, not '${arg}'`);
    severity[s.pattern] = s.level;
  }
  const problems = parseSeverityOverrides(severity).problems;
  if (problems.length) throw new UsageError(`--severity ${problems.join('; ')}`);
  if (values.launch !== undefined && values['launch-arg']) throw new UsageError('--launch and --launch-arg exclude each other');
  const launch = readLaunchSetting(values['launch-arg'] ?? values.launch);
  if (typeof launch === 'object' && 'error' in launch) throw new UsageError(`--launch must be auto, no-arguments or debian, not '${values.launch}'`);
  const settings = normalizeSettings({
    novaRelease: values['nova-release'], libvirtVersion: values['libvirt-version'],
    cpuMapPath: values['cpu-map'], useHostCpuMap: !values['no-host-cpu-map'], severity, novaConfLaunch: launch,
  });
  const launchOf = (root: string) => launchFor(settings.novaConfLaunch, root, () => detectLocalLaunch().launch);
  // Loaded once for every file checked.
  const knowledge = getKnowledge(settings);
  // Said once for the run, not on every file.
  for (const p of knowledgeStatus(knowledge, { release: '--nova-release', libvirt: '--libvirt-version' }).problems) process.stderr.write(`nova-libvirt-cpu: warning: ${p}\n`);

  const unreadable: string[] = [];
  const reports: FileReport[] = [];
  const readMemberOnce = memberReader();
  // Each config set is read once, and its members share it (and the set-wide work on it).
  const sets = new Map<string, SetTexts | undefined>();
  const relatedOf = (file: string) => {
    const root = configSetRoot(file);
    if (root === undefined) return undefined;
    if (!sets.has(root)) sets.set(root, readConfigSet(file, listDir, readMemberOnce, undefined, launchOf(root)));
    const set = sets.get(root);
    return (set && relatedIn(set, file)) ?? relatedFiles(file, listDir, readMemberOnce, launchOf(root));
  };
  for (const arg of positionals) {
    const files: string[] = [];
    let explicit = false;
    try {
      // stat does not open the file: a FIFO cannot block here; readChecked refuses it below.
      if (statSync(arg).isDirectory()) walk(arg, files, unreadable);
      else { files.push(arg); explicit = true; }
    } catch (e) {
      cannotRead(arg, describeFsError(e));
      unreadable.push(arg);
      continue;
    }
    for (const file of files) {
      // Members of a config set are read once, for themselves and for the other members.
      const member = configSetRoot(file) !== undefined ? readMemberOnce(file) : undefined;
      const read: CheckedRead = typeof member === 'string' ? { text: member } : readChecked(file);
      if ('refused' in read) { cannotRead(file, read.refused); unreadable.push(file); continue; }
      if ('finding' in read) { reports.push({ file, findings: [read.finding] }); continue; }
      const text = read.text;
      const kind = detectKind(file, text);
      if (!kind) {
        // In a directory walk, other XML is simply not ours; named explicitly, it is a usage mistake.
        if (explicit) {
          process.stderr.write(`nova-libvirt-cpu: ${file}: not a nova.conf or a libvirt domain XML (XML must have a <domain> root); not checked\n`);
          unreadable.push(file);
        }
        continue;
      }
      // nova-compute reads a nova.conf with the rest of its config set: judge it the same way.
      const related = kind === 'nova-conf' ? relatedOf(file) : undefined;
      const analysis = noteDeployTool(file, text, analyze(file, text, knowledge, undefined, kind, related), knowledge.settings)!;
      reports.push({ file, findings: analysis.findings });
    }
  }

  const byPosition = (a: Finding, b: Finding) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  for (const r of reports) r.findings.sort(byPosition);
  if (values.format === 'json') {
    const json = reports.map((r) => ({
      file: r.file,
      diagnostics: r.findings.map((f) => ({ range: f.range, severity: f.severity, code: f.code, source: SOURCE, message: findingMessage(f) })),
    }));
    process.stdout.write(JSON.stringify(json, null, 2) + '\n');
  } else {
    for (const r of reports) {
      for (const f of r.findings) {
        process.stdout.write(`${r.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity}: ${findingOneLine(f)} [${f.code}]\n`);
      }
    }
    const count = (s: string) => reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === s).length, 0);
    const skipped = unreadable.length ? `; ${unreadable.length} not read (named above)` : '';
    process.stderr.write(`${reports.length} file(s) checked: ${count('error')} error(s), ${count('warning')} warning(s), ${count('information') + count('hint')} note(s)${skipped}\n`);
  }
  if (unreadable.length) return 2;
  return reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

/** `codes`: the registry, as a table or JSON. */
function runCodes(args: string[]): number {
  const { values, positionals } = parseStrict({ args, allowPositionals: true, strict: true, options: { format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { process.stdout.write(CODES_USAGE + '\n'); return 0; }
  textOrJson(values.format);
  if (positionals.length > 1) throw new UsageError('at most one PATTERN');
  const pattern = positionals[0];
  const wanted = allCodes().filter((c) => !pattern || c === pattern || (pattern.endsWith('*') && c.startsWith(pattern.slice(0, -1))));
  if (pattern && wanted.length === 0) throw new UsageError(`no code matches '${pattern}'`);
  const rows = wanted.map((code) => ({ code, ...codeInfo(code)! }));
  if (values.format === 'json') {
    process.stdout.write(JSON.stringify(rows.map((r) => ({ code: r.code, severity: r.severity, stage: r.stage, summary: r.summary, upstream: r.upstream })), null, 2) + '\n');
  } else {
    const width = Math.max(...rows.map((r) => r.code.length));
    // One write: a reader that stops early (| head) then gets what it read, not a broken pipe mid-loop.
    process.stdout.write(rows.map((r) => `${r.code.padEnd(width)}  ${r.severity.padEnd(11)}  ${r.stage.padEnd(18)}  ${r.summary}\n`).join(''));
  }
  return 0;
}

/** Subcommands by name; add one here with its own module for the work. */
const COMMANDS: Record<string, Command> = {
  check: { usage: CHECK_USAGE, run: runCheck },
  codes: { usage: CODES_USAGE, run: runCodes },
};

function main(argv: string[]): number {
  const [name, ...rest] = argv;
  if (name === '--version') { process.stdout.write(`nova-libvirt-cpu ${require('../../package.json').version}\n`); return 0; }
  if (name === undefined || name === '-h' || name === '--help') { process.stdout.write(CHECK_USAGE + '\n'); return name ? 0 : 2; }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command '${name}'`);
  try {
    return command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) e.message = `${e.message}\n\n${command.usage}`;
    throw e;
  }
}

const args = process.argv.slice(2);
// set-cpu-mode / rollback: the host commands (cli/hostCommands.ts), asynchronous.
if (HOST_COMMANDS.includes(args[0])) runHostCommand(args).then((code) => { process.exitCode = code; });
// rollout: a change to a group of hosts (cli/rollout.ts); rollout-step: the helper its Ansible playbook runs.
else if (args[0] === 'rollout' || args[0] === 'rollout-step') {
  (args[0] === 'rollout' ? runRolloutCommand : runRolloutStep)(args.slice(1), terminalIo()).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`nova-libvirt-cpu: internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 3;
  });
}
// advise: the migration advisor (cli/advise.ts), asynchronous when it collects from an inventory.
// hosts: the inventory sources (cli/hosts.ts), asynchronous (ansible-inventory).
else if (args[0] === 'advise' || args[0] === 'hosts') {
  (args[0] === 'advise' ? runAdvise : runHosts)(args.slice(1), terminalIo()).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`nova-libvirt-cpu: internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 3;
  });
} else try {
  process.exitCode = main(args);
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`nova-libvirt-cpu: ${e.message}\n`);
    if (!e.message.includes('Usage:')) process.stderr.write(`\n${CHECK_USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`nova-libvirt-cpu: internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 3;
  }
}
