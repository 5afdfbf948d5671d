/**
 * `virsh cpu-baseline` for x86, step by step as libvirt computes it (src/cpu/cpu_x86.c:
 * virCPUx86Baseline, x86Decode, x86DataToCPU, x86DecodeUseCandidate, virCPUx86ExpandFeatures),
 * with models=NULL as the test driver calls it: every map model is a candidate. Verified against
 * libvirt 12.8.0 and 9.0.0 (both already use the disabled-feature penalty and preferred-name list).
 */
import type { BaselineResult, HostCpu } from './types';
import type { ResolvedArch, ResolvedModel } from './expand';
import { addBits, decomposeInto, intersectInto, isEmpty, minus, type ArchBits } from './bits';

/** An error as libvirt reports it; `${kind}: ${message}` is what virsh prints after "error: ". */
export class BaselineError extends Error {
  constructor(readonly kind: 'operation failed' | 'internal error' | 'invalid argument' | 'XML error', message: string) {
    super(message);
  }
  get virshMessage(): string {
    return `${this.kind}: ${this.message}`;
  }
}

interface CandidateFeature {
  name: string;
  disable: boolean;
}

export interface BaselineWithDetail extends BaselineResult {
  /** The plain `cpu-baseline` feature list (policy require/disable) in libvirt's order. */
  listed: CandidateFeature[];
}

export function computeBaseline(arch: ResolvedArch, ab: ArchBits, hosts: readonly HostCpu[]): BaselineWithDetail {
  if (hosts.length === 0) throw new BaselineError('invalid argument', 'no host CPUs given');
  // What virsh's XML parser says for a host <cpu> without <model>.
  if (hosts.some((h) => !h.model)) throw new BaselineError('XML error', 'Missing CPU model name');
  const vendorNames = new Set(arch.vendors.map((v) => v.name));
  const findVendor = (name: string): string => {
    if (!vendorNames.has(name)) throw new BaselineError('operation failed', `Unknown CPU vendor ${name}`);
    return name;
  };

  const data = hostData(arch, ab, hosts[0]);
  let vendor: string | undefined;
  let outputVendor = true;
  if (!hosts[0].vendor) outputVendor = false;
  else vendor = findVendor(hosts[0].vendor);

  // Every distinct host model name is "preferred"; a single shared one wins outright.
  const names: string[] = [hosts[0].model];
  for (let i = 1; i < hosts.length; i++) {
    const host = hosts[i];
    if (!names.includes(host.model)) names.push(host.model);
    const hostBits = hostData(arch, ab, host);
    const model = arch.models[ab.modelIndex.get(host.model)!];
    if (host.vendor && model.vendor && host.vendor !== model.vendor) {
      throw new BaselineError('operation failed', `CPU vendor ${model.vendor} of model ${model.name} differs from vendor ${host.vendor}`);
    }
    let vn: string | undefined;
    if (host.vendor) vn = host.vendor;
    else {
      outputVendor = false;
      vn = model.vendor;
    }
    if (vn) {
      if (!vendor) vendor = findVendor(vn);
      else if (vendor !== vn) throw new BaselineError('operation failed', 'CPU vendors do not match');
    }
    intersectInto(data, hostBits);
  }
  if (isEmpty(data)) throw new BaselineError('operation failed', 'CPUs are incompatible');

  const chosen = decode(arch, ab, data, vendor, names);
  const fallback = names.length === 1 && chosen.model.name === names[0] ? 'forbid' : 'allow';

  const require = chosen.features.filter((f) => !f.disable).map((f) => f.name);
  const disable = chosen.features.filter((f) => f.disable).map((f) => f.name);
  const result: BaselineWithDetail = {
    model: chosen.model.name,
    require: [...require].sort(),
    disable: [...disable].sort(),
    fallback,
    expanded: expand(ab, chosen.model, chosen.features),
    listed: chosen.features,
  };
  if (vendor && outputVendor) result.vendor = vendor;
  return result;
}

