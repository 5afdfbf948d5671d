/**
 * Activation and the LanguageClient; no config parsing here. The server owns all knowledge,
 * so the editor, the CLI and any other LSP client see the same truth.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { initHostProfileState } from './hostProfileState';
import { setPrompts, type Prompts } from './prompts';
import { logChannel, recentLog } from './commandLog';
import { analysisSettings } from './settings';
import { initLanguageStatus, languageStatus, showStatus } from './languageStatus';
import { ComputeNodes, VIEW_ID } from './computeNodes';
import { STATUS_NOTIFICATION } from '../../server/src/protocol';
import type { KnowledgeStatus } from '../../server/src/knowledgeStatus';

/** What the extension exports, for the e2e tests: who answers the commands' questions, the command log's last lines (at the default level, or every line: 'trace'), the language status, the Compute nodes view's provider. */
export interface Api { setPrompts(p: Prompts | undefined): void; recentLog(level?: 'info' | 'trace'): string[]; languageStatus: typeof languageStatus; computeNodes: ComputeNodes }

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<Api> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Domain XML rides on VS Code's own `xml` language; the server answers only for
    // documents whose root is <domain>, so other XML (and other XML extensions) are untouched.
    documentSelector: [
      { scheme: 'file', language: 'nova-conf' }, { scheme: 'untitled', language: 'nova-conf' },
      { scheme: 'file', language: 'xml' }, { scheme: 'untitled', language: 'xml' },
    ],
    synchronize: { configurationSection: 'novaLibvirtCpu' },
    initializationOptions: { settings: analysisSettings() },
    // One channel for the server's log and the commands' (commandLog.ts), not two of the same name.
    outputChannel: logChannel(),
  };
  client = new LanguageClient('novaLibvirtCpu', 'Nova libvirt CPU', serverOptions, clientOptions);
  initLanguageStatus(context);
  client.onNotification(STATUS_NOTIFICATION, (s: KnowledgeStatus) => showStatus(s));
  await client.start();
  context.subscriptions.push({ dispose: () => void client?.stop() });
  initHostProfileState(context, client);
  const computeNodes = registerComputeNodes(context);
  registerCommands(context, client, computeNodes);
  return { setPrompts, recentLog, languageStatus, computeNodes };
}

/** The *Compute nodes* view; read again when its sources' settings change or trust is granted. */
function registerComputeNodes(context: vscode.ExtensionContext): ComputeNodes {
  const nodes = new ComputeNodes();
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: nodes, showCollapseAll: true });
  const untrusted = () => { view.message = vscode.workspace.isTrusted ? undefined : 'Host commands are disabled in an untrusted workspace: the inventory is not read.'; };
  untrusted();
  context.subscriptions.push(view,
    vscode.workspace.onDidChangeConfiguration((e) => { if (['hosts', 'inventory'].some((k) => e.affectsConfiguration(`novaLibvirtCpu.${k}`))) nodes.refresh(); }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => { untrusted(); nodes.refresh(); }));
  return nodes;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
