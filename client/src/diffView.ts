/** Before/after of a planned change as virtual documents, shown with `vscode.diff`. */
import * as vscode from 'vscode';

export const SCHEME = 'nova-libvirt-cpu-preview';
const texts = new Map<string, string>();
const changed = new vscode.EventEmitter<vscode.Uri>();
let serial = 0;

export const previewProvider: vscode.TextDocumentContentProvider = {
  onDidChange: changed.event,
  provideTextDocumentContent: (uri) => texts.get(uri.toString()) ?? '',
};

/** Opens the diff of `before` and `after` for `path` on `host`; resolves the two URIs shown. */
export async function showDiff(host: string, path: string, before: string, after: string): Promise<{ left: vscode.Uri; right: vscode.Uri }> {
  const n = ++serial;
  const mk = (side: string, text: string) => {
    const uri = vscode.Uri.from({ scheme: SCHEME, authority: host.replace(/[^A-Za-z0-9.-]/g, '_') || 'host', path: path.startsWith('/') ? path : `/${path}`, query: `${side}-${n}` });
    texts.set(uri.toString(), text);
    changed.fire(uri);
    return uri;
  };
  const left = mk('before', before);
  const right = mk('after', after);
  await vscode.commands.executeCommand('vscode.diff', left, right, `${path} on ${host}: current ↔ planned`, { preview: true });
  return { left, right };
}
