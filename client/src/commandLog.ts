/**
 * The "Nova libvirt CPU" output channel (shared with the LanguageClient, which writes the server's log
 * to it, and languageStatus.ts, which notes what the server judges with): every command a host operation runs, with exit status and
 * timing (RunnerHooks.log), and the sudo password asked in a password box (RunnerHooks.askPassword),
 * kept by the runner for one operation only and never written anywhere.
 *
 * A log channel (levels): at the default level (info) a waiting loop (the verification's
 * stat/tail/status every 500 ms, a guest's state while it shuts down) is one line when it opens and
 * one summary when it ends (server/src/hosts/logFolding.ts); at the trace level ("Developer: Set
 * Log Level…", or the channel's gear) every command is shown.
 */
import * as vscode from 'vscode';
import type { CommandLogEntry, RunnerHooks } from '../../server/src/hosts/runner';
import { CommandLogFolder } from '../../server/src/hosts/logFolding';
import { prompts } from './prompts';

let channel: vscode.LogOutputChannel | undefined;
/**
 * The channel's last lines, for the extension's API (tests print them): at the default level, and
 * all of them (the trace level). Bounded; no secrets ever reach them.
 */
const recent = { info: [] as string[], trace: [] as string[] };
const RECENT_MAX = 2000;

function keep(list: string[], line: string): void {
  list.push(`${new Date().toISOString()} ${line}`);
  if (list.length > RECENT_MAX) list.splice(0, list.length - RECENT_MAX);
}

/** The channel itself, a log channel (each line gets its time and level). */
export function logChannel(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Nova libvirt CPU', { log: true });
  return channel;
}

export function formatEntry(e: CommandLogEntry): string {
  const status = e.code !== null ? `exit ${e.code}` : e.signal ? `signal ${e.signal}` : 'not run';
  const line = `${e.host}$ ${JSON.stringify(e.argv)} -> ${status} in ${e.ms} ms`;
  return e.stderr ? `${line}\n    ${e.stderr.replace(/\n/g, '\n    ')}` : line;
}

const folder = new CommandLogFolder({
  info: (line) => { logChannel().info(line); keep(recent.info, line); keep(recent.trace, line); },
  trace: (line) => { logChannel().trace(line); keep(recent.trace, line); },
}, formatEntry);

export function showLog(): void {
  logChannel().show(true);
}

/**
 * The last lines: what the channel shows at the default level, or (`'trace'`) every command.
 * (Timestamps are the channel's own in the output view; here each line starts with one too.)
 */
export function recentLog(level: 'info' | 'trace' = 'info'): string[] {
  return [...recent[level]];
}

/** A line of ours (a plan, a verdict, a failure). */
export function note(text: string): void {
  folder.note(text);
}

/** Ends the current waiting loop's summary (an operation is over). */
export function endOfOperation(): void {
  folder.flush();
}

export const runnerHooks: RunnerHooks = {
  log: (e) => folder.entry(e),
  askPassword: (prompt) => prompts().input({ id: 'sudo-password', prompt, password: true, placeHolder: 'sudo password (asked once for this operation, never stored)' }),
};
