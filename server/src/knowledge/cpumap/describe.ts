/**
 * What hover says about a CPU model or feature, the same facts for nova.conf and domain XML
 * (each kind adds one line on how to use it there). Markdown: names go in code spans, so
 * element names such as `<feature>` survive the renderer.
 */
import type { CpuCatalog, CpuFeature, CpuModel } from './types';
import { releaseYear } from './generations';
import { EXTENSION_NAMES, EXTENSION_VENDORS, vendorExtension } from './vendors';

/** How the document kind adds a feature, for the nested-virtualization line. */
export interface UseHint {
  /** e.g. 'add it to `cpu_model_extra_flags`' or "add `<feature policy='require' name='vmx'/>`". */
  addFeature(name: string): string;
}

/** The model a model builds on: its ancestor in the map, else the previous model of its vendor. */
export function predecessor(cpu: CpuCatalog, model: CpuModel): CpuModel | undefined {
  if (model.ancestor) return cpu.model(model.ancestor, model.arch);
  const models = cpu.models(model.arch).filter((m) => !m.canonicalOf && m.vendor === model.vendor);
  const i = models.findIndex((m) => m.name === model.name);
  return i > 0 ? models[i - 1] : undefined;
}

const code = (names: readonly string[]) => names.map((f) => `\`${f}\``).join(', ');

/**
 * `added`: the features the document adds on top of the model (extra flags, required <feature>s),
 * so the nested-virtualization line says what is true for this document.
 */
export function describeModel(cpu: CpuCatalog, model: CpuModel, added: ReadonlySet<string>, use: UseHint): string {
  const year = releaseYear(model, (n) => cpu.model(n, model.arch));
  const lines = [`**${model.name}** — ${model.vendor ?? 'generic'} CPU model${year ? ` (${year})` : ''}, ${model.features.length} features`];
  if (model.canonicalOf) lines.push('', `Another name for \`${model.canonicalOf}\`.`);
  const prev = predecessor(cpu, model);
  const d = prev && cpu.diff(prev.name, model.name, model.arch);
  if (prev && d && !model.canonicalOf) {
    const shown = d.onlyInB.slice(0, 40);
    lines.push('', `Adds over \`${prev.name}\`: ${shown.length ? code(shown) : 'nothing'}${d.onlyInB.length > shown.length ? ` and ${d.onlyInB.length - shown.length} more` : ''}.`);
    if (d.onlyInA.length) lines.push('', `Lacks from \`${prev.name}\`: ${code(d.onlyInA)}.`);
  }
  if (model.arch === 'x86') lines.push('', nestedLine(model, added, use));
  if (model.removed.length) lines.push('', `Removed by QEMU (libvirt disables them for new guests): ${code(model.removed)}.`);
  if (model.origin !== 'bundled') lines.push('', `Defined in ${model.origin}.`);
  return lines.join('\n');
}

/** Nested virtualization with this model, in this document: the vendor's own flag only. */
function nestedLine(model: CpuModel, added: ReadonlySet<string>, use: UseHint): string {
  const own = vendorExtension(model.vendor);
  const has = (f: string) => model.features.includes(f) || added.has(f);
  if (own) {
    if (model.features.includes(own)) return `Includes \`${own}\` (${EXTENSION_NAMES[own]}): guests can run their own guests.`;
    if (added.has(own)) return `\`${own}\` (${EXTENSION_NAMES[own]}) is added here: guests can run their own guests where the host allows nested virtualization.`;
    return `No \`${own}\`: for nested guests ${use.addFeature(own)} (the host must allow nested virtualization).`;
  }
  if (has('vmx') || has('svm')) return `\`${has('vmx') ? 'vmx' : 'svm'}\` is added here: guests can run their own guests where the host has it and allows nesting.`;
  return `No \`vmx\` or \`svm\`: for nested guests ${use.addFeature('vmx')} on Intel hosts, \`svm\` on AMD hosts.`;
}

/** What the flags operators meet most often are for (cpu_map has names, not descriptions). */
const FLAG_NOTES: Record<string, string> = {
  vmx: 'Intel VT-x: lets the guest run its own virtual machines (nested virtualization).',
  svm: 'AMD-V: lets the guest run its own virtual machines (nested virtualization).',
  pcid: 'Process-context identifiers: makes the Meltdown fix (KPTI) much cheaper. Missing from Nehalem to IvyBridge models.',
  ssbd: 'Speculative Store Bypass Disable (Spectre v4 mitigation, Intel).',
  'virt-ssbd': 'Speculative Store Bypass Disable through the virtual SPEC_CTRL (AMD).',
  'amd-ssbd': 'Speculative Store Bypass Disable (AMD).',
  'amd-no-ssb': 'The AMD CPU is not affected by Speculative Store Bypass.',
  'md-clear': 'Clears CPU buffers on VERW (MDS mitigation); add it to custom models on affected hosts.',
  'spec-ctrl': 'Indirect branch control (IBRS/IBPB, Spectre v2 mitigation, Intel).',
  ibpb: 'Indirect Branch Prediction Barrier (Spectre v2 mitigation, AMD).',
  invtsc: 'Invariant TSC: a constant-rate time stamp counter. Blocks live migration (not migratable).',
  aes: 'AES-NI instructions for fast encryption.',
  avx: 'Advanced Vector Extensions (256-bit SIMD).',
  avx2: 'AVX2 integer SIMD instructions.',
  avx512f: 'AVX-512 foundation instructions.',
  x2apic: 'x2APIC interrupt controller mode; needed for many vCPUs.',
  hypervisor: 'Tells the guest it runs on a hypervisor.',
  pdpe1gb: '1 GiB pages in the guest.',
  'tsc-deadline': 'TSC-deadline timer mode.',
  'sse4.2': 'SSE4.2 instructions (string and CRC32).',
  rdrand: 'Hardware random numbers (RDRAND).',
  rdseed: 'Hardware random seeds (RDSEED).',
  'arch-capabilities': 'Reports which CPU vulnerabilities the CPU is immune to.',
};

/** The flags operators add most: completion ranks them first. */
export const COMMON_FLAGS: ReadonlySet<string> = new Set(['vmx', 'svm', 'pcid', 'spec-ctrl', 'ssbd', 'md-clear', 'pdpe1gb']);

/** `written`: the name as the document spells it (an alias such as sse4-1 gets a line of its own). */
export function describeFeature(cpu: CpuCatalog, f: CpuFeature, written: string): string {
  const lines = [`**${f.name}** — CPU feature (${f.arch})`];
  if (FLAG_NOTES[f.name]) lines.push('', FLAG_NOTES[f.name]);
  if (f.virt) lines.push('', `Part of ${EXTENSION_NAMES[f.virt]}: only ${EXTENSION_VENDORS[f.virt]} CPUs have it.`);
  if (f.name.toLowerCase() !== written.toLowerCase()) lines.push('', `\`${written}\` is another spelling (QEMU's or Linux's); libvirt calls it \`${f.name}\`.`);
  if (!f.migratable) lines.push('', 'Not migratable: a guest with this feature cannot be live-migrated.');
  if (f.aliases.length) lines.push('', `Other spellings: ${code(f.aliases)}.`);
  const models = cpu.models(f.arch).filter((m) => !m.canonicalOf && m.features.includes(f.name));
  lines.push('', models.length ? `Part of ${models.length} models, from \`${models[0].name}\` to \`${models[models.length - 1].name}\`.` : 'Part of no named model: only added by hand.');
  return lines.join('\n');
}
