#!/usr/bin/env node
/**
 * LSP wiring only: documents in, analyses cached by content, features answered from the cached
 * analysis. All knowledge of nova.conf and domain XML lives behind `analyze`.
 * Runs inside VS Code (ipc) and standalone for any client: `nova-libvirt-cpu-ls --stdio`.
 *
 * Bounded work: edits are debounced per document (a burst of keystrokes costs one analysis), an
 * analysis has a time budget (settings.analysisTimeLimitMs), and config-set members are parsed
 * once per content (novaconf/configSetMembers.ts).
 */
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, CodeActionKind, ErrorCodes, ResponseError,
  StreamMessageReader, StreamMessageWriter,
  DiagnosticSeverity, DiagnosticTag, ShowMessageNotification, MessageType, type Connection, type Diagnostic, type CodeAction, type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from './core/uri';
import { readChecked } from './core/inputChecks';
import { analyze, noteDeployTool, type Analysis } from './analyze';
import { detectKind } from './core/documentKind';
import { deployToolHover, GENERATED_FILE_CODE } from './deploytools/finding';
import type { Hover, Position } from 'vscode-languageserver';
import { Deadline } from './core/deadline';
import { findingMessage, SOURCE, type Finding, type Range } from './core/findings';
import { codeHref } from './codes/links';
import { parseSeverityOverrides, suppressionFixes } from './core/ruleControl';
import type { RelatedFiles } from './core/languageService';
import { normalizeSettings, sameSettings, type Settings } from './core/settings';
import { getKnowledge, type Knowledge } from './knowledge/knowledge';
import { knowledgeStatus } from './knowledgeStatus';
import { CHECK_FILES_REQUEST, HOST_PROFILE_NOTIFICATION, STATUS_NOTIFICATION, type CheckFilesResult } from './protocol';
import { configSetRoot } from './novaconf/configSet';
import { OpenConfigSets } from './novaconf/openSets';
import { asHostProfile, type HostProfile } from './hosts/hostProfile';
import { mayChange, memberView, setChange, type MemberView } from './novaconf/setChange';
import { fixAllsOf, fixEverything } from './core/fixAll';
import { SymbolRegistration } from './symbolRegistration';

if (process.argv.includes('--version')) {
  process.stdout.write(`nova-libvirt-cpu-ls ${require('../../package.json').version}\n`);
  process.exit(0);
}

/** Quiet time after the last change of a document before it is analysed. */
const DEBOUNCE_MS = 200;
/** A document changing without pause is still analysed this often. */
const MAX_DELAY_MS = 1000;

type Lifecycle = 'new' | 'running' | 'shut-down';
let lifecycle: Lifecycle = 'new';

/**
 * Over stdio we read the stream ourselves to act on framing errors: after a bad header the
 * position in the stream is lost and vscode-jsonrpc would wait forever, answering nothing. We exit
 * instead (status 1), which clients detect and answer with a restart. A body that is not JSON
 * leaves the framing intact, so that one is only logged.
 */
function openConnection(): Connection {
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all);
  const reader = new StreamMessageReader(process.stdin);
  reader.onError((e) => {
    if (e instanceof SyntaxError) { process.stderr.write(`nova-libvirt-cpu-ls: ignoring a message that is not JSON: ${e.message}\n`); return; }
    process.stderr.write(`nova-libvirt-cpu-ls: cannot read the LSP stream, exiting: ${e.message}\n`);
    // Read nothing more; the messages read before the bad frame still get their answers.
    process.stdin.pause();
    setTimeout(() => process.exit(1), 100);
  });
  // The library's own stdio mode does this: the client went away.
  reader.onClose(() => process.exit(lifecycle === 'shut-down' ? 0 : 1));
  const c = createConnection(ProposedFeatures.all, reader, new StreamMessageWriter(process.stdout));
  // stdout carries the protocol: stray console output goes to the client's log instead.
  console.log = console.info = (...a: unknown[]) => c.console.log(a.join(' '));
  console.warn = (...a: unknown[]) => c.console.warn(a.join(' '));
  console.error = (...a: unknown[]) => c.console.error(a.join(' '));
  return c;
}

const connection = openConnection();
const documents = new TextDocuments(TextDocument);
let settings: Settings = normalizeSettings({});
let canPullConfig = false;
let symbolRegistration = new SymbolRegistration(connection, false);
const reportedProblems = new Set<string>();

