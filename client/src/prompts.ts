/**
 * The questions commands ask (pickers, confirmations, input boxes), behind one small interface so
 * the end-to-end tests can answer them. The real implementation is VS Code's own widgets; tests
 * replace only who answers (see `setPrompts`), never what the command does with the answer.
 */
import * as vscode from 'vscode';

export interface Prompts {
  pick<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions & { id: string }): Promise<T | undefined>;
  pickMany<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions & { id: string }): Promise<T[] | undefined>;
  /** A modal warning with a detail text; resolves the chosen action, undefined on cancel. */
  confirm(id: string, message: string, detail: string, actions: string[]): Promise<string | undefined>;
  input(options: vscode.InputBoxOptions & { id: string }): Promise<string | undefined>;
}

export const vscodePrompts: Prompts = {
  pick: (items, options) => Promise.resolve(vscode.window.showQuickPick(items, { ...options, ignoreFocusOut: true })),
  pickMany: (items, options) => Promise.resolve(vscode.window.showQuickPick(items, { ...options, canPickMany: true, ignoreFocusOut: true })),
  confirm: (_id, message, detail, actions) => Promise.resolve(vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions)),
  input: (options) => Promise.resolve(vscode.window.showInputBox({ ...options, ignoreFocusOut: true })),
};

let current: Prompts = vscodePrompts;

export function prompts(): Prompts {
  return current;
}

/** For the e2e tests (through the extension's exported API): who answers the questions. */
export function setPrompts(p: Prompts | undefined): void {
  current = p ?? vscodePrompts;
}
