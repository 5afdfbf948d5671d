/**
 * Ansible's YAML inventory, read by us only when Ansible is not installed. Parsed by js-yaml with
 * its YAML 1.1 schema (Ansible loads YAML with PyYAML, a 1.1 parser: `yes`, `0755` mean there
 * what they mean to Ansible); the walk follows ansible-core 2.14's plugins/inventory/yaml.py,
 * with its error and warning texts.
 */
import { load, YAML11_SCHEMA } from 'js-yaml';
import { InventoryError, type Inventory } from './model';
import { InventoryData, hostsOfPattern } from './inventoryData';

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
const pyType = (v: unknown) => (Array.isArray(v) ? "<class 'list'>" : typeof v === 'string' ? "<class 'str'>" : typeof v === 'number' ? (Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>") : typeof v === 'boolean' ? "<class 'bool'>" : `<class '${typeof v}'>`);

/** `text` as Ansible's yaml plugin reads it; warnings (groups or keys it skips) go to `warnings`. */
export function readYamlInventory(text: string, file: string, warnings: string[] = []): Inventory {
  let doc: unknown;
  try {
    // json: duplicate keys keep the last value, as PyYAML does (Ansible only warns).
    doc = load(text, { schema: YAML11_SCHEMA, filename: file, json: true });
  } catch (e) {
    throw new InventoryError(`${file}: not YAML: ${(e as Error).message}`);
  }
  if (doc === null || doc === undefined || doc === '') throw new InventoryError(`${file}: Parsed empty YAML file`);
  if (!isMapping(doc)) throw new InventoryError(`${file}: YAML inventory has invalid structure, it should be a dictionary, got: ${pyType(doc)}`);
  if (doc.plugin) throw new InventoryError(`${file}: Plugin configuration YAML file, not YAML inventory: it needs Ansible (ansible-inventory) to be read`);
  const data = new InventoryData();
  const parseGroup = (group: string, body: unknown): string => {
    // Bounded by the document: every level is a mapping of the file; the cycle check is addChild's.
    if (!(isMapping(body) || body === null)) { warnings.push(`Skipping '${group}' as this is not a valid group definition`); return group; }
    data.addGroup(group);
    if (body === null) return group;
    for (const section of ['vars', 'children', 'hosts']) {
      if (typeof body[section] === 'string') body[section] = { [body[section] as string]: null };
      if (section in body && !(isMapping(body[section]) || body[section] === null)) throw new InventoryError(`${file}: Invalid "${section}" entry for "${group}" group, requires a dictionary, found "${pyType(body[section])}" instead.`);
    }
    for (const [key, value] of Object.entries(body)) {
      if (value === null) continue;
      if (!isMapping(value)) { warnings.push(`Skipping key (${key}) in group (${group}) as it is not a mapping, it is a ${pyType(value)}`); continue; }
      if (key === 'vars') data.setGroupVars(group, value);
      else if (key === 'children') for (const [sub, subBody] of Object.entries(value)) data.addChild(group, parseGroup(sub, subBody));
      else if (key === 'hosts') {
        for (const [pattern, vars] of Object.entries(value)) {
          const { names, port } = hostsOfPattern(pattern);
          const hv = isMapping(vars) ? vars : {};
          for (const h of names) data.addHost(h, group, { ...(port ? { ansible_port: port } : {}), ...hv });
        }
      } else warnings.push(`Skipping unexpected key (${key}) in group (${group}), only "vars", "children" and "hosts" are valid`);
    }
    return group;
  };
  for (const [group, body] of Object.entries(doc)) parseGroup(group, body);
  return data.toInventory();
}