/** x86ModelFromCPU(host, policy -1): the model's data plus the listed features. */
function hostData(arch: ResolvedArch, ab: ArchBits, host: HostCpu): Uint32Array {
  const mi = ab.modelIndex.get(host.model);
  if (mi === undefined) throw new BaselineError('internal error', `Unknown CPU model ${host.model}`);
  const set = ab.modelBits[mi].slice();
  for (const name of host.features) {
    const fi = ab.featureIndex.get(name);
    if (fi === undefined) throw new BaselineError('internal error', `Unknown CPU feature ${name}`);
    addBits(set, ab.featureBits[fi]);
  }
  return set;
}

interface Candidate {
  model: ResolvedModel;
  features: CandidateFeature[];
}

function decode(arch: ResolvedArch, ab: ArchBits, data: Uint32Array, vendor: string | undefined, preferred: readonly string[]): Candidate {
  let current: Candidate | undefined;
  // Newest models first: the map lists them oldest first.
  for (let i = arch.models.length - 1; i >= 0; i--) {
    const model = arch.models[i];
    if (vendor && model.vendor && model.vendor !== vendor) continue;
    if (!model.decodeGuest) continue;
    const candidate: Candidate = { model, features: candidateFeatures(ab, data, i, model) };
    if (preferred.length === 1 && model.name === preferred[0]) return candidate;
    if (!current || better(current, candidate, preferred.includes(model.name))) current = candidate;
  }
  if (!current) throw new BaselineError('internal error', 'Cannot find suitable CPU model for given data');
  return current;
}

/** x86DataToCPU: extras the data has on top of the model (require), model bits it lacks (disable). */
function candidateFeatures(ab: ArchBits, data: Uint32Array, modelIndex: number, model: ResolvedModel): CandidateFeature[] {
  const modelBits = ab.modelBits[modelIndex];
  const required: string[] = [];
  const disabled: string[] = [];
  decomposeInto(minus(data, modelBits), ab, required);
  decomposeInto(minus(modelBits, data), ab, disabled);
  const features = required.map((name) => ({ name, disable: false }));
  for (const name of disabled) features.push({ name, disable: true });
  addRemoved(features, model);
  return features;
}

/** virCPUx86DisableRemovedFeatures: removed features are listed as disabled unless already mentioned. */
function addRemoved(features: CandidateFeature[], model: ResolvedModel): void {
  for (const name of model.removed) {
    if (!features.some((f) => f.name === name)) features.push({ name, disable: true });
  }
}

/** x86DecodeUseCandidate past its early exits (the test driver has no signature to match). */
function better(current: Candidate, candidate: Candidate, isPreferred: boolean): boolean {
  const cur = cost(current.features);
  const cand = cost(candidate.features);
  if (cand.total < cur.total || (cand.total === cur.total && cand.disabled < cur.disabled)) return true;
  return isPreferred && cand.disabled < cur.disabled;
}

/**
 * virCPUx86CompareCandidateFeatureList, including its quirk: the loop bound `enabled` shrinks as
 * disabled features are found, so trailing disabled features can go uncounted.
 */
function cost(features: CandidateFeature[]): { total: number; disabled: number } {
  let enabled = features.length;
  let disabled = 0;
  let penalty = 2;
  for (let i = 0; i < enabled; i++) {
    if (features[i].disable) {
      enabled--;
      disabled += penalty;
      penalty++;
    }
  }
  return { total: enabled + disabled, disabled };
}

/** virCPUx86ExpandFeatures for a guest CPU: the model's own features, updated by the listed ones. */
function expand(ab: ArchBits, model: ResolvedModel, listed: CandidateFeature[]): string[] {
  const own: string[] = [];
  decomposeInto(ab.modelBits[ab.modelIndex.get(model.name)!].slice(), ab, own);
  const enabled = new Set(own);
  for (const f of listed) {
    if (f.disable) enabled.delete(f.name);
    else enabled.add(f.name);
  }
  return [...enabled].sort();
}
