/**
 * The rollout's API: what the CLI and the VS Code views call and show. No vscode import, no I/O.
 *
 *   previewRollout(targets, change, opts)          -> RolloutPreview   (reads only; see preview.ts)
 *   runRollout(preview, executor, onEvent, opts)   -> RolloutSummary   (see orchestrate.ts)
 *
 * One orchestration, two executors (ansible.ts: a generated playbook run by ansible-playbook;
 * sshExecutor.ts: the host commands' transaction over OpenSSH). Both emit the same events.
 * Stable: fields are only added (optional), never renamed or removed.
 */
import type { Runner } from '../hosts/runner';
import type { ServiceManager } from '../hosts/services';
import type { InventoryHost } from '../inventory/ansibleInventory';
import type { Knowledge } from '../knowledge/knowledge';
import type { CpuModeChange, PlanFinding, PlanQuestion } from '../ops/types';

/** One host of the rollout: its inventory entry and a runner that reaches it. */
export interface RolloutTarget {
  /** The inventory name (what Ansible calls inventory_hostname). */
  name: string;
  runner: Runner;
  inventory?: InventoryHost;
}

export interface PreviewOptions {
  knowledge: Knowledge;
  /** The config set's directory on every host (default /etc/nova). */
  configDir?: string;
  /** Run file and service commands as root (default true). */
  sudo?: boolean;
  /** A service manager for every host instead of detecting each one (the `service` setting). */
  service?: ServiceManager;
  /** Hosts read at once (default 4). */
  parallel?: number;
  /** Called as each host's preview is ready (progress in a UI). */
  onHost?(h: HostPreview): void;
}

/** "custom (qemu64; +vmx)", "host-passthrough", "unset (host-model)". */
export type ModeText = string;

export interface PreviewFile {
  path: string;
  before: string;
  after: string;
  /** sha256 of `before` as read: nothing is written if the file no longer has it. */
  sha256: string;
  /** unified diff (ops/diff.ts). */
  diff: string;
}

export interface HostPreview {
  host: string;
  /**
   * change: edits planned and acceptable; unchanged: nothing to do; error: this host blocks the
   * rollout (our diagnostics found an error in its result, the planner refused, or it could not
   * be read / has no nova-compute service).
   */
  verdict: 'change' | 'unchanged' | 'error';
  /** With verdict error: why, in one paragraph (the errors' messages included). */
  problem?: string;
  /** With verdict error: the host could not be read (ssh, sudo, missing files), rather than a refused plan. */
  unreadable?: boolean;
  /** The edited files only. */
  files: PreviewFile[];
  /** Our diagnostics of the host's result (the whole set). */
  findings: PlanFinding[];
  questions: PlanQuestion[];
  /** The planner's one-line summaries ("nova-compute.conf:12 cpu_mode custom -> host-passthrough"). */
  summary: string[];
  from: ModeText;
  to: ModeText;
  /** How nova-compute is restarted and read on this host (detected like the host commands do). */
  manager?: ServiceManager;
  /** Every member of the set, as read, in Nova's read order (for the verification's diagnostics). */
  set?: Array<{ path: string; sha256: string }>;
}

export interface RolloutPreview {
  change: CpuModeChange;
  configDir: string;
  sudo: boolean;
  /** In the order the rollout goes, by name (Ansible's `order: sorted`): hosts[0] is the canary. */
  hosts: HostPreview[];
  /** Set when any host's verdict is error: nothing may be written; says which hosts and why. */
  blocked?: string;
  /** Nova release the results were judged for ("Zed (26)"). */
  release: string;
  targets: RolloutTarget[];
}

export interface RolloutOptions {
  /** Hosts in the first batch (default 1). */
  canary?: number;
  /** Hosts per later batch (Ansible's serial; default 5). */
  batchSize?: number;
  /** With the ssh executor: hosts changed at once within a batch (default 4). */
  parallel?: number;
  /** Roll back every host written when any host fails (default true). */
  rollback?: boolean;
  /** Change nothing: Ansible's --check --diff; the ssh executor re-reads and compares. */
  dryRun?: boolean;
  /** Wait this long for each host's verdict (default 120 s: several nova-computes share the CPU). */
  verifyTimeoutMs?: number;
}

export type RolloutStep = 'check' | 'write' | 'restart' | 'verify' | 'rollback' | 'connect';

/** Per-host progress, in the order it happens; `at` is Date.now() when the event was seen. */
export type RolloutEvent =
  | { kind: 'batch'; at: number; index: number; hosts: string[]; canary: boolean }
  | { kind: 'started'; at: number; host: string }
  | { kind: 'written'; at: number; host: string; files: Array<{ path: string; backup: string }> }
  | { kind: 'restarted'; at: number; host: string; ms: number }
  /** Nova's verdict from its own log since the restart; `line` is the log line that decided. */
  | { kind: 'verified'; at: number; host: string; ok: boolean; outcome: string; summary: string; line?: string }
  | { kind: 'failed'; at: number; host: string; step: RolloutStep; message: string; novaLines?: string[] }
  | { kind: 'rolled-back'; at: number; host: string; ok: boolean; summary: string }
  /** A dry run's per-host result (Ansible --check --diff: would it change?). */
  | { kind: 'checked'; at: number; host: string; changed: boolean; diff?: string };

export type HostState = 'applied' | 'unchanged' | 'failed' | 'rolled-back' | 'rollback-failed' | 'untouched' | 'checked';

export interface SummaryRow {
  host: string;
  from: ModeText;
  to: ModeText;
  /** The restart command: ok, failed, or not run. */
  restart: 'ok' | 'failed' | 'not run';
  /** Nova's verdict (the verification's summary, Nova's own words on a failure), or why none. */
  nova: string;
  /** The nova-compute log line that decided the verdict, as logged. */
  novaLine?: string;
  /** After a rollback: the verdict on the restored config. */
  rollback?: string;
  /** From started to verified (or failed) on this host. */
  ms: number;
  rolledBack: boolean;
  state: HostState;
  /** With state failed (or rolled back after failing): the step that failed. */
  failedStep?: RolloutStep;
}

export interface RolloutSummary {
  ok: boolean;
  executor: 'ansible' | 'ssh';
  dryRun: boolean;
  rows: SummaryRow[];
  /** The host whose failure stopped the rollout. */
  stoppedAt?: string;
  /** One paragraph for the user. */
  message: string;
  /** Wall time of the whole run, and of the executor's own program (ansible-playbook) when there is one. */
  ms: number;
  engineMs?: number;
}

/**
 * What an executor does for the orchestration. `apply` goes through the batches in order and
 * stops after the first batch in which a host failed; `rollback` restores what `apply` wrote.
 * Both report through `emit` only; the orchestration builds the summary from the events.
 */
export interface RolloutExecutor {
  readonly name: 'ansible' | 'ssh';
  apply(preview: RolloutPreview, batches: HostPreview[][], emit: (e: RolloutEvent) => void, opts: RolloutOptions): Promise<void>;
  rollback(preview: RolloutPreview, hosts: HostPreview[], emit: (e: RolloutEvent) => void, opts: RolloutOptions): Promise<void>;
  /** Wall time spent in the executor's own program (for the bench), when it has one. */
  engineMs?(): number;
  /** Called once when the rollout ends (temp files, connections). */
  close?(): Promise<void>;
}
