/**
 * Which hardware-virtualization extension a CPU vendor has, and which cpu_map features belong to
 * one: Intel VT-x (`vmx`) on Intel and Zhaoxin/Centaur CPUs, AMD-V (`svm`) on AMD and Hygon CPUs.
 * A CPU has one or the other, never both, so a feature of the other extension is one the vendor's
 * CPUs never have (checked against 61 real hosts in test/unit/cpumap.vendors.test.ts).
 */
import type { RawDataItem } from './rawMap';

export type VirtExtension = 'vmx' | 'svm';

/** CPUID 1 ECX bit 5 (vmx). */
const VMX_BIT = 1 << 5;
/** CPUID 0x80000001 ECX bit 2 (svm). */
const SVM_BIT = 1 << 2;
/** AMD's SVM feature leaf (npt, nrip-save, avic...). */
const SVM_LEAF = 0x8000000a;
/** The VMX capability MSRs (IA32_VMX_BASIC .. IA32_VMX_VMFUNC): libvirt's vmx-* features. */
const VMX_MSR_FIRST = 0x480;
const VMX_MSR_LAST = 0x491;

/** The extension a feature is part of, from its CPUID/MSR data; undefined for every other feature. */
export function virtExtensionOfData(data: readonly RawDataItem[]): VirtExtension | undefined {
  for (const d of data) {
    if (d[0] === 'm') {
      if (d[1] >= VMX_MSR_FIRST && d[1] <= VMX_MSR_LAST) return 'vmx';
    } else if (d[1] === 1 && d[5] & VMX_BIT) return 'vmx';
    else if ((d[1] === 0x80000001 && d[5] & SVM_BIT) || d[1] === SVM_LEAF) return 'svm';
  }
  return undefined;
}

/** By libvirt's vendor names (x86_vendors.xml: Intel, AMD, Hygon, Zhaoxin CentaurHauls); undefined when unknown. */
export function vendorExtension(vendor: string | undefined): VirtExtension | undefined {
  if (!vendor) return undefined;
  if (/^(intel|zhaoxin|centaur|via)\b/i.test(vendor)) return 'vmx';
  if (/^(amd|hygon)\b/i.test(vendor)) return 'svm';
  return undefined;
}

/** The vendors whose CPUs have an extension, for messages ("AMD and Hygon"). */
export const EXTENSION_VENDORS: Record<VirtExtension, string> = { vmx: 'Intel and Zhaoxin', svm: 'AMD and Hygon' };

/** What each extension is called by its vendors, for messages. */
export const EXTENSION_NAMES: Record<VirtExtension, string> = { vmx: 'Intel VT-x', svm: 'AMD-V' };

/**
 * The extension of `feature` when CPUs of `vendor` never have it (svm or npt on an Intel model, vmx
 * or vmx-ept on an AMD one); undefined when they may, or when either side is unknown.
 */
export function foreignExtension(feature: { virt?: VirtExtension }, vendor: string | undefined): VirtExtension | undefined {
  const own = vendorExtension(vendor);
  return own && feature.virt && feature.virt !== own ? feature.virt : undefined;
}
