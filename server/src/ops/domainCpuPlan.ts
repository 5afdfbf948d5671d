/**
 * The domain `<cpu>` mode planner: from `virsh dumpxml --inactive` output and the wanted mode,
 * a new `<cpu>` element; every byte outside it stays as it was, and inside it every kept child
 * keeps its text. Pure: no I/O. What each mode keeps:
 * - topology, numa, feature (a modification in every mode), maxphysaddr, cache (but
 *   cache mode='passthrough' only under host-passthrough/maximum) are kept;
 * - host-passthrough/maximum: libvirt drops <model> and <vendor>, so they go; match goes;
 * - host-model: match goes; on x86 a <model> is replaced by the host's at start (a question);
 * - custom: needs a <model> (given or already there); migratable goes (host-passthrough and
 *   maximum only);
 * - check goes on a mode change: dumpxml writes the old mode's default, and qemu fills in the
 *   new mode's (none for host-passthrough/maximum, partial for host-model...).
 * Nova-managed domains are flagged: Nova rewrites their XML on hard reboot (use planNovaCpuMode).
 */
import { createHash } from 'node:crypto';
import { LineIndex } from '../core/lineIndex';
import type { Knowledge } from '../knowledge/knowledge';
import { buildModel } from '../domainxml/model';
import { attr, child, type XmlAttr, type XmlElement } from '../domainxml/scan';
import { applySplices, eolOf, type Splice } from './splices';
import type { DomainCpuChange, DomainCpuMode, DomainPlan, PlanQuestion } from './types';
import { judge } from './validate';

const MODES: readonly string[] = ['host-passthrough', 'host-model', 'custom', 'maximum'] satisfies DomainCpuMode[];
/** cpu_map model names; nothing that would need escaping in XML. */
const MODEL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

const isBlank = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Start of the blank run before `at` (not before `floor`): removing a child takes its indentation. */
function blankRunStart(text: string, at: number, floor: number): number {
  let s = at;
  while (s > floor && isBlank(text[s - 1])) s--;
  return s;
}

/** The indentation of the line `at` is on, when only blanks precede it there. */
function indentOf(text: string, at: number): string {
  let s = at;
  while (s > 0 && (text[s - 1] === ' ' || text[s - 1] === '\t')) s--;
  return s === 0 || text[s - 1] === '\n' || text[s - 1] === '\r' ? text.slice(s, at) : '';
}

const attrEnd = (a: XmlAttr) => a.valueEnd + (a.quoted ? 1 : 0);

interface CpuEdit {
  /** Replacement of the whole <cpu> element, or a new one with where it goes. */
  splice: Splice;
  summary: string[];
  questions: PlanQuestion[];
  problem?: string;
}

/** The start tag with `mode` set and the attributes the new mode does not take left out. */
function startTag(text: string, cpu: XmlElement, mode: string, dropped: ReadonlySet<string>, selfClose: boolean): string {
  let out = text.slice(cpu.start, cpu.nameEnd);
  const modeA = attr(cpu, 'mode');
  const q = modeA && modeA.quoted ? text[modeA.valueStart - 1] : cpu.attrs[0]?.quoted ? text[cpu.attrs[0].valueStart - 1] : "'";
  if (!modeA) out += ` mode=${q}${mode}${q}`;
  let prev = cpu.nameEnd;
  for (const a of cpu.attrs) {
    const lead = text.slice(prev, a.nameStart);
    prev = attrEnd(a);
    if (dropped.has(a.name)) continue;
    out += lead + (a === modeA ? `${text.slice(a.nameStart, a.valueStart)}${mode}${text.slice(a.valueEnd, attrEnd(a))}` : text.slice(a.nameStart, attrEnd(a)));
  }
  const tail = text.slice(prev, cpu.openEnd).replace(/\/?>$/, '');
  return out + tail + (selfClose ? '/>' : '>');
}

