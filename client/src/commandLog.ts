/**
 * The "Nova libvirt CPU" output channel: what the server judges with (languageStatus.ts), every command a host operation runs, with exit status and
 * timing (RunnerHooks.log), and the sudo password asked in a password box (RunnerHooks.askPassword),
 * kept by the runner for one operation only and never written anywhere.
 */
import * as vscode from 'vscode';
import type { CommandLogEntry, RunnerHooks } from '../../server/src/hosts/runner';
import { prompts } from './prompts';

let theChannel: vscode.LogOutputChannel | undefined;
/** The channel's last lines, for the extension's API (tests print them); bounded, no secrets ever reach it. */
const recent: string[] = [];
const RECENT_MAX = 1000;

export interface CommandLogChannel { appendLine(line: string): void; show(preserveFocus?: boolean): void }

/** The channel itself: a log channel (each line gets its time), which the LanguageClient writes the server's log to too. */
export function channel(): vscode.LogOutputChannel {
  theChannel ??= vscode.window.createOutputChannel('Nova libvirt CPU', { log: true });
  return theChannel;
}

export function output(): CommandLogChannel {
  const ch = channel();
  return {
    appendLine: (line: string) => { ch.appendLine(line); recent.push(line); if (recent.length > RECENT_MAX) recent.splice(0, recent.length - RECENT_MAX); },
    show: (preserveFocus?: boolean) => ch.show(preserveFocus),
  };
}

export function recentLog(): string[] {
  return [...recent];
}

export function formatEntry(e: CommandLogEntry): string {
  const status = e.code !== null ? `exit ${e.code}` : `signal ${e.signal ?? '?'}`;
  const line = `${e.host}$ ${JSON.stringify(e.argv)} -> ${status} in ${e.ms} ms`;
  return e.stderr ? `${line}\n    ${e.stderr.replace(/\n/g, '\n    ')}` : line;
}

export function note(text: string): void {
  output().appendLine(text);
}

export const runnerHooks: RunnerHooks = {
  log: (e) => output().appendLine(formatEntry(e)),
  askPassword: (prompt) => prompts().input({ id: 'sudo-password', prompt, password: true, placeHolder: 'sudo password (asked once for this operation, never stored)' }),
};
