/**
 * Unknown elements and attributes inside our blocks, and repeated single elements.
 * libvirt's parser silently ignores them (only the schema objects), so a typo such as
 * <topologie> or placment= quietly does nothing: we say so, with the likely intended name.
 */
import { SCHEMA, TOP_BLOCKS, type ElemSpec } from '../schema';
import { attr, type XmlAttr, type XmlElement } from '../scan';
import { attrSpan, nameSpan, removalSpan, valueSpan } from '../report';
import { atLeast } from '../version';
import { unitBytes } from '../units';
import type { RuleContext } from './context';
import { quoteValue } from '../../core/findingCap';
import { editDistance } from '../../core/editDistance';

export function nameRules(ctx: RuleContext): void {
  const { model } = ctx;
  if (!model.domain) return;
  // Explicit stack: documents may nest deeply; recursion would overflow.
  const stack: Array<[XmlElement, ElemSpec]> = [];
  for (const c of model.domain.children) {
    const spec = TOP_BLOCKS.includes(c.name) ? SCHEMA[`domain/${c.name}`] : undefined;
    if (spec) stack.push([c, spec]);
  }
  while (stack.length) {
    const [el, spec] = stack.pop()!;
    checkAttrs(ctx, el, spec);
    const counts = new Map<string, number>();
    /** Specs of the child names met so far (60,000 pins would build 60,000 keys). */
    const childSpecs = new Map<string, ElemSpec | undefined>();
    for (const c of el.children) {
      let cs = childSpecs.get(c.name);
      if (cs === undefined && !childSpecs.has(c.name)) {
        cs = spec.children.includes(c.name) ? SCHEMA[`${el.name}/${c.name}`] : undefined;
        childSpecs.set(c.name, cs);
      }
      if (!cs) { unknownChild(ctx, el, c, spec); continue; }
      if (cs.since && !atLeast(ctx.version, cs.since[0], cs.since[1])) {
        ctx.report.add({ code: 'libvirt/unknown-element', at: nameSpan(c), stage: 'schema', tags: ['unnecessary'],
          explanation: `<${c.name}> needs libvirt ${cs.since.join('.')} or later; libvirt ${ctx.version.label} ignores it (its schema rejects it).` });
        continue;
      }
      const n = (counts.get(c.name) ?? 0) + 1;
      counts.set(c.name, n);
      // Elements whose repeats libvirt itself rejects are reported by their block's rules.
      if (n === 2 && cs.once && !SELF_CHECKED.has(`${el.name}/${c.name}`)) {
        ctx.report.add({ code: 'libvirt/duplicate-element', at: nameSpan(c), stage: 'schema', tags: ['unnecessary'],
          explanation: `Only the first <${c.name}> is read; libvirt ignores this one (the schema rejects it).`,
          fixes: [{ title: `Remove the ignored <${c.name}>`, edits: [ctx.report.edit(removalSpan(ctx.model.lines, c), '')] }] });
      }
      stack.push([c, cs]);
    }
  }
}

/** Repeats these blocks' rules report with libvirt's own message. */
const SELF_CHECKED = new Set(['cpu/topology', 'cpu/cache', 'cputune/emulatorpin', 'cputune/emulatorsched', 'domain/cpu', 'domain/numatune']);

