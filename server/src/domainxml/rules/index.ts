/** All domain XML rules, in libvirt's parse order (so the first error matches what virsh prints first). */
import type { Rule } from './context';
import { vcpuRules } from './vcpu';
import { cputuneRules } from './cputune';
import { cpuRules } from './cpu';
import { hugepageRules, memoryDeviceRules, memorySizeRule, numaRules } from './numa';
import { numatuneRules } from './numatune';
import { nameRules } from './names';
import { novaRules } from './nova';
import { hostRules } from './host';
import { vendorRules } from './vendor';

export const RULES: Rule[] = [novaRules, vcpuRules, cputuneRules, cpuRules, vendorRules, numaRules, memorySizeRule, hugepageRules, memoryDeviceRules, numatuneRules, nameRules, hostRules];
