#!/usr/bin/env node
/**
 * `nova-libvirt-cpu check`: the editor's diagnostics for CI pipelines and config repos.
 * Same core as the language server (analyze), so the two can never disagree.
 */
import { parseArgs } from 'node:util';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from './analyze';
import { relatedFiles } from './novaconf/configSet';
import { listDir, readMember } from './novaconf/configSetFs';
import { findingMessage, findingOneLine, SOURCE, type Finding } from './core/findings';
import { MAX_CHECKED_BYTES, tooLarge } from './core/inputChecks';
import { detectKind } from './core/documentKind';
import { normalizeSettings } from './core/settings';
import { getKnowledge } from './knowledge/knowledge';

const USAGE = `Usage: nova-libvirt-cpu check [options] FILE|DIR...

Checks nova.conf files and libvirt domain XML for guest CPU mistakes.
Directories are searched for *.conf and *.xml files (XML only when the root is <domain>).
A nova.conf is judged with the files nova-compute reads with it: nova.conf, nova-compute.conf,
then nova.conf.d/*.conf in the same directory (a later file's value wins).

Options:
  --format text|json       report format (default: text)
  --nova-release R         Nova release the config is for: name or number (zed, 26, 2024.1, caracal)
  --libvirt-version V      libvirt version whose rules apply (9.0, 12.8; default newest)
  --cpu-map PATH           extra cpu_map: a directory with index.xml or a legacy cpu_map.xml
  --no-host-cpu-map        ignore the host's /usr/share/libvirt cpu_map
  -h, --help               this text
  --version                print the version

Exit status: 0 no errors, 1 errors found, 2 usage error or unreadable file.`;

class UsageError extends Error {}

interface FileReport { file: string; findings: Finding[] }

const SKIP_DIRS = new Set(['node_modules', '.git']);

/** Files to check under a directory: *.conf and *.xml, sorted for stable output. */
function walk(dir: string, out: string[]) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) { if (!SKIP_DIRS.has(entry.name)) walk(p, out); }
    else if (entry.isFile() && /\.(conf|xml)$/i.test(entry.name)) out.push(p);
  }
}

function readText(file: string): { text?: string; finding?: Finding } {
  const size = statSync(file).size;
  if (size > MAX_CHECKED_BYTES) return { finding: tooLarge(size) };
  // Non-fatal decoding: invalid bytes become U+FFFD, which the input checks report by position.
  return { text: new TextDecoder('utf-8').decode(readFileSync(file)) };
}

/** Sibling texts of a config set, read once even when several members are checked. */
function siblingReader(): (path: string) => string | undefined {
  const texts = new Map<string, string | undefined>();
  return (path) => {
    if (!texts.has(path)) texts.set(path, readMember(path));
    return texts.get(path);
  };
}

function main(argv: string[]): number {
  if (argv[0] === '--version') { process.stdout.write(`nova-libvirt-cpu ${require('../../package.json').version}\n`); return 0; }
  if (argv.length === 0 || argv[0] === '-h' || argv[0] === '--help') { process.stdout.write(USAGE + '\n'); return argv.length ? 0 : 2; }
  if (argv[0] !== 'check') throw new UsageError(`unknown command '${argv[0]}'`);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(1), allowPositionals: true, strict: true,
      options: {
        format: { type: 'string', default: 'text' }, 'nova-release': { type: 'string' }, 'libvirt-version': { type: 'string' },
        'cpu-map': { type: 'string' }, 'no-host-cpu-map': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) { throw new UsageError((e as Error).message); }
  const { values, positionals } = parsed;
  if (values.help) { process.stdout.write(USAGE + '\n'); return 0; }
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json, not '${values.format}'`);
  if (positionals.length === 0) throw new UsageError('no FILE or DIR given');

  const settings = normalizeSettings({
    novaRelease: values['nova-release'], libvirtVersion: values['libvirt-version'],
    cpuMapPath: values['cpu-map'], useHostCpuMap: !values['no-host-cpu-map'],
  });
  const knowledge = getKnowledge(settings);
  for (const p of knowledge.catalog.problems) process.stderr.write(`nova-libvirt-cpu: warning: cpu_map ${p.file}: ${p.message} (using the maps that did load)\n`);

  let unreadable = false;
  const reports: FileReport[] = [];
  const readSibling = siblingReader();
  for (const arg of positionals) {
    let files: string[];
    try {
      const st = statSync(arg);
      if (st.isDirectory()) { files = []; walk(arg, files); } else files = [arg];
    } catch (e) {
      process.stderr.write(`nova-libvirt-cpu: cannot read ${arg}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}\n`);
      unreadable = true;
      continue;
    }
    const explicit = files.length === 1 && files[0] === arg;
    for (const file of files) {
      let read;
      try { read = readText(file); } catch (e) {
        process.stderr.write(`nova-libvirt-cpu: cannot read ${file}: ${(e as Error).message}\n`);
        unreadable = true;
        continue;
      }
      if (read.finding) { reports.push({ file, findings: [read.finding] }); continue; }
      const text = read.text!;
      const kind = detectKind(file, text);
      if (!kind) {
        // In a directory walk, other XML is simply not ours; named explicitly, it is a usage mistake.
        if (explicit) {
          process.stderr.write(`nova-libvirt-cpu: ${file}: not a nova.conf or a libvirt domain XML (XML must have a <domain> root); not checked\n`);
          unreadable = true;
        }
        continue;
      }
      // nova-compute reads a nova.conf with the rest of its config set: judge it the same way.
      const related = kind === 'nova-conf' ? relatedFiles(file, listDir, readSibling) : undefined;
      const analysis = analyze(file, text, knowledge, undefined, kind, related)!;
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
    process.stderr.write(`${reports.length} file(s) checked: ${count('error')} error(s), ${count('warning')} warning(s), ${count('information') + count('hint')} note(s)\n`);
  }
  if (unreadable) return 2;
  return reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`nova-libvirt-cpu: ${e.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`nova-libvirt-cpu: internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 3;
  }
}
