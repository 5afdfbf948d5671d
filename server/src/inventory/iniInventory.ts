/**
 * Ansible's INI inventory, read by us only when Ansible is not installed (ansible-inventory is
 * the reader otherwise). The `ini` package does not fit: Ansible's INI is not key=value sections
 * but host lines (`name k=v k="v w" # comment`, shell-quoted), `[g:children]` and `[g:vars]`
 * sections, host ranges and Python-literal values. This follows ansible-core 2.14's
 * plugins/inventory/ini.py line by line, with its error messages.
 */
import { InventoryError, type Inventory } from './model';
import { InventoryData, hostsOfPattern } from './inventoryData';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_LINE = /^([^:\]\s]+)\s*(?:#.*)?$/;

/** POSIX shlex.split with comments=True, as Ansible splits a host line; throws "No closing quotation". */
export function shlexSplit(line: string): string[] {
  const out: string[] = [];
  let cur: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (/\s/.test(c)) { if (cur !== undefined) { out.push(cur); cur = undefined; } continue; }
    if (c === '#' && cur === undefined) break;
    cur ??= '';
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('No closing quotation');
      cur += line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\')) j++;
        cur += line[j];
      }
      if (j >= line.length) throw new Error('No closing quotation');
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new Error('No escaped character');
      cur += line[++i];
    } else cur += c;
  }
  if (cur !== undefined) out.push(cur);
  return out;
}

/** Python's ast.literal_eval for the scalars an inventory holds (ints, floats, quoted strings, True/False/None); anything else stays text. */
export function literalValue(v: string): unknown {
  const t = v.trim();
  if (/^[-+]?(0|[1-9]\d*)$/.test(t)) return Number(t);
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(t) && /[.eE]/.test(t)) return Number(t);
  if (t === 'True') return true;
  if (t === 'False') return false;
  if (t === 'None') return null;
  const q = /^(['"])(.*)\1$/s.exec(t);
  if (q && !q[2].includes(q[1])) return q[2];
  return v;
}

/** `text` as Ansible's ini plugin reads it; `file` names it in errors as Ansible does ("FILE:LINE: message"). */
export function readIniInventory(text: string, file: string): Inventory {
  const data = new InventoryData();
  let group = 'ungrouped';
  let state = 'hosts';
  const pending = new Map<string, { line: number; state: 'vars' | 'children'; parents: string[] }>();
  const lines = text.split(/\r?\n/);
  let lineno = 0;
  const fail = (message: string): never => { throw new InventoryError(`${file}:${lineno}: ${message}`); };
  const known = new Set(['all', 'ungrouped']);
  for (const raw of lines) {
    lineno++;
    const line = raw.trim();
    if (!line || line[0] === ';' || line[0] === '#') continue;
    const m = SECTION.exec(line);
    if (m) {
      group = m[1];
      state = m[2] ?? 'hosts';
      if (!['hosts', 'children', 'vars'].includes(state)) fail(`Section [${m[1]}:${m[2]}] has unknown type: ${state}`);
      if (!known.has(group)) {
        if (state === 'vars' && !pending.has(group)) pending.set(group, { line: lineno, state: 'vars', parents: [] });
        data.addGroup(group);
        known.add(group);
      }
      const p = pending.get(group);
      if (p && state !== 'vars') {
        if (p.state === 'children') for (const parent of p.parents) data.addChild(parent, group);
        pending.delete(group);
      }
      continue;
    }
    if (line.startsWith('[') && line.endsWith(']')) fail(`Invalid section entry: '${line}'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters`);
    if (state === 'hosts') {
      let tokens: string[];
      try { tokens = shlexSplit(line); } catch (e) { fail(`Error parsing host definition '${line}': ${(e as Error).message}`); }
      tokens = tokens!;
      if (!tokens.length) continue;
      const vars: Record<string, unknown> = {};
      for (const t of tokens.slice(1)) {
        if (!t.includes('=')) fail(`Expected key=value host variable assignment, got: ${t}`);
        const eq = t.indexOf('=');
        vars[t.slice(0, eq)] = literalValue(t.slice(eq + 1));
      }
      let parsed: ReturnType<typeof hostsOfPattern>;
      try { parsed = hostsOfPattern(tokens[0]); } catch (e) { fail((e as Error).message); }
      for (const h of parsed!.names) data.addHost(h, group, { ...(parsed!.port ? { ansible_port: parsed!.port } : {}), ...vars });
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) fail(`Expected key=value, got: ${line}`);
      data.setGroupVars(group, { [line.slice(0, eq).trim()]: literalValue(line.slice(eq + 1).trim()) });
    } else {
      const c = GROUP_LINE.exec(line);
      if (!c) fail(`Expected group name, got: ${line}`);
      const child = c![1];
      if (!known.has(child)) {
        const p = pending.get(child);
        if (p) p.parents.push(group);
        else pending.set(child, { line: lineno, state: 'children', parents: [group] });
      } else data.addChild(group, child);
    }
  }
  for (const [name, p] of pending) {
    if (p.state === 'vars') throw new InventoryError(`${file}:${p.line}: Section [${name}:vars] not valid for undefined group: ${name}`);
    throw new InventoryError(`${file}:${p.line}: Section [${p.parents[p.parents.length - 1]}:children] includes undefined group: ${name}`);
  }
  return data.toInventory();
}