/** The compute node's profile, sent by the client (`novaLibvirtCpu/hostProfile`); host-aware rules need it. */
let hostProfile: HostProfile | undefined;

function knowledge(): Knowledge {
  const k: Knowledge = { ...getKnowledge(settings), host: hostProfile };
  if (statusOf?.settings !== k.settings || statusOf.catalog !== k.catalog) sendStatus(k);
  return k;
}

/** The knowledge the last status was sent for: a new one goes out when the settings or the maps change. */
let statusOf: { settings: Settings; catalog: Knowledge['catalog'] } | undefined;

/**
 * Tells the client what the checks judge with (its language status item and output channel show
 * it), and says each setting or map problem once: never as a finding on every file.
 */
function sendStatus(k: Knowledge) {
  statusOf = { settings: k.settings, catalog: k.catalog };
  const status = knowledgeStatus(k);
  void connection.sendNotification(STATUS_NOTIFICATION, status);
  for (const p of status.problems) {
    if (reportedProblems.has(p)) continue;
    reportedProblems.add(p);
    connection.console.warn(p);
    // A notification, not showWarningMessage's request: a client that does not answer that
    // request (neovim without a handler, a test client) would leave a rejected promise behind.
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `nova-libvirt-cpu: ${p}` });
  }
}

/** Paths of open documents by URI: fileURLToPath is costly, and each edit of a set member asks for every member's. */
const pathByUri = new Map<string, string>();
const pathOf = (uri: string) => pathByUri.get(uri) ?? URI.toPath(uri);
/** The config-set root of each open document (configSetRoot; undefined: read alone), for the same reason. */
const rootByUri = new Map<string, string | undefined>();
const rootOf = (uri: string) => (rootByUri.has(uri) ? rootByUri.get(uri) : configSetRoot(pathOf(uri)));

/** The config sets of the open documents: the other files of a document's set, open ones from the editor. */
const openSets = new OpenConfigSets((uri) => documents.get(uri)?.getText());

function trackOpen(uri: string, open: boolean) {
  const path = URI.toPath(uri);
  if (open) {
    pathByUri.set(uri, path);
    rootByUri.set(uri, configSetRoot(path));
    openSets.opened(uri, path);
  } else {
    pathByUri.delete(uri);
    rootByUri.delete(uri);
    openSets.closed(path);
  }
}

/**
 * An analysis is reused only for the same inputs: the same text, the same config-set member
 * texts, the same settings and knowledge. Not the version: a second didOpen may bring new text
 * under the same version, and versions may go backwards.
 */
interface Cached { text: string; related: RelatedFiles | undefined; knowledge: Knowledge; analysis: Analysis | undefined }
const cache = new Map<string, Cached>();

function sameRelated(a: RelatedFiles | undefined, b: RelatedFiles | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  // Shared set reads (openSets.ts): a read with the same texts keeps its files array, so another array means other texts.
  if (a.set && b.set) return a.set.files === b.set.files && a.set.self === b.set.self;
  const same = (x: RelatedFiles['before'], y: RelatedFiles['before']) => x.length === y.length && x.every((f, i) => f.label === y[i].label && f.text === y[i].text);
  const reasons = (r: RelatedFiles) => (r.unreadable ?? []).map((u) => `${u.label}\0${u.reason}`).join('\0');
  return same(a.before, b.before) && same(a.after, b.after) && reasons(a) === reasons(b);
}

/** The one place documents get analysed; every feature goes through here. */
function analysisOf(doc: TextDocument): Analysis | undefined {
  const k = knowledge();
  const path = pathOf(doc.uri);
  const text = doc.getText();
  const related = openSets.related(path);
  const hit = cache.get(doc.uri);
  if (hit && hit.text === text && hit.knowledge.catalog === k.catalog && hit.knowledge.settings === k.settings && sameRelated(hit.related, related) && hit.knowledge.host === k.host) return hit.analysis;
  // The last analysis goes along when it is of this text: after an edit of another set member,
  // the rules it cannot reach are not run again. Of another text it serves nothing (analyze
  // reuses only what the same text made), and it weighs as much as the file: let it and its
  // text go before the new one is built, not after.
  const previous = hit?.text === text ? hit.analysis : undefined;
  if (hit && !previous) cache.delete(doc.uri);
  let analysis: Analysis | undefined;
  try {
    analysis = noteDeployTool(path, text, analyze(path, text, k, doc.languageId, undefined, related, new Deadline(settings.analysisTimeLimitMs), previous), k.settings);
  } catch (e) {
    // A bug of ours must not take the editor's server down; say so where the user looks.
    connection.console.error(`analysis of ${doc.uri} failed: ${(e as Error).stack ?? e}`);
    analysis = undefined;
  }
  cache.set(doc.uri, { text, related, knowledge: k, analysis });
  symbolRegistration.track(doc.uri, analysis?.kind === 'domain-xml');
  return analysis;
}

