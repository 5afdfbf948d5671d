/**
 * Vendor awareness for [libvirt] cpu_model_extra_flags: a flag that the vendor of every listed
 * cpu_models entry never has (svm or npt with Intel models, vmx or vmx-ept with AMD ones;
 * knowledge/cpumap/vendors.ts). Nova adds the flags to whichever model it picks.
 */
import { EXTENSION_NAMES, EXTENSION_VENDORS, foreignExtension, vendorExtension } from '../../knowledge/cpumap/vendors';
import { read } from './cpu';
import type { Rule } from './context';
import { TRAIN } from '../messages';

const cpuFlagVendor: Rule = function cpuFlagVendor(ctx) {
  const s = read(ctx);
  const cpu = ctx.cpu;
  if (!s || !cpu || s.mode !== 'custom' || !s.flagsEntry || !s.modelsEntry || !/^(kvm|qemu)$/.test(s.virtType)) return;
  const models = s.models.map((i) => cpu.model(i.text, 'x86')).filter((m) => m?.vendor !== undefined);
  const vendors = [...new Set(models.map((m) => m!.vendor!))];
  const exts = new Set(vendors.map(vendorExtension));
  // Models of both extensions (or of a vendor we cannot place): some host may need each flag.
  if (exts.size !== 1 || exts.has(undefined)) return;
  const own = vendorExtension(vendors[0])!;
  // Built when a fix first asks (most lists have no foreign flag).
  let listed: Set<string> | undefined;
  const isListed = (flag: string) => (listed ??= new Set(s.flags.map((f) => f.text.replace(/^[+-]+/, '').toLowerCase()))).has(flag);
  const atStartup = ctx.major >= TRAIN && s.virtType === 'kvm' && !s.skipCompare;
  const entry = s.flagsEntry;
  for (const item of s.flags) {
    // '-flag' disables it: harmless whichever vendor.
    if (item.text.startsWith('-')) continue;
    const bare = item.text.replace(/^\++/, '');
    const feature = cpu.feature(bare, 'x86');
    const foreign = feature && foreignExtension(feature, vendors[0]);
    if (!foreign || !feature) continue;
    const nameStart = item.start + item.text.length - bare.length;
    const modelNames = [...new Set(models.map((m) => m!.name))].join(', ');
    ctx.report({
      code: 'nova/cpu-flag-wrong-vendor', severity: 'warning', range: ctx.span(entry, nameStart, item.end), stage: atStartup ? 'nova-compute start' : 'vm start',
      explanation: `cpu_model_extra_flags ${feature.name} is ${EXTENSION_NAMES[foreign]}, which only ${EXTENSION_VENDORS[foreign]} CPUs have, but cpu_models lists ${vendors.join(', ')} models (${modelNames}). ` +
        (atStartup ? `On ${vendors.join('/')} hosts nova-compute refuses to start: the start-up comparison finds ${feature.name} missing from the host CPU.` : `On ${vendors.join('/')} hosts guests fail to start: the host CPU has no ${feature.name}.`) +
        (feature.name === foreign ? ` For nested guests on ${vendors.join('/')} hosts the flag is ${own}.` : ''),
      fixes: feature.name === foreign && !isListed(own) ? [{ title: `Change to ${own}`, preferred: true, edits: [ctx.edit(entry, nameStart, item.end, own)] }] : [],
    });
  }
};

export const vendorRules: Rule[] = [cpuFlagVendor];
