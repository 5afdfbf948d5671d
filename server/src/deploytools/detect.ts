/**
 * Which deployment tool wrote a nova.conf, from what the tools themselves leave behind: Juju's
 * header ("Configuration file maintained by Juju", charmhelpers' templates), Ansible's
 * `# Ansible managed` first line (openstack-ansible's os_nova template starts with
 * `# {{ ansible_managed }}`, then `# Logs / State`), kolla-ansible's paths (it renders
 * /etc/kolla/<service>/nova.conf on the host; the container copies it to /etc/nova/nova.conf per
 * /var/lib/kolla/config_files/config.json; /etc/kolla/config/ holds the operator's overrides),
 * TripleO's /var/lib/config-data/puppet-generated/ tree, and for plain Puppet the agent's own
 * resource list (resources.txt naming nova_config resources). Pure but for `probe`, which reads
 * a local file (the caller decides whether the file system is the node's).
 */

export type DeployToolId = 'juju' | 'openstack-ansible' | 'ansible' | 'kolla-ansible' | 'kolla-overrides' | 'tripleo' | 'puppet';

export interface DeployTool {
  id: DeployToolId;
  /** The tool's name for people. */
  label: string;
  /** What we saw, quoted: the header line or the path. */
  evidence: string;
  /** 0-based line of the evidence in the file (0 when it is the path). */
  line: number;
}

/** Reads a small local file; undefined when it does not exist or cannot be read. */
export type Probe = (path: string) => string | undefined;

/** Headers live in the first lines; never scan a whole (possibly huge) file for them. */
const HEADER_LINES = 12;
/** puppet's resourcefile locations: Puppet's AIO packages, then Debian's puppet package. */
export const PUPPET_RESOURCE_FILES = ['/opt/puppetlabs/puppet/cache/state/resources.txt', '/var/lib/puppet/state/resources.txt'];
export const KOLLA_CONFIG_JSON = '/var/lib/kolla/config_files/config.json';

export function detectDeployTool(path: string, text: string, probe?: Probe): DeployTool | undefined {
  const head = headLines(text);
  const juju = head.findIndex((l) => /maintained by Juju|installed by Juju/i.test(l));
  if (juju >= 0) return { id: 'juju', label: 'Juju (the nova-compute charm)', evidence: head[juju].trim(), line: juju };

  const ansible = head.findIndex((l) => /^#\s*Ansible managed/i.test(l));
  if (ansible >= 0) {
    // os_nova's template: the header, then its own comment lines.
    const osa = /^# Logs \/ State$/m.test(head.join('\n')) || /\/openstack\/venvs\/nova-/.test(text.slice(0, 64 * 1024));
    return osa
      ? { id: 'openstack-ansible', label: 'openstack-ansible (os_nova role)', evidence: head[ansible].trim(), line: ansible }
      : { id: 'ansible', label: 'an Ansible role', evidence: head[ansible].trim(), line: ansible };
  }

  const p = path.replace(/\\/g, '/');
  if (/\/var\/lib\/config-data\/(puppet-generated\/)?nova(_libvirt|_compute)?\/etc\/nova\/[^/]+\.conf$/.test(p)) {
    return { id: 'tripleo', label: 'TripleO (puppet-generated container config)', evidence: path, line: 0 };
  }
  if (/\/etc\/kolla\/config\/(nova|global)[^/]*\.conf$|\/etc\/kolla\/config\/nova\//.test(p)) {
    return { id: 'kolla-overrides', label: 'kolla-ansible (operator overrides)', evidence: path, line: 0 };
  }
  if (/\/etc\/kolla\/nova-[a-z-]+\/nova\.conf$/.test(p)) {
    return { id: 'kolla-ansible', label: 'kolla-ansible', evidence: path, line: 0 };
  }
  if (probe && /^\/etc\/nova\//.test(p)) {
    // Inside a kolla container the file is a copy kolla_set_configs made at start.
    const config = probe(KOLLA_CONFIG_JSON);
    if (config !== undefined && new RegExp(`"dest"\\s*:\\s*"${escapeRe(p)}"`).test(config)) {
      return { id: 'kolla-ansible', label: 'kolla-ansible (copied into the container from /etc/kolla)', evidence: `${KOLLA_CONFIG_JSON} copies ${p}`, line: 0 };
    }
    for (const f of PUPPET_RESOURCE_FILES) {
      const resources = probe(f);
      const hit = resources && /^nova_config\[[^\]]+\]$/im.exec(resources);
      if (hit) return { id: 'puppet', label: 'Puppet (puppet-nova)', evidence: `${f} lists ${hit[0]}`, line: 0 };
    }
  }
  return undefined;
}

function headLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < HEADER_LINES && start <= text.length; i++) {
    const nl = text.indexOf('\n', start);
    out.push(text.slice(start, nl < 0 ? text.length : nl).replace(/\r$/, ''));
    if (nl < 0) break;
    start = nl + 1;
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
