/** Findings for one domain model: document-level problems, then every rule. */
import type { Deadline } from '../core/deadline';
import type { Finding } from '../core/findings';
import type { Knowledge } from '../knowledge/knowledge';
import type { DomainModel } from './model';
import { Reporter } from './report';
import { RULES } from './rules/index';
import { mapArchOf } from './rules/context';
import { libvirtVersion } from './version';

export function diagnoseDomain(m: DomainModel, k: Knowledge, deadline?: Deadline): Finding[] {
  const r = new Reporter(m.lines);
  if (m.wellFormed) r.findings.push(m.wellFormed);
  const dt = m.scan.doctype;
  if (dt?.declaresEntities) {
    r.add({ code: 'libvirt/xml-entities', at: { start: dt.start, end: Math.min(dt.end, dt.start + 9) }, stage: 'advice', severity: 'warning',
      explanation: 'This DOCTYPE declares entities. A domain XML never needs them; they are the vehicle of entity-expansion attacks ("billion laughs"). They are not expanded here, so values that use them are not checked. Remove the DOCTYPE.' });
  }
  if (!m.domain) return r.findings;
  const ctx = { m, k, v: libvirtVersion(k.settings), r, mapArch: mapArchOf(m.arch) };
  for (const rule of RULES) {
    if (deadline?.expired(`the rule ${rule.name || '(unnamed)'} and the ones after it`)) break;
    rule(ctx);
  }
  return r.finish();
}