/** Kinds of our fix-all source actions: one per code, and all of them together (for on-save). */
const FIX_ALL_KIND = 'source.novaLibvirtCpu.fixAll';
const FIX_EVERYTHING_KIND = `${CodeActionKind.SourceFixAll}.novaLibvirtCpu`;

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint } as const;
const TAG = { unnecessary: DiagnosticTag.Unnecessary, deprecated: DiagnosticTag.Deprecated } as const;

function toDiagnostic(f: Finding): Diagnostic {
  const href = codeHref(f.code);
  return {
    range: f.range, severity: SEVERITY[f.severity], code: f.code, codeDescription: href ? { href } : undefined, source: SOURCE,
    message: findingMessage(f), tags: f.tags?.map((t) => TAG[t]), data: f.stage ? { stage: f.stage } : undefined,
  };
}

const samePosition = (a: Diagnostic['range']['start'], b: Diagnostic['range']['start']) => a.line === b.line && a.character === b.character;
const stageOf = (d: Diagnostic) => (d.data as { stage?: string } | undefined)?.stage;

/** Whether two lists made by toDiagnostic say the same (codeDescription follows from the code; node's isDeepStrictEqual costs as much as the rules). */
function sameDiagnostics(a: Diagnostic[], b: Diagnostic[]): boolean {
  return a.length === b.length && a.every((x, i) => {
    const y = b[i];
    return x.code === y.code && x.severity === y.severity && x.message === y.message && samePosition(x.range.start, y.range.start) &&
      samePosition(x.range.end, y.range.end) && String(x.tags) === String(y.tags) && stageOf(x) === stageOf(y);
  });
}

/**
 * What was last published per open document: a client needs a publish after each didOpen and
 * for each new version, but one for the same version with the same diagnostics (a settings
 * notification that changes nothing, a set member re-checked to the same verdict) is noise.
 */
const published = new Map<string, { version: number; findings: Finding[] | undefined; diagnostics: Diagnostic[] }>();

/** Analyses the document as it is now and publishes the findings with the version they are for, when they changed. */
function validate(uri: string) {
  const doc = documents.get(uri);
  if (!doc || lifecycle !== 'running') return;
  const findings = settings.diagnosticsEnabled ? analysisOf(doc)?.findings : undefined;
  // Without diagnostics nothing is analysed until a request comes: the outline still needs to know.
  if (!settings.diagnosticsEnabled) symbolRegistration.track(uri, detectKind(pathOf(uri), doc.getText(), doc.languageId) === 'domain-xml');
  const last = published.get(uri);
  // The same analysis (a cache hit) for the same version: nothing to serialise.
  if (last && last.version === doc.version && findings && last.findings === findings) return;
  const diagnostics = findings ? findings.map(toDiagnostic) : [];
  if (last && last.version === doc.version && sameDiagnostics(last.diagnostics, diagnostics)) { last.findings = findings; return; }
  published.set(uri, { version: doc.version, findings, diagnostics });
  void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
}

const timers = new Map<string, { timer: NodeJS.Timeout; since: number }>();

/**
 * Debounce per document: each call restarts the wait, so a burst of edits ends in one analysis
 * `delay` ms after the last one; a document that never pauses is analysed every MAX_DELAY_MS.
 */
function scheduleValidation(uri: string, delay = DEBOUNCE_MS) {
  if (lifecycle !== 'running') return;
  const now = Date.now();
  const prev = timers.get(uri);
  if (prev) clearTimeout(prev.timer);
  const since = prev?.since ?? now;
  const wait = Math.max(0, Math.min(delay, since + MAX_DELAY_MS - now));
  timers.set(uri, { since, timer: setTimeout(() => { timers.delete(uri); validate(uri); }, wait) });
}

