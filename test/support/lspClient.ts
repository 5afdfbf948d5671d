/**
 * A scripted LSP client over stdio against the bundled server (dist/server.js --stdio),
 * for protocol tests: the same bytes an editor would send.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import type {
  ClientCapabilities, CodeAction, CompletionItem, CompletionList, Diagnostic, Hover, PublishDiagnosticsParams, Range, Registration, RegistrationParams, UnregistrationParams,
} from 'vscode-languageserver-protocol';

/** LSP_SERVER: another build's server.js (e.g. main's, for a bench's before figures). */
export const SERVER = process.env.LSP_SERVER ?? resolve(__dirname, '../../dist/server.js');

export interface TestClient {
  connection: ProtocolConnection;
  proc: ChildProcess;
  /** Resolves with the next diagnostics published for `uri` (optionally for a given document version). */
  diagnostics(uri: string, version?: number): Promise<Diagnostic[]>;
  /** Calls `listener` with every publishDiagnostics the server sends; returns the unsubscribe. */
  onPublish(listener: (p: PublishDiagnosticsParams) => void): () => void;
  /** Dynamic registrations the server holds now (client/registerCapability minus unregisterCapability), by id. */
  registrations: Map<string, Registration>;
  /** Every window/showMessage and novaLibvirtCpu/status the server sent so far, in order. */
  shown: Array<{ type: number; message: string }>;
  statuses: unknown[];
  /** Every publish from now until none has come for `quietMs` (after at least `atLeastMs`): what a protocol trace shows. */
  publishesUntilQuiet(quietMs: number, atLeastMs?: number): Promise<PublishDiagnosticsParams[]>;
  open(uri: string, languageId: string, text: string, version?: number): void;
  /** Opens a document and resolves with its first diagnostics (the wait starts before didOpen, so a fast publish is not missed). */
  openAndWait(uri: string, languageId: string, text: string, version?: number): Promise<Diagnostic[]>;
  /** The requests protocol tests make, typed; completion gives the items of a list too. */
  hover(uri: string, line: number, character: number): Promise<Hover | null>;
  completion(uri: string, line: number, character: number): Promise<CompletionItem[]>;
  /** Code actions for `range` with `diagnostics` in the context; `only` as a client filters kinds (e.g. ['source']). */
  codeActions(uri: string, range: Range, diagnostics?: Diagnostic[], only?: string[]): Promise<CodeAction[]>;
  change(uri: string, text: string, version: number): void;
  close(): Promise<void>;
}

/**
 * `capabilities`: the client capabilities to announce (default none: every feature statically
 * registered; VS Code's include workspace.configuration: the server then pulls the settings after
 * initialized and on each didChangeConfiguration).
 */
export async function startClient(settings: Record<string, unknown> = { useHostCpuMap: false }, capabilities: ClientCapabilities = {}): Promise<TestClient> {
  // LSP_SERVER_NODE_ARGS: node flags for the server, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof' to profile a bench.
  const nodeArgs = process.env.LSP_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const proc = spawn(process.execPath, [...nodeArgs, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const waiting = new Map<string, Array<(p: PublishDiagnosticsParams) => boolean>>();
  const listeners = new Set<(p: PublishDiagnosticsParams) => void>();
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    for (const l of listeners) l(p);
    const list = waiting.get(p.uri) ?? [];
    waiting.set(p.uri, list.filter((w) => !w(p)));
  });
  connection.onRequest('workspace/configuration', () => [settings]);
  const registrations = new Map<string, Registration>();
  connection.onRequest('client/registerCapability', (p: RegistrationParams) => { for (const r of p.registrations) registrations.set(r.id, r); return null; });
  connection.onRequest('client/unregisterCapability', (p: UnregistrationParams) => { for (const u of p.unregisterations) registrations.delete(u.id); return null; });
  // Recorded from the start: the server sends its first status right after `initialized`.
  const shown: TestClient['shown'] = [];
  const statuses: unknown[] = [];
  connection.onNotification('window/showMessage', (m: { type: number; message: string }) => { shown.push(m); });
  connection.onNotification('novaLibvirtCpu/status', (st: unknown) => { statuses.push(st); });
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities, initializationOptions: { settings } });
  connection.sendNotification('initialized', {});
  const client: TestClient = {
    connection,
    proc,
    registrations,
    shown,
    statuses,
    onPublish(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publishesUntilQuiet(quietMs, atLeastMs = quietMs) {
      const seen: PublishDiagnosticsParams[] = [];
      const listener = (p: PublishDiagnosticsParams) => { seen.push(p); last = Date.now(); };
      const start = Date.now();
      let last = start;
      listeners.add(listener);
      return new Promise((res) => {
        const poll = setInterval(() => {
          const now = Date.now();
          if (now - last < quietMs || now - start < atLeastMs) return;
          clearInterval(poll);
          listeners.delete(listener);
          res(seen);
        }, 20);
      });
    },
    diagnostics(uri, version) {
      return new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`no diagnostics for ${uri} within 10 s`)), 10_000);
        const list = waiting.get(uri) ?? [];
        list.push((p) => {
          if (version !== undefined && p.version !== undefined && p.version !== version) return false;
          clearTimeout(timer);
          res(p.diagnostics);
          return true;
        });
        waiting.set(uri, list);
      });
    },
    open(uri, languageId, text, version = 1) {
      connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    },
    openAndWait(uri, languageId, text, version = 1) {
      const published = client.diagnostics(uri, version);
      client.open(uri, languageId, text, version);
      return published;
    },
    hover(uri, line, character) {
      return connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
    },
    async completion(uri, line, character) {
      const r = await connection.sendRequest<CompletionItem[] | CompletionList | null>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
      return r === null ? [] : Array.isArray(r) ? r : r.items;
    },
    codeActions(uri, range, diagnostics = [], only) {
      return connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: only ? { diagnostics, only } : { diagnostics } });
    },
    change(uri, text, version) {
      connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    async close() {
      await connection.sendRequest('shutdown');
      connection.sendNotification('exit');
      await new Promise((r) => proc.once('exit', r));
      connection.dispose();
    },
  };
  return client;
}
