/**
 * Where host commands run. One interface, two implementations: local (the extension host runs
 * on the compute node: a Remote-SSH window, code-server on the node, or the CLI there) and
 * OpenSSH to a named host. No vscode import: the editor, the CLI and tests share it.
 *
 * Commands are argument arrays, never shell text: a model name or path from the user is one
 * argv element whatever it contains. Only the OpenSSH runner builds a remote command line, with
 * the one quoting function (hosts/shellQuote.ts).
 */

export interface RunOptions {
  /** Bytes for the command's standard input (e.g. a file's new content). */
  stdin?: string | Buffer;
  /** Kill the command (its whole process group) after this long; the result then has `timedOut`. Default 120 s. */
  timeoutMs?: number;
  /** Kill the command when its stdout exceeds this; the result then has `error`. Default 64 MiB. */
  maxOutputBytes?: number;
  /**
   * Run as root: nothing when already root, else `sudo -n` first; when sudo needs a password, the
   * runner asks through `askPassword` once per operation (see hosts/sudo.ts for the whole rule).
   */
  sudo?: boolean;
  /**
   * The waiting loop this command is one poll of (e.g. "nova-compute's verdict"): its log entry
   * carries the label, so the command log can fold the loop into one line (hosts/logFolding.ts).
   */
  poll?: string;
}

export interface RunResult {
  argv: string[];
  /** Exit status; null when killed by a signal or when the command could not start. */
  code: number | null;
  signal: string | null;
  stdout: Buffer;
  stderr: Buffer;
  ms: number;
  timedOut?: boolean;
  /** The command (or ssh) could not be started or the connection failed: why, in the tool's words. */
  error?: string;
}

/** One line of the command log (the VS Code output channel, the CLI's --verbose): secrets never appear. */
export interface CommandLogEntry {
  host: string;
  argv: string[];
  code: number | null;
  signal: string | null;
  ms: number;
  /** First lines of stderr when the command failed. */
  stderr?: string;
  /** RunOptions.poll of the command: one poll of a waiting loop. */
  poll?: string;
}

export interface RunnerHooks {
  /** Called for every command run, after it ends. */
  log?(entry: CommandLogEntry): void;
  /**
   * Asked when sudo needs a password; resolves undefined when the user cancels. The runner keeps the
   * answer only for the current operation (see `endOperation`), never in settings, logs or argv.
   */
  askPassword?(prompt: string): Promise<string | undefined>;
}

export interface Runner {
  /** 'localhost' for the local runner, else the ssh destination as the user named it. */
  readonly host: string;
  run(argv: string[], opts?: RunOptions): Promise<RunResult>;
  /** Forget the sudo password of the current operation (call when a command finishes or fails). */
  endOperation(): void;
  /** Close shared connections (ssh ControlMaster). */
  close(): Promise<void>;
}
