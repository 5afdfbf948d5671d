/**
 * A nova.conf CPU change in the deployment tool's own terms: the variable or override file it
 * reads, and the command that renders and restarts (as each tool's documentation names them).
 * The generated nova.conf is the wrong place to edit: the tool's next run writes it again.
 */
import type { CpuModeChange } from '../ops/types';
import type { DeployTool } from './detect';

export interface ToolChange {
  /** Where the setting goes (a file of the tool's, or the tool's command). */
  where: string;
  /** What to put there. */
  snippet: string[];
  /** The rollout: renders the file and restarts nova-compute on the host. */
  command: string;
  notes: string[];
}

const HOST = 'HOST';
const shq = (s: string) => (/^[A-Za-z0-9_.,:=@%+\/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
const yamlList = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;

/** The [libvirt] lines for an INI override (kolla's merge_configs, OSA's config_template). */
function iniLines(c: CpuModeChange): string[] {
  const lines = ['[libvirt]', `cpu_mode = ${c.mode}`];
  if (c.models) lines.push(`cpu_models = ${c.models.join(',')}`);
  if (c.extraFlags) lines.push(`cpu_model_extra_flags = ${c.extraFlags.join(',')}`);
  return lines;
}

function hieraLines(c: CpuModeChange, indent = ''): string[] {
  const lines = [`${indent}nova::compute::libvirt::cpu_mode: '${c.mode}'`];
  if (c.models) lines.push(`${indent}nova::compute::libvirt::cpu_models: ${yamlList(c.models)}`);
  if (c.extraFlags) lines.push(`${indent}nova::compute::libvirt::cpu_model_extra_flags: '${c.extraFlags.join(',')}'`);
  return lines;
}

export function translateChange(tool: DeployTool, c: CpuModeChange, host = HOST): ToolChange {
  const onlyMode = c.models === undefined && c.extraFlags === undefined;
  switch (tool.id) {
    case 'kolla-ansible':
      return onlyMode
        ? { where: '/etc/kolla/globals.yml', snippet: [`nova_libvirt_cpu_mode: "${c.mode}"`], command: `kolla-ansible reconfigure -i INVENTORY -t nova --limit ${shq(host)}`,
            notes: ['globals.yml applies to every compute node; for this host alone use /etc/kolla/config/nova/HOST/nova.conf with the [libvirt] lines instead.'] }
        : { where: `/etc/kolla/config/nova/${host}/nova.conf`, snippet: iniLines(c), command: `kolla-ansible reconfigure -i INVENTORY -t nova --limit ${shq(host)}`,
            notes: ['kolla merges /etc/kolla/config/nova.conf, then nova/nova-compute.conf, then nova/HOST/nova.conf over its template: the per-host file wins. For every node put the lines in /etc/kolla/config/nova/nova-compute.conf (and nova_libvirt_cpu_mode in globals.yml).'] };
    case 'kolla-overrides':
      return { where: 'this file (a kolla-ansible override)', snippet: iniLines(c), command: `kolla-ansible reconfigure -i INVENTORY -t nova --limit ${shq(host)}`,
        notes: ['Edits here are yours to make: kolla-ansible merges this file into the nodes\' nova.conf at the next reconfigure, which also restarts nova_compute.'] };
    case 'openstack-ansible': {
      const snippet = [`nova_cpu_mode: ${c.mode}`];
      if (!onlyMode) {
        snippet.push('nova_nova_conf_overrides:', '  libvirt:');
        if (c.models) snippet.push(`    cpu_models: "${c.models.join(',')}"`);
        if (c.extraFlags) snippet.push(`    cpu_model_extra_flags: "${c.extraFlags.join(',')}"`);
      }
      return { where: `/etc/openstack_deploy/user_variables.yml (every node) or /etc/openstack_deploy/host_vars/${host}.yml (this one)`, snippet,
        command: `openstack-ansible os-nova-install.yml --limit ${shq(host)}`,
        notes: ['os_nova writes cpu_mode from nova_cpu_mode; cpu_models and cpu_model_extra_flags have no variable of their own and go through nova_nova_conf_overrides. The playbook\'s handler restarts nova-compute.'] };
    }
    case 'ansible':
      return { where: 'the variables or template of the role that renders this file', snippet: iniLines(c), command: `ansible-playbook -i INVENTORY PLAYBOOK --limit ${shq(host)}`,
        notes: ['The header says an Ansible template wrote this file; its next run replaces a hand edit.'] };
    case 'puppet':
      return { where: `Hiera data for ${host} (the nova::compute::libvirt class)`, snippet: hieraLines(c), command: `puppet agent --test   # on ${host}`,
        notes: ['puppet-nova refuses a catalog with cpu_models but a mode other than custom, and custom without models.'] };
    case 'tripleo':
      return { where: 'an environment file passed to openstack overcloud deploy', snippet: ['parameter_defaults:', '  ComputeExtraConfig:', ...hieraLines(c, '    ')],
        command: 'openstack overcloud deploy --templates <your usual -e files> -e cpu-mode.yaml',
        notes: ['TripleO renders this file with puppet-nova inside a container step: ComputeExtraConfig passes the hiera keys to that role. Re-run the deploy with all the environment files you deployed with.'] };
    case 'juju': {
      const args = [`cpu-mode=${c.mode}`];
      if (c.models) args.push(`cpu-models=${c.models.join(',')}`);
      // The charm's cpu-model-extra-flags is space-separated, unlike Nova's comma list.
      if (c.extraFlags) args.push(`cpu-model-extra-flags=${c.extraFlags.join(' ')}`);
      return { where: 'the nova-compute application\'s charm config', snippet: [], command: `juju config nova-compute ${args.map(shq).join(' ')}`,
        notes: ['juju config applies to every unit of the application: hosts that need other models need their own nova-compute application. The charm re-renders nova.conf and restarts nova-compute.'] };
    }
  }
}

/** The warning for a generated file: who writes it, and that a hand edit does not last. */
export function generatedWarning(tool: DeployTool): string {
  if (tool.id === 'kolla-overrides') return `This is a kolla-ansible override file (${tool.evidence}): kolla-ansible merges it into the nodes' nova.conf at the next "kolla-ansible reconfigure -t nova".`;
  return `This nova.conf is written by ${tool.label} (${tool.evidence}): a hand edit is overwritten at its next run.`;
}

/** What the change looks like in the tool, as Markdown/text lines. */
export function toolChangeLines(t: ToolChange): string[] {
  const lines = [`${t.where}:`];
  for (const s of t.snippet) lines.push(`    ${s}`);
  lines.push(`then: ${t.command}`);
  return [...lines, ...t.notes];
}
