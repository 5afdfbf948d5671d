/** Registers every command (one file each) and the `[libvirt]` code lens. UI only: the work is in the core or the server. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { EditorCommandId, HostCommandId } from '../commandIds';
import { endOfOperation, note, showLog } from '../commandLog';
import { previewProvider, SCHEME } from '../diffView';
import { setNovaCpuMode } from './setNovaCpuMode';
import { rollbackCpuMode } from './rollbackCpuMode';
import { changeDomainCpuMode } from './changeDomainCpuMode';
import { checkNestedVirtualization } from './checkNested';
import { refreshHostProfile, showHostProfile } from './showHostProfile';
import { adviseMigration } from './adviseMigration';
import { selectNovaRelease } from './selectNovaRelease';
import { checkWorkspace } from './checkWorkspace';
import { nodeCommands } from './computeNodes';
import type { ComputeNodes } from '../computeNodes';

type Command = (...args: any[]) => Promise<unknown>;

/** Host commands: they touch compute nodes, so they are refused in an untrusted workspace. */
const hostCommands = (view: ComputeNodes, cliPath: string): Record<HostCommandId, Command> => ({
  'novaLibvirtCpu.setNovaCpuMode': setNovaCpuMode,
  'novaLibvirtCpu.rollbackCpuMode': rollbackCpuMode,
  'novaLibvirtCpu.changeDomainCpuMode': changeDomainCpuMode,
  'novaLibvirtCpu.checkNested': checkNestedVirtualization,
  'novaLibvirtCpu.showHostProfile': showHostProfile,
  'novaLibvirtCpu.refreshHostProfile': refreshHostProfile,
  'novaLibvirtCpu.adviseMigration': adviseMigration,
  'novaLibvirtCpu.showLog': async () => showLog(),
  ...nodeCommands(view, cliPath),
});

/** Editor commands: they read the workspace and change settings, as the editor itself does, so trust is not needed. */
const editorCommands = (client: LanguageClient): Record<EditorCommandId, Command> => ({
  'novaLibvirtCpu.selectNovaRelease': selectNovaRelease,
  'novaLibvirtCpu.checkWorkspace': () => checkWorkspace(client),
});

/** A command's failure (ssh down, file refused, sudo denied) becomes a notification and a log line, never a silent rejection. */
function guarded(id: string, run: Command, needsTrust = true): Command {
  return async (...args) => {
    if (needsTrust && !vscode.workspace.isTrusted) { void vscode.window.showErrorMessage('Host commands are disabled in an untrusted workspace.'); return undefined; }
    try {
      return await run(...args);
    } catch (e) {
      const msg = (e as Error).message ?? String(e);
      note(`${id} failed: ${msg}`);
      void vscode.window.showErrorMessage(`Nova libvirt CPU: ${msg}`, 'Show log').then((a) => { if (a) showLog(); });
      return undefined;
    } finally {
      endOfOperation();
    }
  };
}

/**
 * A lens on the `[libvirt]` header, found through the server's document symbols (the client does
 * not parse). None in an untrusted workspace (the command is disabled there); granting trust
 * brings them (onDidChangeCodeLenses).
 */
const lensesChanged = new vscode.EventEmitter<void>();
const libvirtLens: vscode.CodeLensProvider = {
  onDidChangeCodeLenses: lensesChanged.event,
  async provideCodeLenses(doc) {
    if (!vscode.workspace.isTrusted) return [];
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', doc.uri);
    return (symbols ?? []).filter((s) => s.name.toLowerCase() === '[libvirt]').map((s) => new vscode.CodeLens(s.selectionRange, { title: 'Set Nova CPU mode…', command: 'novaLibvirtCpu.setNovaCpuMode' }));
  },
};

export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient, view: ComputeNodes): void {
  for (const [id, run] of Object.entries(hostCommands(view, context.asAbsolutePath('dist/cli.js')))) context.subscriptions.push(vscode.commands.registerCommand(id, guarded(id, run)));
  for (const [id, run] of Object.entries(editorCommands(client))) context.subscriptions.push(vscode.commands.registerCommand(id, guarded(id, run, false)));
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, previewProvider),
    vscode.languages.registerCodeLensProvider({ language: 'nova-conf' }, libvirtLens),
    vscode.workspace.onDidGrantWorkspaceTrust(() => lensesChanged.fire()),
    lensesChanged,
  );
}