function planCpu(text: string, cpu: XmlElement, change: DomainCpuChange, arch: string): CpuEdit {
  const summary: string[] = [];
  const questions: PlanQuestion[] = [];
  const oldMode = attr(cpu, 'mode')?.value ?? 'custom';
  const target = change.mode;
  const passthrough = target === 'host-passthrough' || target === 'maximum';
  const model = child(cpu, 'model');
  const modelName = model?.text.trim() ?? '';

  const droppedAttrs = new Set<string>();
  const dropAttr = (name: string, why: string) => {
    const a = attr(cpu, name);
    if (a && !droppedAttrs.has(name)) { droppedAttrs.add(name); summary.push(`removed ${name}='${a.value}' (${why})`); }
  };
  if (target !== 'custom') dropAttr('match', `libvirt drops match under ${target}`);
  if (!passthrough) dropAttr('migratable', 'libvirt allows migratable only for host-passthrough and maximum');
  if (target !== oldMode) dropAttr('check', `the ${oldMode} default; libvirt fills in the one for ${target}`);
  if (target !== oldMode) summary.unshift(`<cpu> mode ${oldMode} -> ${target}`);

  const drops = new Set<XmlElement>();
  const drop = (el: XmlElement | undefined, why: string) => {
    if (!el || drops.has(el)) return;
    drops.add(el);
    summary.push(`removed ${text.slice(el.start, el.end).replace(/\s+/g, ' ')} (${why})`);
  };
  let keepModel = !!model;
  if (passthrough) { drop(model, `libvirt drops <model> under ${target}`); keepModel = false; }
  if (target === 'host-model' && model && /^(x86_64|i686)$/.test(arch)) {
    const id = 'remove-model';
    const yes = change.answers?.[id] ?? true;
    questions.push({ id, defaultAnswer: true, text: `<model>${modelName}</model> is not used under host-model on ${arch}: libvirt gives the guest the host's CPU model when it starts. Remove it?` });
    if (yes) { drop(model, 'not used under host-model (answered)'); keepModel = false; }
  }
  if (!keepModel) drop(child(cpu, 'vendor'), '<vendor> needs a <model>');
  const cache = child(cpu, 'cache');
  if (!passthrough && attr(cache, 'mode')?.value === 'passthrough') drop(cache, "libvirt refuses \"CPU cache mode 'passthrough' can only be used with 'host-passthrough' / 'maximum' CPUs\"");

  const nl = eolOf(text);
  const indent = indentOf(text, cpu.start);
  const firstKept = cpu.children.find((c) => !drops.has(c));
  const childIndent = firstKept ? indentOf(text, firstKept.start) || `${indent}  ` : `${indent}  `;
  const inner: Splice[] = [];
  for (const el of drops) inner.push({ start: blankRunStart(text, el.start, cpu.openEnd), end: el.end, text: '' });

  if (target === 'custom') {
    if (change.model && model && modelName !== change.model) {
      summary.push(`<model> ${modelName || '(empty)'} -> ${change.model}`);
      inner.push(model.selfClosing
        ? { start: model.start, end: model.end, text: `${text.slice(model.start, model.openEnd).replace(/\s*\/>$/, '>')}${change.model}</model>` }
        : { start: model.textStart, end: model.textEnd, text: change.model });
    } else if (change.model && !model) {
      summary.push(`added <model fallback='allow'>${change.model}</model>`);
      const at = cpu.children[0] ? blankRunStart(text, cpu.children[0].start, cpu.openEnd) : cpu.openEnd;
      inner.push({ start: at, end: at, text: `${nl}${childIndent}<model fallback='allow'>${change.model}</model>` });
    } else if (!modelName) {
      return { splice: { start: 0, end: 0, text: '' }, summary, questions, problem: "mode='custom' needs a CPU model: name one (a model from `virsh domcapabilities` / cpu_map)." };
    }
  }

  // Rebuild: new start tag, the content with its edits, the old end tag (or a self-closing tag).
  const contentEnd = cpu.selfClosing ? cpu.openEnd : cpu.closeStart;
  let content = applySplices(text.slice(0, contentEnd), inner).slice(cpu.openEnd);
  if (cpu.selfClosing && content) content += nl + indent;
  const selfClose = content.trim() === '';
  const element = selfClose
    ? startTag(text, cpu, target, droppedAttrs, true)
    : startTag(text, cpu, target, droppedAttrs, false) + content + (cpu.selfClosing ? '</cpu>' : text.slice(cpu.closeStart, cpu.end));
  return { splice: { start: cpu.start, end: cpu.end, text: element }, summary, questions };
}

