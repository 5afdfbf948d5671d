/**
 * *Check workspace*: every nova.conf (and config-set member) and XML file of the workspace goes to
 * the server (CHECK_FILES_REQUEST), which checks them as the CLI does and publishes their
 * diagnostics, so the Problems panel lists files that are not open. XML that is not a libvirt
 * domain is read and left alone, as in the editor.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CHECK_FILES_REQUEST, type CheckFilesResult } from '../../../server/src/protocol';
import { note } from '../commandLog';

/** Beyond this many files a workspace is not a config repo; the rest would only cost time. */
export const MAX_FILES = 5000;
const PATTERNS = ['**/{nova.conf,nova-*.conf,nova.conf.d/*.conf}', '**/*.xml'];
const EXCLUDE = '**/{node_modules,.git}/**';

export async function checkWorkspace(client: LanguageClient): Promise<CheckFilesResult> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Nova libvirt CPU: checking the workspace…' }, async () => {
    const found = new Map<string, vscode.Uri>();
    for (const p of PATTERNS) for (const u of await vscode.workspace.findFiles(p, EXCLUDE, MAX_FILES)) found.set(u.toString(), u);
    const uris = [...found.keys()].sort().slice(0, MAX_FILES);
    const r = await client.sendRequest<CheckFilesResult>(CHECK_FILES_REQUEST, { uris });
    const notes = r.counts.information + r.counts.hint;
    const summary = `Checked ${r.checked} file(s): ${r.counts.error} error(s), ${r.counts.warning} warning(s), ${notes} note(s)` +
      (r.notOurs ? `; ${r.notOurs} other XML file(s) left alone` : '') + (r.notRead.length ? `; ${r.notRead.length} not read (see the log)` : '') +
      (found.size > MAX_FILES ? `; only the first ${MAX_FILES} files` : '');
    note(`check workspace: ${summary}`);
    for (const n of r.notRead) note(`check workspace: cannot read ${vscode.Uri.parse(n.uri).fsPath}: ${n.reason}`);
    void vscode.window.showInformationMessage(`Nova libvirt CPU: ${summary}.`);
    if (r.checked) void vscode.commands.executeCommand('workbench.actions.view.problems');
    return r;
  });
}
