/**
 * The rollout's Ansible playbooks, generated (pure: no I/O). Written as YAML in its JSON form
 * (YAML 1.2 is a superset of JSON; Ansible's loader reads it), so no value can ever be
 * re-interpreted by YAML's plain-scalar rules (`no`, `1e3`, `0777`...).
 *
 * Everything host-specific comes in as data: each host's planned file content as a file on the
 * controller (`copy: src:`), hashes, backup names and argv lists in a vars file keyed by
 * inventory_hostname. No shell string is built: every command is `command: argv:`.
 *
 * apply:    serial = our batches (canary first), max_fail_percentage 0, order sorted;
 *           per host: hashes still as previewed -> backup (our naming, cp -p, no clobber, checked)
 *           -> write (copy, atomic, owner/mode kept) -> hash checked -> log mark (ours, delegated)
 *           -> restart (the host's service manager argv) -> Nova's verdict (ours, delegated).
 * rollback: per host: restore each backup whose file still differs from it -> hash checked ->
 *           mark -> restart -> verdict.
 * The mark and the verdict are our own code (`nova-libvirt-cpu rollout-step`), run on the
 * controller with delegate_to: localhost and reaching the host over OpenSSH; the verdict is JSON
 * on its stdout, read from Ansible's JSON events (ansibleEvents.ts).
 */

export interface PlaybookFile {
  path: string;
  /** Controller path of the planned content. */
  src: string;
  /** Our backup name for this change (hosts/backupNames.ts). */
  backup: string;
  sha256Before: string;
  sha256After: string;
}

export interface PlaybookHost {
  name: string;
  files: PlaybookFile[];
  /** The host's service manager's restart argv (hosts/services.ts). */
  restart: string[];
  /** Our helper's argv that prints the log mark as JSON. */
  mark: string[];
  /** Our helper's argv that prints Nova's verdict as JSON; `--mark MARK` is appended. */
  verify: string[];
}

export interface PlaybookInput {
  hosts: PlaybookHost[];
  /** Batch sizes in order (Ansible's serial list): [canary, batch, batch...]. */
  serial: number[];
  /** become: true (sudo) for the file and service tasks. */
  become: boolean;
}

/** Task names: the event reader maps them to steps. */
export const TASK = {
  check: 'nlc:check', checkAssert: 'nlc:check-assert', backup: 'nlc:backup', backupCheck: 'nlc:backup-check', backupAssert: 'nlc:backup-assert',
  write: 'nlc:write', written: 'nlc:written', writtenAssert: 'nlc:written-assert', mark: 'nlc:mark', restart: 'nlc:restart', verify: 'nlc:verify',
  rbStat: 'nlc:rb-stat', rbRestore: 'nlc:rb-restore', rbRestored: 'nlc:rb-restored', rbAssert: 'nlc:rb-assert', rbMark: 'nlc:rb-mark', rbRestart: 'nlc:rb-restart', rbVerify: 'nlc:rb-verify',
} as const;

export const APPLY_PLAY = 'nova-libvirt-cpu rollout';
export const ROLLBACK_PLAY = 'nova-libvirt-cpu rollback';

/** The vars file: per host, keyed by inventory name (snake_case for Jinja). */
export function playbookVars(input: PlaybookInput): { nlc_hosts: Record<string, unknown> } {
  const nlc_hosts: Record<string, unknown> = {};
  for (const h of input.hosts) {
    nlc_hosts[h.name] = {
      files: h.files.map((f) => ({ path: f.path, src: f.src, backup: f.backup, sha256_before: f.sha256Before, sha256_after: f.sha256After })),
      restart: h.restart, mark: h.mark, verify: h.verify,
    };
  }
  return { nlc_hosts };
}

const stat = (name: string, path: string, register: string, loop: string) => ({
  name, 'ansible.builtin.stat': { path, checksum_algorithm: 'sha256', get_checksum: true, follow: false }, loop, register,
});

/** Our helper runs on the controller, as the user running ansible-playbook (it reaches the host over OpenSSH). */
const local = { delegate_to: 'localhost', become: false, changed_when: false };
/** --check changes nothing: no restart, so no mark and no verdict. */
const notInCheck = { when: 'not ansible_check_mode' };

/** mark -> restart -> verdict (register: the variables' prefix). */
function restartTasks(names: { mark: string; restart: string; verify: string }, register: string) {
  return [
    { name: names.mark, 'ansible.builtin.command': { argv: '{{ nlc.mark }}' }, register: `${register}_mark`, ...local, ...notInCheck },
    { name: names.restart, 'ansible.builtin.command': { argv: '{{ nlc.restart }}' }, ...notInCheck },
    { name: names.verify, 'ansible.builtin.command': { argv: `{{ nlc.verify + ['--mark', ${register}_mark.stdout] }}` }, register: `${register}_verdict`, ...local, ...notInCheck },
  ];
}

