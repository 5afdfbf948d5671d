/**
 * The vocabulary of host changes, shared by the planners (pure), the transaction (I/O through a
 * Runner) and the fronts (VS Code commands, the CLI). No vscode import, no I/O here.
 */
import type { Finding } from '../core/findings';

export type NovaCpuMode = 'host-passthrough' | 'host-model' | 'custom' | 'maximum' | 'none';

/** What the operator asked for. Undefined fields mean "leave as it is". */
export interface CpuModeChange {
  mode: NovaCpuMode;
  /** For custom (and maximum/none where Nova allows): models, oldest first. */
  models?: string[];
  /** cpu_model_extra_flags, e.g. ['vmx']; [] removes the option. */
  extraFlags?: string[];
  /** Answers to the planner's questions, by question id (see PlanQuestion). */
  answers?: Record<string, boolean>;
}

/** One file of a config set as read from the host, in Nova's read order. */
export interface FileSnapshot {
  path: string;
  text: string;
  /** sha256 of the bytes read; the transaction refuses to write when the file changed since. */
  sha256: string;
}

/** A planned whole-file replacement; `before` is the snapshot's text. */
export interface FileEdit {
  path: string;
  before: string;
  after: string;
  sha256: string;
}

/** Something the new mode makes useless rather than forbidden: the operator decides. */
export interface PlanQuestion {
  id: string;
  /** e.g. "cpu_model_extra_flags = vmx does nothing under host-passthrough: remove it?" */
  text: string;
  /** What the planner does when unanswered. */
  defaultAnswer: boolean;
}

export interface Plan {
  edits: FileEdit[];
  questions: PlanQuestion[];
  /** Our diagnostics of the result (config set as a whole); any error refuses the plan. */
  findings: Finding[];
  /** Set when the plan must not be applied; says why (includes the errors' messages). */
  refused?: string;
  /** One line per change for a summary: "nova-compute.conf:12 cpu_mode custom -> host-passthrough". */
  summary: string[];
}
