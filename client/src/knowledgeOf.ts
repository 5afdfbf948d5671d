/** The core's knowledge (cpu_map, Nova catalog) with the user's settings: the client asks it, never parses. */
import * as vscode from 'vscode';
import { getKnowledge, type Knowledge } from '../../server/src/knowledge/knowledge';
import { normalizeSettings } from '../../server/src/core/settings';

export function knowledge(): Knowledge {
  const cfg = vscode.workspace.getConfiguration('novaLibvirtCpu');
  return getKnowledge(normalizeSettings({
    novaRelease: cfg.get('novaRelease', ''), libvirtVersion: cfg.get('libvirtVersion', ''),
    cpuMapPath: cfg.get('cpuMapPath', ''), useHostCpuMap: cfg.get('useHostCpuMap', true),
  }));
}