function play(name: string, hosts: string[], become: boolean, tasks: unknown[], extra: Record<string, unknown> = {}) {
  return {
    name, hosts: hosts.join(','), gather_facts: false, become, order: 'sorted', ...extra,
    vars_files: ['vars.json'], vars: { nlc: '{{ nlc_hosts[inventory_hostname] }}' }, tasks,
  };
}

export function applyPlaybook(input: PlaybookInput): unknown[] {
  return [play(APPLY_PLAY, input.hosts.map((h) => h.name), input.become, [
    stat(TASK.check, '{{ item.path }}', 'nlc_before', '{{ nlc.files }}'),
    { name: TASK.checkAssert, 'ansible.builtin.assert': { that: ['item.stat.exists', 'item.stat.checksum == item.item.sha256_before'], fail_msg: '{{ item.item.path }} changed since the preview (sha256 {{ item.stat.checksum | default("absent") }}, previewed {{ item.item.sha256_before }}): nothing written; preview again', quiet: true }, loop: '{{ nlc_before.results }}', loop_control: { label: '{{ item.item.path }}' } },
    // cp -p keeps owner, mode and times; --no-clobber never replaces an earlier backup (checked next).
    { name: TASK.backup, 'ansible.builtin.command': { argv: ['cp', '-p', '--no-clobber', '--', '{{ item.path }}', '{{ item.backup }}'] }, loop: '{{ nlc.files }}', ...notInCheck },
    stat(TASK.backupCheck, '{{ item.backup }}', 'nlc_backup', '{{ nlc.files }}'),
    { name: TASK.backupAssert, 'ansible.builtin.assert': { that: ['item.stat.exists', 'item.stat.checksum == item.item.sha256_before'], fail_msg: 'the backup {{ item.item.backup }} does not hold what {{ item.item.path }} held: nothing written', quiet: true }, loop: '{{ nlc_backup.results }}', loop_control: { label: '{{ item.item.backup }}' }, when: 'not ansible_check_mode' },
    // copy writes a temp file beside the target and renames it (atomic), keeping the target's owner and mode.
    { name: TASK.write, 'ansible.builtin.copy': { src: '{{ item.src }}', dest: '{{ item.path }}', follow: false }, loop: '{{ nlc.files }}' },
    stat(TASK.written, '{{ item.path }}', 'nlc_after', '{{ nlc.files }}'),
    { name: TASK.writtenAssert, 'ansible.builtin.assert': { that: ['item.stat.checksum == item.item.sha256_after'], fail_msg: '{{ item.item.path }} does not hold the planned content after the write', quiet: true }, loop: '{{ nlc_after.results }}', loop_control: { label: '{{ item.item.path }}' }, when: 'not ansible_check_mode' },
    ...restartTasks({ mark: TASK.mark, restart: TASK.restart, verify: TASK.verify }, 'nlc'),
  ], { serial: input.serial, max_fail_percentage: 0 })];
}

export function rollbackPlaybook(input: PlaybookInput): unknown[] {
  return [play(ROLLBACK_PLAY, input.hosts.map((h) => h.name), input.become, [
    stat(TASK.rbStat, '{{ item.path }}', 'nlc_now', '{{ nlc.files }}'),
    // Only a file that no longer holds its previous bytes is restored (a host that failed before its write keeps its file).
    { name: TASK.rbRestore, 'ansible.builtin.copy': { src: '{{ item.item.backup }}', dest: '{{ item.item.path }}', remote_src: true, follow: false }, loop: '{{ nlc_now.results }}', loop_control: { label: '{{ item.item.path }}' }, when: 'item.stat.checksum | default("") != item.item.sha256_before' },
    stat(TASK.rbRestored, '{{ item.path }}', 'nlc_restored', '{{ nlc.files }}'),
    { name: TASK.rbAssert, 'ansible.builtin.assert': { that: ['item.stat.checksum == item.item.sha256_before'], fail_msg: '{{ item.item.path }} is not byte-identical to its backup after the restore', quiet: true }, loop: '{{ nlc_restored.results }}', loop_control: { label: '{{ item.item.path }}' } },
    ...restartTasks({ mark: TASK.rbMark, restart: TASK.rbRestart, verify: TASK.rbVerify }, 'nlc_rb'),
  ])];
}

/** The playbook text: YAML in JSON form, with a comment saying what it is. */
export function playbookText(plays: unknown[], what: string): string {
  return `# ${what}: generated by nova-libvirt-cpu rollout (YAML in its JSON form)\n${JSON.stringify(plays, null, 2)}\n`;
}