function checkAttrs(ctx: RuleContext, el: XmlElement, spec: ElemSpec): void {
  for (const name in spec.attrs) {
    const as = spec.attrs[name];
    if (!as.required || attr(el, name) || (as.since && !atLeast(ctx.version, as.since[0], as.since[1]))) continue;
    // Where libvirt's parser insists too, its rule already reported it with libvirt's message.
    if (ctx.report.reportedAt(nameSpan(el).start)) continue;
    ctx.report.add({ code: 'libvirt/schema-required', at: nameSpan(el), stage: 'schema',
      explanation: `The schema requires ${name} on <${el.name}>: libvirt's parser fills in a default, but 'virsh define --validate' and virt-xml-validate reject it. ${as.doc}` });
  }
  for (const a of el.attrs) {
    if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
    const as = spec.attrs[a.name];
    if (as?.since && !atLeast(ctx.version, as.since[0], as.since[1])) {
      // Version-dependent attributes with their own rule (clusters, limit) are reported there.
      if (!(el.name === 'topology' && a.name === 'clusters') && !(el.name === 'maxphysaddr' && a.name === 'limit')) {
        ctx.report.add({ code: 'libvirt/unknown-attribute', at: attrSpan(a), stage: 'schema', tags: ['unnecessary'],
          explanation: `${a.name} needs libvirt ${as.since.join('.')} or later; libvirt ${ctx.version.label} ignores it.` });
      }
      continue;
    }
    // Units follow the schema's unit pattern; the listed ones are only the common spellings.
    const valid = as?.kind === 'unit' ? unitBytes(a.value) !== undefined : !as?.values || as.values.includes(a.value);
    if (!valid && !reported(ctx, a)) {
      // The parser did not object (or ignores this attribute in this context): only the schema will.
      ctx.report.add({ code: 'libvirt/schema-value', at: valueSpan(a), stage: 'schema',
        explanation: `'${quoteValue(a.value)}' is not a valid ${a.name} (${as!.values!.join(', ')}). libvirt's parser ignores it here, but 'virsh define --validate' and virt-xml-validate reject it.` });
    }
    if (as) continue;
    // The did-you-mean and the list of names only for findings that will be shown.
    if (!ctx.report.keeps('libvirt/unknown-attribute')) { ctx.report.skip('libvirt/unknown-attribute', attrSpan(a)); continue; }
    const known = Object.keys(spec.attrs);
    const near = closest(a.name, known);
    ctx.report.add({ code: 'libvirt/unknown-attribute', at: attrSpan(a), stage: 'schema', tags: ['unnecessary'],
      explanation: `<${el.name}> has no attribute '${quoteValue(a.name)}': libvirt silently ignores it${near ? `. Did you mean '${near}'?` : '.'} Known: ${known.join(', ') || 'none'}.`,
      fixes: near ? [{ title: `Rename to '${near}'`, preferred: true, edits: [ctx.report.edit({ start: a.nameStart, end: a.nameEnd }, near)] }] : undefined });
  }
}

function unknownChild(ctx: RuleContext, parent: XmlElement, c: XmlElement, spec: ElemSpec): void {
  if (!ctx.report.keeps('libvirt/unknown-element')) { ctx.report.skip('libvirt/unknown-element', nameSpan(c)); return; }
  const near = closest(c.name, spec.children);
  const fixes = near ? [{ title: `Rename to <${near}>`, preferred: true, edits: [
    ctx.report.edit(nameSpan(c), near),
    ...(c.selfClosing || c.closeStart >= c.end ? [] : [ctx.report.edit({ start: c.closeStart + 2, end: c.closeStart + 2 + c.name.length }, near)]),
  ] }] : undefined;
  ctx.report.add({ code: 'libvirt/unknown-element', at: nameSpan(c), stage: 'schema', tags: ['unnecessary'],
    explanation: `<${parent.name}> has no child <${quoteValue(c.name)}>: libvirt silently ignores it${near ? `. Did you mean <${near}>?` : '.'} Known: ${spec.children.join(', ') || 'none'}.`,
    fixes });
}

/** True when a rule already reported on this attribute's value (so the schema note would repeat it). */
function reported(ctx: RuleContext, a: XmlAttr): boolean {
  return ctx.report.reportedAt(valueSpan(a).start) || ctx.report.reportedAt(attrSpan(a).start);
}

/** The known name within edit distance 2 (typos), if any. */
export function closest(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase(), 2);
    if (d < bestD) { bestD = d; best = k; }
  }
  return best;
}
