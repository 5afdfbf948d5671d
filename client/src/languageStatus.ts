/**
 * The language status items of nova.conf and XML editors: the Nova release and libvirt version the
 * checks judge with (with *Change release…*), and the cpu_maps in effect. Both come from the
 * server (STATUS_NOTIFICATION); a setting or map it did not understand turns the item into a
 * warning that says so, once, instead of a finding on every file. Each status is logged.
 */
import * as vscode from 'vscode';
import type { KnowledgeStatus } from '../../server/src/knowledgeStatus';
import { analysisSettings } from './settings';
import { note } from './commandLog';

const SELECTOR: vscode.DocumentSelector = [{ language: 'nova-conf' }, { language: 'xml' }];

let release: vscode.LanguageStatusItem | undefined;
let cpuMap: vscode.LanguageStatusItem | undefined;
let last: KnowledgeStatus | undefined;

export function initLanguageStatus(context: vscode.ExtensionContext): void {
  release = vscode.languages.createLanguageStatusItem('novaLibvirtCpu.release', SELECTOR);
  release.name = 'Nova libvirt CPU: release';
  release.text = '$(loading~spin) Nova libvirt CPU';
  cpuMap = vscode.languages.createLanguageStatusItem('novaLibvirtCpu.cpuMap', SELECTOR);
  cpuMap.name = 'Nova libvirt CPU: cpu_map';
  cpuMap.text = 'cpu_map';
  context.subscriptions.push(release, cpuMap);
}

/** What the server said it judges with; shown in the items and logged, with the settings it read. */
export function showStatus(status: KnowledgeStatus): void {
  last = status;
  if (release) {
    release.text = `Nova ${status.novaRelease} · libvirt ${status.libvirtVersion}`;
    release.detail = status.problems.length ? status.problems.join(' ') : 'the release whose options and messages apply';
    release.severity = status.problems.length ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    release.command = { title: 'Change release…', command: 'novaLibvirtCpu.selectNovaRelease' };
  }
  if (cpuMap) {
    cpuMap.text = `cpu_map: ${status.layers.map((l) => l.source).join(' + ') || 'none'}`;
    cpuMap.detail = `${status.cpuMap}: ${status.models} models, ${status.features} features`;
    cpuMap.command = { title: 'Show log', command: 'novaLibvirtCpu.showLog' };
  }
  const settings = Object.entries(analysisSettings()).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
  note(`settings: ${settings}`);
  note(`judging with Nova ${status.novaRelease}, libvirt ${status.libvirtVersion}; cpu_map: ${status.cpuMap} (${status.models} models, ${status.features} features)`);
  for (const p of status.problems) note(`problem: ${p}`);
}

/** For the e2e tests (the extension's API): the last status and what the items show. */
export function languageStatus(): { status: KnowledgeStatus | undefined; items: Array<{ text: string; detail?: string; severity: string }> } {
  const sev = (i: vscode.LanguageStatusItem) => (i.severity === vscode.LanguageStatusSeverity.Warning ? 'warning' : i.severity === vscode.LanguageStatusSeverity.Error ? 'error' : 'information');
  return { status: last, items: [release, cpuMap].filter((i): i is vscode.LanguageStatusItem => !!i).map((i) => ({ text: i.text, detail: i.detail, severity: sev(i) })) };
}
