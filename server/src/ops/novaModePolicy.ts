/**
 * What a cpu_mode does with cpu_models and cpu_model_extra_flags, per Nova release
 * (docs/rules/nova.md). The planner removes what is forbidden (nova-compute
 * would refuse to start, or every guest build would fail) and asks about what is ignored.
 */
import { TRAIN } from '../novaconf/messages';
import { majorOf } from '../knowledge/nova/releases';

export type Use = 'used' | 'forbidden' | 'ignored';

export interface PolicyInput {
  major: number;
  mode: string;
  virtType: string;
  /** Whether this release has cpu_model_extra_flags at all (Queens 17 on). */
  hasFlags: boolean;
}

const QUEENS = majorOf('queens');
const kvmQemu = (virtType: string) => virtType === 'kvm' || virtType === 'qemu';

/**
 * cpu_models (cpu_model before Train) with a mode other than custom: refused at start-up from
 * Train on (`_check_cpu_compatibility`, every mode including none); before Train refused when a
 * guest is built, except with cpu_mode none (or none by default off kvm/qemu), which returned
 * before looking at the model.
 */
export function modelsUse(p: PolicyInput): Use {
  if (p.mode === 'custom') return 'used';
  if (p.major >= TRAIN) return 'forbidden';
  return p.mode === 'none' || !kvmQemu(p.virtType) ? 'ignored' : 'forbidden';
}

/**
 * cpu_model_extra_flags: dropped silently under none; Queens applied them only with custom
 * (a WARNING otherwise); a release without the option ignores the key. No mode forbids them.
 */
export function flagsUse(p: PolicyInput): Use {
  if (!p.hasFlags || p.mode === 'none') return 'ignored';
  if (p.major === QUEENS && p.mode !== 'custom') return 'ignored';
  return 'used';
}

/** Why something is ignored, in words for the question. */
export function ignoredWhy(option: 'models' | 'flags', p: PolicyInput): string {
  if (option === 'flags' && !p.hasFlags) return 'this Nova release has no cpu_model_extra_flags and ignores the key';
  if (option === 'flags' && p.mode !== 'none') return 'Queens applies extra flags only with cpu_mode = custom (it logs "Setting extra CPU flags is only valid in combination with a custom CPU model")';
  return `with cpu_mode = ${p.mode} Nova asks libvirt for no CPU model and ignores it`;
}
