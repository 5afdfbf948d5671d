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
  /** Our diagnostics of the result (config set as a whole), each with its file; any error refuses the plan. */
  findings: PlanFinding[];
  /** Set when the plan must not be applied; says why (includes the errors' messages). */
  refused?: string;
  /** One line per change for a summary: "nova-compute.conf:12 cpu_mode custom -> host-passthrough". */
  summary: string[];
  /** A deployment tool writes a file of the set: the same change in its own terms (deploytools/). */
  deployTool?: { tool: import('../deploytools/detect').DeployTool; path: string; warning: string; change: import('../deploytools/translate').ToolChange };
}

/** A finding of a planned result, with the file it is in and whether the input had it already. */
export interface PlanFinding extends Finding {
  path: string;
  /** True when the input (before the change) had the same finding: the change does not cause it. */
  preexisting: boolean;
}

/** Where a setting Nova reads comes from: the file of the set and its 0-based lines. */
export interface SettingSource {
  path: string;
  /** First and last line of the logical entry (continuation lines included). */
  line: number;
  lastLine: number;
  /** The key as written (cpu_model for the old name of cpu_models). */
  key: string;
}

/** One CPU setting as nova-compute reads it from a config set. */
export interface EffectiveSetting<T> {
  /** The value Nova uses (the option's default when unset or unreadable). */
  value: T;
  /** The text as written, when set. */
  raw?: string;
  /** Where it is set; undefined when unset (the default applies). */
  source?: SettingSource;
  /** False when oslo.config cannot read the value (nova-compute stops; the diagnostics say why). */
  valid: boolean;
}

/** The [libvirt] CPU configuration of a set, for "old -> new" displays. */
export interface NovaCpuConfig {
  /** The Nova release the set is read as, e.g. "Zed (26)". */
  release: string;
  virtType: EffectiveSetting<string>;
  /** cpu_mode as set (null when unset). */
  mode: EffectiveSetting<string | null>;
  /** The mode guests get: an unset mode is host-model on kvm/qemu (x86), none otherwise. */
  effectiveMode: string;
  models: EffectiveSetting<string[]>;
  extraFlags: EffectiveSetting<string[]>;
}

/** libvirt's guest CPU modes (`<cpu mode=...>`). */
export type DomainCpuMode = 'host-passthrough' | 'host-model' | 'custom' | 'maximum';

/** A change of a domain's `<cpu>` mode. */
export interface DomainCpuChange {
  mode: DomainCpuMode;
  /** For custom: the CPU model (required unless the domain already names one). */
  model?: string;
  /** Answers to the planner's questions, by question id. */
  answers?: Record<string, boolean>;
}

export interface DomainPlan extends Plan {
  /** `<name>` of the domain, when present. */
  name?: string;
  /**
   * The domain carries Nova's metadata (namespace http://openstack.org/xmlns/libvirt/nova/1.1):
   * Nova regenerates its XML on hard reboot, rebuild and migration, so a change here is lost;
   * the nova.conf route (planNovaCpuMode) is the lasting one.
   */
  novaManaged: boolean;
}
