/**
 * The advice as text (the CLI) or Markdown (the VS Code preview): the hosts × models table, the
 * nova.conf recommendation, what each host loses, the aggregate split and the custom-model route.
 * JSON needs no renderer: it is the Advice object.
 */
import type { Advice, Domain, HostRow } from './types';

type Format = 'text' | 'markdown';

function table(format: Format, head: string[], rows: string[][]): string[] {
  if (format === 'markdown') {
    const cell = (s: string) => s.replace(/\|/g, '\\|');
    return [`| ${head.map(cell).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)];
}

function few(items: string[], n = 4): string {
  return items.length <= n ? items.join(', ') : `${items.slice(0, n).join(', ')} +${items.length - n}`;
}

function cellOf(row: HostRow, model: string): string {
  const u = row.models[model];
  if (u.usable) return 'yes';
  return u.blockers.length ? `no: ${few(u.blockers, 3)}` : 'no';
}

function novaConf(d: Pick<Domain, 'cpu_models' | 'cpu_model_extra_flags'>): string[] {
  const lines = ['[libvirt]', 'cpu_mode = custom', `cpu_models = ${d.cpu_models.join(',')}`];
  if (d.cpu_model_extra_flags.length) lines.push(`cpu_model_extra_flags = ${d.cpu_model_extra_flags.join(',')}`);
  return lines;
}

function baselineLine(d: Domain): string {
  if ('error' in d.baseline) return `libvirt cpu-baseline: error: ${d.baseline.error}`;
  const b = d.baseline;
  const extra = [...b.require, ...b.disable.map((f) => `-${f}`)];
  return `libvirt cpu-baseline: ${b.model}${b.vendor ? ` (${b.vendor})` : ''}${extra.length ? `, ${b.require.length} feature(s) on top, ${b.disable.length} disabled${b.disable.length ? ` (${b.disable.join(', ')})` : ''}` : ''}`;
}

/** One set-cpu-mode line per distinct change, naming its hosts (a rollout consumes hosts[].change instead). */
function applyCommands(a: Advice): string[] {
  const byChange = new Map<string, string[]>();
  for (const r of a.hosts) {
    if (!r.change.models?.length) continue;
    const args = `--mode ${r.change.mode} --models ${r.change.models.join(',')}${r.change.extraFlags?.length ? ` --extra-flags=${r.change.extraFlags.join(',')}` : ''}`;
    const hosts = byChange.get(args);
    if (hosts) hosts.push(r.name); else byChange.set(args, [r.name]);
  }
  if (!byChange.size) return ['# no change runs on every host; see the split'];
  return [...byChange].flatMap(([args, hosts]) => [`# ${few(hosts, 6)}`, `nova-libvirt-cpu set-cpu-mode --host HOST ${args} --dry-run`]);
}

export function renderAdvice(a: Advice, format: Format = 'text'): string {
  const md = format === 'markdown';
  const h = (s: string) => (md ? `### ${s}` : `${s}:`);
  const code = (lines: string[]) => (md ? ['```ini', ...lines, '```'] : lines.map((l) => `  ${l}`));
  const sh = (lines: string[]) => (md ? ['```sh', ...lines, '```'] : lines.map((l) => `  ${l}`));
  const out: string[] = [];

  out.push(h(`Hosts × candidate models (${a.hosts.length} host${a.hosts.length === 1 ? '' : 's'}; "no: …" are the features the host lacks)`));
  out.push(...table(format, ['host', 'vendor', 'host CPU', ...a.candidates], a.hosts.map((r) => [r.name, r.vendor ?? '?', r.model, ...a.candidates.map((m) => cellOf(r, m))])));
  out.push('');

  out.push(h(a.hosts.length === 1 ? 'Recommendation' : `Recommendation: one migration domain for all ${a.hosts.length} hosts`));
  if (a.fleet.cpu_models.length) out.push(...code(novaConf(a.fleet)));
  else out.push(md ? '**No single CPU model runs on every host.**' : '  no single CPU model runs on every host');
  out.push(`${md ? '' : '  '}${baselineLine(a.fleet)}`);
  for (const p of a.fleet.poor) out.push(`${md ? '- ' : '  poor: '}${p}`);
  out.push('');

  out.push(h('What each host loses against host-passthrough (with its recommended CPU)'));
  out.push(...table(format, ['host', 'lost', 'instruction-set extensions lost'], a.hosts.map((r) => [r.name, String(r.loses.length), r.losesNotable.length ? few(r.losesNotable, 8) : '-'])));
  out.push('');

  if (a.split) {
    out.push(h(`Split into ${a.split.aggregates.length} host aggregates by CPU generation`));
    out.push(...table(format, ['aggregate', 'hosts', 'cpu_models', 'cpu_model_extra_flags'], a.split.aggregates.map((g) => [g.name, few(g.hosts, 4), g.cpu_models.join(',') || '-', g.cpu_model_extra_flags.join(',') || '-'])));
    out.push(...sh(a.split.commands));
    for (const n of a.split.notes) out.push(`${md ? '- ' : '  '}${n}`);
    out.push('');
  }

  if (a.customModel) {
    const c = a.customModel;
    out.push(h(`Custom-model route: ${c.name}`));
    out.push(`${md ? '' : '  '}${c.why}`);
    out.push(md ? `\`/usr/share/libvirt/cpu_map/${c.file}\`:` : `  /usr/share/libvirt/cpu_map/${c.file}:`);
    out.push(...(md ? ['```xml', ...c.xml.trimEnd().split('\n'), '```'] : c.xml.trimEnd().split('\n').map((l) => `    ${l}`)));
    out.push(`${md ? '' : '  '}index.xml: ${c.indexInclude}`);
    out.push(...code(novaConf(c)));
    out.push('');
  }

  out.push(h('Apply, host by host (set-cpu-mode backs up, restarts nova-compute and verifies; --dry-run shows the diff first)'));
  out.push(...sh(applyCommands(a)));
  out.push('');

  if (a.notes.length) {
    out.push(h('Notes'));
    for (const n of a.notes) out.push(`${md ? '- ' : '  '}${n}`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}
