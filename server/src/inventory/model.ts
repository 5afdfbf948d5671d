/** An inventory as every source yields it (ansible-inventory's JSON, our INI/YAML readers, ssh config, the hosts setting). */

export interface InventoryHost {
  name: string;
  /** ansible_host / ansible_port / ansible_user / ansible_connection, when set. */
  address?: string;
  port?: number;
  user?: string;
  connection?: string;
}

export interface Inventory {
  hosts: Map<string, InventoryHost>;
  /** Group -> its own hosts and child groups, as ansible-inventory lists them. */
  groups: Map<string, { hosts: string[]; children: string[] }>;
}

export class InventoryError extends Error {}

/** The connection vars we use, from a host's merged vars (ansible-inventory's hostvars). */
export function hostOf(name: string, vars: Record<string, unknown>): InventoryHost {
  const h: InventoryHost = { name };
  const str = (k: string) => {
    const v = vars[k];
    return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
  };
  const address = str('ansible_host');
  if (address) h.address = address;
  const port = Number(vars.ansible_port);
  if (Number.isInteger(port) && port > 0 && port < 65536) h.port = port;
  const user = str('ansible_user');
  if (user) h.user = user;
  const connection = str('ansible_connection');
  if (connection) h.connection = connection;
  return h;
}
