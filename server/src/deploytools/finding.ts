/**
 * The note on line 1 of a generated nova.conf (`nova/generated-file`), the hover text for its CPU
 * options, and the local probe the fronts use. The fronts (server, CLI check) add it to the
 * analysis: they know the file is local, which the pure analysis does not.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Finding } from '../core/findings';
import type { LineIndex } from '../core/lineIndex';
import type { CpuModeChange } from '../ops/types';
import { detectDeployTool, type DeployTool, type Probe } from './detect';
import { generatedWarning, toolChangeLines, translateChange } from './translate';

export const GENERATED_FILE_CODE = 'nova/generated-file';

/** Marker files are small; a huge or special file is not one of them. */
const MAX_PROBE_BYTES = 1024 * 1024;

export const localProbe: Probe = (path) => {
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > MAX_PROBE_BYTES) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** The knobs in general (no particular change): mode, models, flags as placeholders. */
const EXAMPLE: CpuModeChange = { mode: 'custom', models: ['MODEL'], extraFlags: ['FLAG'] };

export function generatedFileFinding(tool: DeployTool, lines: LineIndex): Finding {
  const t = translateChange(tool, EXAMPLE);
  return {
    // On line 1, where it is seen on open, whatever line the evidence is on.
    code: GENERATED_FILE_CODE, severity: 'information', stage: 'advice', range: lines.range(0, lines.lineEnd(0)),
    explanation: `${generatedWarning(tool)}\nSet the CPU options in ${toolChangeLines(t).join('\n')}`,
  };
}

export function detectLocal(path: string, text: string): DeployTool | undefined {
  return detectDeployTool(path, text, localProbe);
}

const CPU_KEY = /^\s*(cpu_mode|cpu_models?|cpu_model_extra_flags)\s*[=:]/;

/** Markdown to add to a hover on a CPU option line of a generated file; undefined elsewhere. */
export function deployToolHover(tool: DeployTool, lineText: string): string | undefined {
  if (!CPU_KEY.test(lineText)) return undefined;
  const t = translateChange(tool, EXAMPLE);
  return [`**${tool.label}** writes this file: a hand edit is overwritten at its next run.`, '', `Set it in ${t.where}:`, '', '```', ...t.snippet, '```', '', `then \`${t.command}\``, '', ...t.notes].join('\n');
}