/** A new <cpu> for a domain without one: after <features>, else <os>, else <vcpu>. */
function newCpu(text: string, domain: XmlElement, change: DomainCpuChange): CpuEdit {
  if (change.mode === 'custom' && !change.model) return { splice: { start: 0, end: 0, text: '' }, summary: [], questions: [], problem: "mode='custom' needs a CPU model: name one (a model from `virsh domcapabilities` / cpu_map)." };
  const after = child(domain, 'features') ?? child(domain, 'os') ?? child(domain, 'vcpu') ?? domain.children.at(-1);
  const nl = eolOf(text);
  const indent = after ? indentOf(text, after.start) : '  ';
  const element = change.mode === 'custom'
    ? `<cpu mode='custom' match='exact'>${nl}${indent}${indent || '  '}<model fallback='allow'>${change.model}</model>${nl}${indent}</cpu>`
    : `<cpu mode='${change.mode}'/>`;
  const at = after ? after.end : domain.openEnd;
  return { splice: { start: at, end: at, text: `${nl}${indent}${element}` }, summary: [`added ${element.replace(/\s+/g, ' ')}`], questions: [] };
}

function refusedPlan(refused: string, novaManaged = false, name?: string): DomainPlan {
  return { edits: [], questions: [], findings: [], refused, summary: [], novaManaged, name };
}

/**
 * Plans a domain's CPU mode change on `xml` (virsh dumpxml --inactive output). `path` names the
 * document in the plan (a file, or the domain). The libvirt version comes from knowledge.settings.
 */
export function planDomainCpuMode(xml: string, change: DomainCpuChange, knowledge: Knowledge, path = 'domain.xml'): DomainPlan {
  if (!MODES.includes(change.mode)) return refusedPlan(`<cpu mode>: '${String(change.mode)}' is not a libvirt CPU mode (host-passthrough, host-model, custom, maximum).`);
  if (change.model !== undefined && !MODEL_NAME.test(change.model)) return refusedPlan(`<cpu><model>: ${JSON.stringify(change.model)} is not a CPU model name (letters, digits, '_', '.', '-').`);
  const m = buildModel(xml, new LineIndex(xml));
  const name = child(m.domain, 'name')?.text.trim() || undefined;
  const novaManaged = m.novaMetadata !== undefined;
  if (!m.domain) return refusedPlan('Not a libvirt domain: the root element is not <domain>.');
  if (m.wellFormed) return refusedPlan(`Not well-formed XML: ${m.wellFormed.upstream ?? m.wellFormed.explanation}`, novaManaged, name);

  const plan = m.cpu ? planCpu(xml, m.cpu, change, m.arch) : newCpu(xml, m.domain, change);
  if (plan.problem) return refusedPlan(plan.problem, novaManaged, name);
  const questions = [...plan.questions];
  let novaRefusal: string | undefined;
  if (novaManaged) {
    const id = 'apply-to-nova-managed';
    questions.unshift({ id, defaultAnswer: false, text: `${name ?? 'This domain'} is managed by OpenStack Nova: Nova rebuilds its XML from nova.conf and the flavor on hard reboot, resize, rebuild and migration, so this change would not last. Change [libvirt] cpu_mode in nova.conf instead. Apply to this domain anyway?` });
    if (change.answers?.[id] !== true) novaRefusal = `Not applied: ${name ?? 'the domain'} is Nova-managed (metadata ${m.novaMetadata!.name}); Nova would overwrite the change. Change nova.conf, or answer ${id} = yes.`;
  }
  const after = applySplices(xml, [plan.splice]);
  const edits = after === xml ? [] : [{ path, before: xml, after, sha256: createHash('sha256').update(xml).digest('hex') }];
  const verdict = judge([{ path, text: after }], () => [{ path, text: xml }], knowledge, 'domain-xml');
  const refused = [novaRefusal, verdict.refused].filter(Boolean).join('\n') || undefined;
  return { edits, questions, findings: verdict.findings, refused, summary: plan.summary.length ? plan.summary : ['nothing to change'], novaManaged, name };
}