function cancelValidation(uri: string) {
  const prev = timers.get(uri);
  if (prev) clearTimeout(prev.timer);
  timers.delete(uri);
}

/** Requests are answered only between initialize and shutdown, as LSP requires. */
function notServing(): ResponseError<void> | undefined {
  if (lifecycle === 'new') return new ResponseError(ErrorCodes.ServerNotInitialized, 'the server is not initialized: send initialize first');
  if (lifecycle === 'shut-down') return new ResponseError(ErrorCodes.InvalidRequest, 'the server is shut down: only exit is accepted');
  return undefined;
}

connection.onInitialize((params: InitializeParams) => {
  if (lifecycle !== 'new') return new ResponseError(ErrorCodes.InvalidRequest, 'initialize was already received');
  lifecycle = 'running';
  canPullConfig = !!params.capabilities.workspace?.configuration;
  symbolRegistration = new SymbolRegistration(connection, !!params.capabilities.textDocument?.documentSymbol?.dynamicRegistration);
  const init = params.initializationOptions as { settings?: unknown } | undefined;
  useSettings(init?.settings);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['[', '=', ' ', ',', '+', '-', '<', '"', "'"] },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, FIX_EVERYTHING_KIND] },
      // Registered per document when the client allows it (symbolRegistration.ts).
      documentSymbolProvider: !symbolRegistration.dynamic,
      foldingRangeProvider: true,
    },
    serverInfo: { name: 'nova-libvirt-cpu-ls', version: require('../../package.json').version },
  };
});

connection.onShutdown(() => {
  const refused = notServing();
  if (refused) return refused;
  lifecycle = 'shut-down';
  for (const uri of [...timers.keys()]) cancelValidation(uri);
  return undefined;
});

// Methods we do not serve: before initialize and after shutdown the lifecycle error, else the usual one.
connection.onRequest((method) => notServing() ?? new ResponseError(ErrorCodes.MethodNotFound, `unhandled method ${method}`));

/**
 * New settings, when they differ: the same settings keep their object, so the cached analyses
 * (keyed by it) stay valid. Clients send them at start-up (the configuration pulled after
 * initialized, a didChangeConfiguration) mostly equal to initializationOptions'. The severity
 * setting's bad entries are skipped, and named once in the log.
 */
function useSettings(raw: unknown): boolean {
  const next = normalizeSettings(raw);
  if (sameSettings(next, settings)) return false;
  settings = next;
  openSets.useLaunch(next.novaConfLaunch);
  for (const p of parseSeverityOverrides(next.severity).problems) connection.console.warn(`novaLibvirtCpu.diagnostics.severity: ${p}; ignored`);
  return true;
}

async function pullSettings(): Promise<boolean> {
  const [cfg] = await connection.workspace.getConfiguration([{ section: 'novaLibvirtCpu' }]);
  return useSettings(cfg);
}

connection.onInitialized(async () => {
  symbolRegistration.start();
  const changed = canPullConfig && (await pullSettings().catch(() => false));
  knowledge();
  if (changed) for (const doc of documents.all()) scheduleValidation(doc.uri, 0);
});

connection.onDidChangeConfiguration(async (change) => {
  const changed = canPullConfig
    ? await pullSettings().catch(() => false)
    : useSettings((change.settings as Record<string, unknown> | undefined)?.novaLibvirtCpu);
  knowledge();
  if (changed) for (const doc of documents.all()) scheduleValidation(doc.uri);
});

/**
 * A member of a nova.conf config set changed (opened, edited, closed): the verdicts of the
 * other open members may depend on it, so they are analysed again, debounced like edits. After
 * an edit, only those whose last analysis read what the edit changed (novaconf/setChange.ts).
 */
const views = new Map<string, MemberView>();

