/**
 * Activation and the LanguageClient; no config parsing here. The server owns all knowledge,
 * so the editor, the CLI and any other LSP client see the same truth.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { initHostProfileState } from './hostProfileState';
import { setPrompts, type Prompts } from './prompts';
import { recentLog } from './commandLog';

/** What the extension exports: for the e2e tests, who answers the commands' questions, and the command log's last lines (at the default level, or every line: 'trace'). */
export interface Api { setPrompts(p: Prompts | undefined): void; recentLog(level?: 'info' | 'trace'): string[] }

let client: LanguageClient | undefined;

function currentSettings() {
  const cfg = vscode.workspace.getConfiguration('novaLibvirtCpu');
  return {
    novaRelease: cfg.get<string>('novaRelease', ''),
    libvirtVersion: cfg.get<string>('libvirtVersion', ''),
    // In an untrusted workspace a user-supplied map path could point anywhere; VS Code then
    // returns only the user-level value (restrictedConfigurations in package.json).
    cpuMapPath: cfg.get<string>('cpuMapPath', ''),
    useHostCpuMap: cfg.get<boolean>('useHostCpuMap', true),
    diagnostics: { enable: cfg.get<boolean>('diagnostics.enable', true), severity: cfg.get<Record<string, string>>('diagnostics.severity', {}) },
    analysisTimeLimitMs: cfg.get<number>('analysisTimeLimitMs', 750),
  };
}

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
    initializationOptions: { settings: currentSettings() },
  };
  client = new LanguageClient('novaLibvirtCpu', 'Nova libvirt CPU', serverOptions, clientOptions);
  await client.start();
  context.subscriptions.push({ dispose: () => void client?.stop() });
  initHostProfileState(context, client);
  registerCommands(context);
  return { setPrompts, recentLog };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
