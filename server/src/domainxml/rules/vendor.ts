/**
 * Vendor awareness: a `<feature>` the guest CPU's vendor never has (svm or npt on an Intel model,
 * vmx or vmx-ept on an AMD one; knowledge/cpumap/vendors.ts). The guest's vendor is <vendor> when
 * it names one libvirt knows, else the model's. `<vendor>` against the model is in cpu.ts.
 */
import { attr, child, childrenNamed } from '../scan';
import { valueSpan } from '../report';
import type { RuleContext } from './context';
import { EXTENSION_NAMES, EXTENSION_VENDORS, foreignExtension, vendorExtension } from '../../knowledge/cpumap/vendors';

/** Policies that put the feature into the guest CPU (a missing policy is 'require'). */
const ADDS = new Set(['require', 'force']);

export function vendorRules(ctx: RuleContext): void {
  const { model, knowledge, report } = ctx;
  const cpu = model.cpu;
  if (!cpu || ctx.mapArch !== 'x86' || (attr(cpu, 'mode')?.value ?? 'custom') !== 'custom') return;
  const cpuModel = knowledge.catalog.model(child(cpu, 'model')?.text.trim() ?? '', 'x86');
  if (!cpuModel) return;
  const named = child(cpu, 'vendor')?.text.trim();
  const fromVendor = named !== undefined && knowledge.catalog.vendors('x86').includes(named);
  const vendor = fromVendor ? named : cpuModel.vendor;
  const own = vendorExtension(vendor);
  if (!own) return;
  const features = childrenNamed(cpu, 'feature');
  const listed = new Set(features.map((f) => attr(f, 'name')?.value));
  for (const f of features) {
    const nameA = attr(f, 'name');
    if (!nameA || !ADDS.has(attr(f, 'policy')?.value ?? 'require')) continue;
    const feature = knowledge.catalog.feature(nameA.value, 'x86');
    const foreign = feature && foreignExtension(feature, vendor);
    if (!foreign || !feature) continue;
    const whose = fromVendor ? `the guest CPU is ${vendor}'s (<vendor>)` : `${cpuModel.name} is ${vendor}'s model`;
    const swap = feature.name === foreign && !listed.has(own);
    report.add({
      code: 'libvirt/cpu-feature-wrong-vendor', at: valueSpan(nameA), stage: 'vm start', severity: 'warning',
      explanation: `<feature name='${feature.name}'> asks for ${EXTENSION_NAMES[foreign]}, which only ${EXTENSION_VENDORS[foreign]} CPUs have, but ${whose}. ` +
        (fromVendor
          ? `Only ${vendor} hosts can run this guest, and they never have ${feature.name}: the guest fails to start wherever libvirt checks the CPU against the host (check other than 'none').`
          : `On ${vendor} hosts the guest fails to start wherever libvirt checks the CPU against the host; it runs only on a host of the other vendor that can run ${cpuModel.name}.`) +
        (feature.name === foreign ? ` For nested guests on ${vendor} hosts the feature is ${own}.` : ''),
      fixes: swap ? [{ title: `Change to ${own}`, preferred: true, edits: [report.edit(valueSpan(nameA), own)] }] : [],
    });
  }
}