function revalidateSetOf(uri: string) {
  const path = pathOf(uri);
  const root = rootOf(uri);
  if (root === undefined) return;
  const doc = documents.get(uri);
  const view = doc && memberView(doc.getText());
  const before = views.get(uri);
  if (view) views.set(uri, view); else views.delete(uri);
  // Opened or closed: its text may be another than the one the others read from disk.
  const change = before && view ? setChange(before, view, openSets.related(path)?.set) : undefined;
  if (change?.slots.size === 0) return;
  for (const other of documents.all()) {
    if (other.uri === uri || rootOf(other.uri) !== root) continue;
    if (!change || mayChange(cache.get(other.uri)?.analysis, change)) scheduleValidation(other.uri);
  }
}

// A newly opened document is analysed at once; edits wait for a pause.
const justOpened = new Set<string>();
documents.onDidOpen((e) => {
  trackOpen(e.document.uri, true);
  justOpened.add(e.document.uri);
  published.delete(e.document.uri);
});
// Fires on open too, right after onDidOpen.
documents.onDidChangeContent((e) => {
  openSets.changed(pathOf(e.document.uri));
  scheduleValidation(e.document.uri, justOpened.delete(e.document.uri) ? 0 : DEBOUNCE_MS);
  revalidateSetOf(e.document.uri);
});
documents.onDidClose((e) => {
  trackOpen(e.document.uri, false);
  cancelValidation(e.document.uri);
  cache.delete(e.document.uri);
  symbolRegistration.track(e.document.uri, false);
  published.delete(e.document.uri);
  if (lifecycle === 'running') {
    const saved = checkedFromDisk.has(e.document.uri) && settings.diagnosticsEnabled ? diskFindings(e.document.uri) : undefined;
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: Array.isArray(saved) ? saved.map(toDiagnostic) : [] });
  }
  // Its members now read the file from disk, without the unsaved edits.
  revalidateSetOf(e.document.uri);
});

/** Runs a feature against the document's current analysis (made on demand if none is current). */
function withModel<T>(uri: string, fallback: T, run: (a: Analysis, k: Knowledge) => T): T | ResponseError<void> {
  const refused = notServing();
  if (refused) return refused;
  const doc = documents.get(uri);
  const analysis = doc && analysisOf(doc);
  if (!analysis || analysis.model === undefined) return fallback;
  try {
    return run(analysis, knowledge());
  } catch (e) {
    connection.console.error(`request on ${uri} failed: ${(e as Error).stack ?? e}`);
    return fallback;
  }
}

/** On a CPU option of a generated nova.conf, the hover also says where the deployment tool takes it. */
function withDeployTool(a: Analysis, position: Position, hover: Hover | null): Hover | null {
  if (!a.deployTool) return hover;
  const start = a.lines.lineStarts[position.line];
  if (start === undefined) return hover;
  const note = deployToolHover(a.deployTool, a.lines.text.slice(start, a.lines.lineEnd(position.line)));
  if (!note) return hover;
  const before = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? `${hover.contents.value}\n\n---\n\n` : '';
  return { contents: { kind: 'markdown', value: before + note }, ...(hover?.range ? { range: hover.range } : {}) };
}

connection.onCompletion((p) => withModel(p.textDocument.uri, [], (a, k) => a.service.complete?.(a.model, p.position, k) ?? []));
connection.onHover((p) => withModel(p.textDocument.uri, null, (a, k) => withDeployTool(a, p.position, a.service.hover?.(a.model, p.position, k) ?? null)));
// Null, not [], for documents that are not ours: an empty list would hide the editor's own indentation folding.
connection.onDocumentSymbol((p) => withModel(p.textDocument.uri, null, (a) => a.service.symbols?.(a.model) ?? null));
connection.onFoldingRanges((p) => withModel(p.textDocument.uri, null, (a) => a.service.folding?.(a.model) ?? null));

const overlaps = (a: Range, b: Range) =>
  !(a.end.line < b.start.line || (a.end.line === b.start.line && a.end.character < b.start.character) ||
    b.end.line < a.start.line || (b.end.line === a.start.line && b.end.character < a.start.character));

const wanted = (only: string[] | undefined, kind: string) => !!only?.some((o) => kind === o || kind.startsWith(`${o}.`));

/**
 * Quick fixes are keyed by finding code: each finding carries the fixes its rule knows; every
 * finding can also be silenced by a suppression comment (core/ruleControl.ts), offered last.
 */
