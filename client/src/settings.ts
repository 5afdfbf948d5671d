/** The settings the language server judges with, read as core/settings.ts's table lists them (no other list of keys). */
import * as vscode from 'vscode';
import { ANALYSIS_SETTINGS, SETTINGS } from '../../server/src/core/settings';

/** A flat `{ key: value }` of every analysis setting; the server's normalizeSettings reads it. */
export function analysisSettings(): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration('novaLibvirtCpu');
  // In an untrusted workspace a user-supplied map path could point anywhere; VS Code then
  // returns only the user-level value (restrictedConfigurations in package.json).
  return Object.fromEntries(ANALYSIS_SETTINGS.map((s) => [s.key, cfg.get(s.key, s.default)]));
}

/** One setting, with the table's default: a key the table lacks is a bug, caught here and by test/unit/settings.table.test.ts. */
export function setting<T>(key: string): T {
  const spec = SETTINGS.find((s) => s.key === key);
  if (!spec) throw new Error(`novaLibvirtCpu.${key} is not a setting of core/settings.ts's SETTINGS`);
  return vscode.workspace.getConfiguration('novaLibvirtCpu').get<T>(key, spec.default as T);
}
