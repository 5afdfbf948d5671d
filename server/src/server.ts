#!/usr/bin/env node
/**
 * LSP wiring only: documents in, analyses cached per version, features answered from the
 * cached analysis. All knowledge of nova.conf and domain XML lives behind `analyze`.
 * Runs inside VS Code (ipc) and standalone for any client: `nova-libvirt-cpu-ls --stdio`.
 */
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, CodeActionKind,
  DiagnosticSeverity, DiagnosticTag, type Diagnostic, type CodeAction, type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { basename, dirname } from 'node:path';
import { URI } from './core/uri';
import { analyze, type Analysis } from './analyze';
import { findingMessage, SOURCE, type Finding, type Range } from './core/findings';
import { normalizeSettings, type Settings } from './core/settings';
import { getKnowledge, type Knowledge } from './knowledge/knowledge';
import { configSetRoot, relatedFiles, sameConfigSet } from './novaconf/configSet';
import { listDir, readMember } from './novaconf/configSetFs';
import { asHostProfile, type HostProfile } from './hosts/hostProfile';

if (process.argv.includes('--version')) {
  process.stdout.write(`nova-libvirt-cpu-ls ${require('../../package.json').version}\n`);
  process.exit(0);
}

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let settings: Settings = normalizeSettings({});
let canPullConfig = false;
const reportedProblems = new Set<string>();

interface Cached { version: number; analysis: Analysis | undefined; knowledge: Knowledge }
const cache = new Map<string, Cached>();

/** The compute node's profile, sent by the client (`novaLibvirtCpu/hostProfile`); host-aware rules need it. */
let hostProfile: HostProfile | undefined;

function knowledge(): Knowledge {
  const k: Knowledge = { ...getKnowledge(settings), host: hostProfile };
  for (const p of k.catalog.problems) {
    const key = `${p.file}\0${p.message}`;
    if (reportedProblems.has(key)) continue;
    reportedProblems.add(key);
    const text = `cpu_map ${p.file}: ${p.message} (using the maps that did load)`;
    connection.console.warn(text);
    void connection.window.showWarningMessage(`nova-libvirt-cpu: ${text}`);
  }
  return k;
}

/** Open documents by file path: their text is what a config set member says, saved or not. */
function openDocument(path: string): TextDocument | undefined {
  return documents.all().find((d) => URI.toPath(d.uri) === path);
}

/** The other files of the document's nova.conf config set: open ones from the editor, the rest from disk. */
function relatedOf(path: string) {
  if (configSetRoot(path) === undefined) return undefined;
  const list = (dir: string) => [...listDir(dir), ...documents.all().map((d) => URI.toPath(d.uri)).filter((p) => dirname(p) === dir).map((p) => basename(p))];
  return relatedFiles(path, list, (p) => openDocument(p)?.getText() ?? readMember(p));
}

/** The one place documents get analysed; every feature goes through here. */
function analysisOf(doc: TextDocument): Analysis | undefined {
  const hit = cache.get(doc.uri);
  const k = knowledge();
  if (hit && hit.version === doc.version && hit.knowledge.catalog === k.catalog && hit.knowledge.settings === k.settings && hit.knowledge.host === k.host) return hit.analysis;
  let analysis: Analysis | undefined;
  try {
    const path = URI.toPath(doc.uri);
    analysis = analyze(path, doc.getText(), k, doc.languageId, undefined, relatedOf(path));
  } catch (e) {
    // A bug of ours must not take the editor's server down; say so where the user looks.
    connection.console.error(`analysis of ${doc.uri} failed: ${(e as Error).stack ?? e}`);
    analysis = undefined;
  }
  cache.set(doc.uri, { version: doc.version, analysis, knowledge: k });
  return analysis;
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint } as const;
const TAG = { unnecessary: DiagnosticTag.Unnecessary, deprecated: DiagnosticTag.Deprecated } as const;

function toDiagnostic(f: Finding): Diagnostic {
  return {
    range: f.range, severity: SEVERITY[f.severity], code: f.code, source: SOURCE,
    message: findingMessage(f), tags: f.tags?.map((t) => TAG[t]), data: f.stage ? { stage: f.stage } : undefined,
  };
}