connection.onCodeAction((p) => withModel(p.textDocument.uri, [] as CodeAction[], (a) => {
  const actions: CodeAction[] = [];
  const uri = p.textDocument.uri;
  const fixAlls = fixAllsOf(a.findings);
  // Source actions only when asked for (the Source Action menu, on save); quick fixes always.
  for (const fa of fixAlls) {
    const here = fa.findings.filter((f) => overlaps(f.range, p.range));
    const edit = { changes: { [uri]: fa.edits } };
    if (here.length) actions.push({ title: fa.title, kind: CodeActionKind.QuickFix, diagnostics: here.map(toDiagnostic), edit });
    if (wanted(p.context.only, FIX_ALL_KIND)) actions.push({ title: fa.title, kind: FIX_ALL_KIND, edit });
  }
  if (fixAlls.length && wanted(p.context.only, FIX_EVERYTHING_KIND)) {
    actions.push({ title: 'Fix all safely fixable nova-libvirt-cpu problems', kind: FIX_EVERYTHING_KIND, edit: { changes: { [uri]: fixEverything(fixAlls) } } });
  }
  for (const f of a.findings) {
    if (f.code === GENERATED_FILE_CODE && a.deployTool && overlaps(f.range, p.range)) {
      // A generated file is changed in the tool: the set-cpu-mode preview names its setting and rollout command.
      const title = `Change the CPU mode for ${a.deployTool.label} (preview shows its setting and command)…`;
      actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [toDiagnostic(f)], command: { title, command: 'novaLibvirtCpu.setNovaCpuMode' } });
    }
    if (!overlaps(f.range, p.range)) continue;
    const diagnostic = toDiagnostic(f);
    for (const fix of [...(f.fixes ?? []), ...suppressionFixes(f, a.lines, a.kind)]) {
      actions.push({
        title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred,
        edit: { changes: { [p.textDocument.uri]: fix.edits } },
      });
    }
  }
  return actions;
}));

/** Files that Check workspace published from disk: closing one shows its saved text's findings again, not nothing. */
const checkedFromDisk = new Set<string>();

/** Findings of a file as saved on disk (Check workspace); undefined when it is not ours or cannot be read. */
function diskFindings(uri: string): Finding[] | { refused: string } | undefined {
  const path = URI.toPath(uri);
  const read = readChecked(path);
  if ('refused' in read) return read;
  if ('finding' in read) return [read.finding];
  return analyze(path, read.text, knowledge(), undefined, undefined, openSets.related(path), new Deadline(settings.analysisTimeLimitMs))?.findings;
}

/**
 * `novaLibvirtCpu/checkFiles` (the client's *Check workspace*): analyses each file, open ones as
 * edited, the others as saved, and publishes their diagnostics so the Problems panel lists them all.
 */
connection.onRequest(CHECK_FILES_REQUEST, (p: { uris?: unknown }) => {
  const refused = notServing();
  if (refused) return refused;
  const uris = Array.isArray(p?.uris) ? p.uris.filter((u): u is string => typeof u === 'string') : [];
  const result: CheckFilesResult = { checked: 0, notOurs: 0, notRead: [], counts: { error: 0, warning: 0, information: 0, hint: 0 } };
  for (const uri of uris) {
    const doc = documents.get(uri);
    let findings: Finding[] | { refused: string } | undefined;
    try {
      findings = doc ? analysisOf(doc)?.findings : diskFindings(uri);
    } catch (e) {
      findings = { refused: (e as Error).message ?? String(e) };
    }
    if (findings && 'refused' in findings) { result.notRead.push({ uri, reason: findings.refused }); continue; }
    if (!findings) { result.notOurs++; continue; }
    result.checked++;
    for (const f of findings) result.counts[f.severity]++;
    if (doc) { validate(uri); continue; }
    checkedFromDisk.add(uri);
    if (settings.diagnosticsEnabled) void connection.sendDiagnostics({ uri, diagnostics: findings.map(toDiagnostic) });
  }
  return result;
});

connection.onNotification(HOST_PROFILE_NOTIFICATION, (raw: unknown) => {
  hostProfile = raw === null ? undefined : asHostProfile(raw);
  if (raw !== null && !hostProfile) connection.console.warn('novaLibvirtCpu/hostProfile: not a host profile; host-aware checks are off');
  for (const doc of documents.all()) scheduleValidation(doc.uri);
});

documents.listen(connection);
connection.listen();