const pending = new Set<string>();
/** Coalesces bursts of edits: one analysis per turn of the event loop per document. */
function scheduleValidation(uri: string) {
  if (pending.has(uri)) return;
  pending.add(uri);
  setImmediate(() => {
    pending.delete(uri);
    const doc = documents.get(uri);
    if (!doc) return;
    const analysis = settings.diagnosticsEnabled ? analysisOf(doc) : undefined;
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: analysis ? analysis.findings.map(toDiagnostic) : [] });
  });
}

connection.onInitialize((params: InitializeParams) => {
  canPullConfig = !!params.capabilities.workspace?.configuration;
  const init = params.initializationOptions as { settings?: unknown } | undefined;
  settings = normalizeSettings(init?.settings);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['[', '=', ' ', ',', '+', '-', '<', '"', "'"] },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
    },
    serverInfo: { name: 'nova-libvirt-cpu-ls', version: require('../../package.json').version },
  };
});

async function refreshSettings() {
  if (!canPullConfig) return;
  const [cfg] = await connection.workspace.getConfiguration([{ section: 'novaLibvirtCpu' }]);
  settings = normalizeSettings(cfg);
}

connection.onInitialized(async () => {
  await refreshSettings().catch(() => undefined);
  for (const doc of documents.all()) scheduleValidation(doc.uri);
});

connection.onDidChangeConfiguration(async (change) => {
  if (canPullConfig) await refreshSettings().catch(() => undefined);
  else settings = normalizeSettings((change.settings as Record<string, unknown> | undefined)?.novaLibvirtCpu);
  for (const doc of documents.all()) scheduleValidation(doc.uri);
});

/**
 * A member of a nova.conf config set changed (opened, edited, closed): the verdicts of the
 * other open members depend on it, so they are analysed again.
 */
function revalidateSetOf(uri: string) {
  const path = URI.toPath(uri);
  if (configSetRoot(path) === undefined) return;
  for (const other of documents.all()) {
    if (other.uri === uri || !sameConfigSet(path, URI.toPath(other.uri))) continue;
    cache.delete(other.uri);
    scheduleValidation(other.uri);
  }
}

documents.onDidOpen((e) => scheduleValidation(e.document.uri));
// Fires on open too.
documents.onDidChangeContent((e) => { scheduleValidation(e.document.uri); revalidateSetOf(e.document.uri); });
documents.onDidClose((e) => {
  cache.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  // Its members now read the file from disk, without the unsaved edits.
  revalidateSetOf(e.document.uri);
});

/** Runs a feature against the document's cached model; features never see broken input. */
function withModel<T>(uri: string, fallback: T, run: (a: Analysis, k: Knowledge) => T): T {
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

connection.onCompletion((p) => withModel(p.textDocument.uri, [], (a, k) => a.service.complete?.(a.model, p.position, k) ?? []));
connection.onHover((p) => withModel(p.textDocument.uri, null, (a, k) => a.service.hover?.(a.model, p.position, k) ?? null));
connection.onDocumentSymbol((p) => withModel(p.textDocument.uri, [], (a) => a.service.symbols?.(a.model) ?? []));
connection.onFoldingRanges((p) => withModel(p.textDocument.uri, [], (a) => a.service.folding?.(a.model) ?? []));

const overlaps = (a: Range, b: Range) =>
  !(a.end.line < b.start.line || (a.end.line === b.start.line && a.end.character < b.start.character) ||
    b.end.line < a.start.line || (b.end.line === a.start.line && b.end.character < a.start.character));

/** Quick fixes are keyed by finding code: each finding carries the fixes its rule knows. */
connection.onCodeAction((p) => withModel(p.textDocument.uri, [] as CodeAction[], (a) => {
  const actions: CodeAction[] = [];
  for (const f of a.findings) {
    if (!f.fixes?.length || !overlaps(f.range, p.range)) continue;
    const diagnostic = toDiagnostic(f);
    for (const fix of f.fixes) {
      actions.push({
        title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred,
        edit: { changes: { [p.textDocument.uri]: fix.edits } },
      });
    }
  }
  return actions;
}));

connection.onNotification('novaLibvirtCpu/hostProfile', (raw: unknown) => {
  hostProfile = raw === null ? undefined : asHostProfile(raw);
  if (raw !== null && !hostProfile) connection.console.warn('novaLibvirtCpu/hostProfile: not a host profile; host-aware checks are off');
  for (const doc of documents.all()) scheduleValidation(doc.uri);
});

documents.listen(connection);
connection.listen();
