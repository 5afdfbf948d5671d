/**
 * Every nova.conf rule, table-driven: a config, a release, and the findings expected (code, Nova's
 * exact message where it has one, and the text the finding underlines). `absent` lists codes that
 * must not appear. Cross-option rules quote Nova's message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, rangeText } from '../fixtures/novaconf/helpers';

interface Expect { code: string; upstream?: string; text?: string; severity?: string }
interface Case { name: string; release?: string; conf: string; expect?: Expect[]; absent?: string[] }

const MODELS_NOT_REQUIRED = 'The cpu_models option is not required when cpu_mode!=custom';
const MODELS_REQUIRED = 'The cpu_models option is required when cpu_mode=custom';
const OLD_MODEL_SET = 'A CPU model name should not be set when a host CPU model is requested';
const OLD_NO_MODEL = 'Config requested a custom CPU model, but no model name was provided';
const explicit = (v: string) => `Config requested an explicit CPU model, but the current libvirt hypervisor '${v}' does not support selecting CPU models`;
const unknownModel = (m: string, word = 'support') => `Configured CPU model: ${m} is not correct, or your host CPU arch does not ${word} this model. Please correct your config and try again.`;
const DISJOINT = "The '[compute] cpu_dedicated_set' and '[compute] cpu_shared_set' configuration options must be disjoint.";
const RESERVED = "The 'reserved_host_cpus' config option cannot be defined alongside the '[compute] cpu_shared_set' or '[compute] cpu_dedicated_set' options. Unset 'reserved_host_cpus'.";
const PIN_AND_SHARED = "The '[compute] cpu_shared_set' and 'vcpu_pin_set' config options have both been defined. While 'vcpu_pin_set' is defined, it will continue to be used to configure the specific host CPUs used for 'VCPU' inventory, while '[compute] cpu_shared_set' will only be used for guest emulator threads when 'hw:emulator_threads_policy=shared' is defined in the flavor. This is legacy behavior and will not be supported in a future release. If you wish to define specific host CPUs to be used for 'VCPU' or 'PCPU' inventory, you must migrate the 'vcpu_pin_set' config option value to '[compute] cpu_shared_set' and '[compute] cpu_dedicated_set', respectively, and undefine 'vcpu_pin_set'.";
const PIN_ONLY = "The 'vcpu_pin_set' config option has been deprecated and will be removed in a future release. When defined, 'vcpu_pin_set' will be used to calculate 'VCPU' inventory and schedule instances that have 'VCPU' allocations. If you wish to define specific host CPUs to be used for 'VCPU' or 'PCPU' inventory, you must migrate the 'vcpu_pin_set' config option value to '[compute] cpu_shared_set' and '[compute] cpu_dedicated_set', respectively, and undefine 'vcpu_pin_set'.";
const PIN_AND_DEDICATED = "The 'vcpu_pin_set' config option has been deprecated and cannot be defined alongside '[compute] cpu_dedicated_set'. Unset 'vcpu_pin_set'.";

const CASES: Case[] = [
  // cpu_models with a mode other than custom (None, none, host-model, host-passthrough).
  { name: 'cpu_models with host-model', release: 'zed', conf: '[libvirt]\ncpu_mode = host-model\ncpu_models = Haswell\n', expect: [{ code: 'nova/cpu-models-without-custom', upstream: MODELS_NOT_REQUIRED, text: 'cpu_models = Haswell' }] },
  { name: 'cpu_models with cpu_mode unset', release: 'zed', conf: '[libvirt]\ncpu_models = Haswell\n', expect: [{ code: 'nova/cpu-models-without-custom', upstream: MODELS_NOT_REQUIRED }] },
  { name: 'cpu_models with none (Train+)', release: 'train', conf: '[libvirt]\ncpu_mode = none\ncpu_models = Haswell\n', expect: [{ code: 'nova/cpu-models-without-custom', upstream: MODELS_NOT_REQUIRED }] },
  { name: 'cpu_models with host-passthrough', release: '2024.1', conf: '[libvirt]\ncpu_mode = host-passthrough\ncpu_models = Haswell\n', expect: [{ code: 'nova/cpu-models-without-custom', upstream: MODELS_NOT_REQUIRED }] },
  { name: 'pre-Train: cpu_model with host-model', release: 'rocky', conf: '[libvirt]\ncpu_mode = host-model\ncpu_model = Haswell\n', expect: [{ code: 'nova/cpu-models-without-custom', upstream: OLD_MODEL_SET }] },
  { name: 'pre-Train: cpu_model with none returns before the check', release: 'stein', conf: '[libvirt]\ncpu_mode = none\ncpu_model = Haswell\n', absent: ['nova/cpu-models-without-custom'] },
  { name: 'pre-Train: cpu_models does not exist yet', release: 'stein', conf: '[libvirt]\ncpu_mode = custom\ncpu_model = Haswell\ncpu_models = Haswell\n', expect: [{ code: 'nova/option-not-in-release', text: 'cpu_models' }], absent: ['nova/custom-without-models'] },
  { name: 'empty cpu_models is no models', release: 'zed', conf: '[libvirt]\ncpu_mode = host-model\ncpu_models =\n', absent: ['nova/cpu-models-without-custom'] },
  // Row 4: custom without models.
  { name: 'custom without models', release: 'zed', conf: '[libvirt]\ncpu_mode = custom\n', expect: [{ code: 'nova/custom-without-models', upstream: MODELS_REQUIRED, text: 'custom' }] },
  { name: 'pre-Train: custom without a model', release: 'queens', conf: '[libvirt]\ncpu_mode = custom\n', expect: [{ code: 'nova/custom-without-models', upstream: OLD_NO_MODEL }] },
  // Row 1: a mode other than none with a virt_type other than kvm/qemu.
  { name: 'lxc with host-model', release: 'zed', conf: '[libvirt]\nvirt_type = lxc\ncpu_mode = host-model\n', expect: [{ code: 'nova/cpu-mode-needs-kvm-qemu', upstream: explicit('lxc'), text: 'host-model' }] },
  { name: 'parallels with custom', conf: '[libvirt]\nvirt_type = parallels\ncpu_mode = custom\ncpu_models = Haswell\n', expect: [{ code: 'nova/cpu-mode-needs-kvm-qemu', upstream: explicit('parallels') }] },
  { name: 'lxc with none is fine', conf: '[libvirt]\nvirt_type = lxc\ncpu_mode = none\n', absent: ['nova/cpu-mode-needs-kvm-qemu'] },
  { name: 'lxc with cpu_mode unset is fine', conf: '[libvirt]\nvirt_type = lxc\n', absent: ['nova/cpu-mode-needs-kvm-qemu'] },
  { name: 'pre-Wallaby xen is a valid choice', release: 'victoria', conf: '[libvirt]\nvirt_type = xen\ncpu_mode = host-model\n', expect: [{ code: 'nova/cpu-mode-needs-kvm-qemu', upstream: explicit('xen') }], absent: ['nova/invalid-choice'] },
  // Row 6: model names, case-insensitive, with did-you-mean.
  { name: 'unknown model', release: 'zed', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswel\n', expect: [{ code: 'nova/unknown-cpu-model', upstream: unknownModel('Haswel'), text: 'Haswel', severity: 'error' }] },
  { name: 'Train spelled it suuport', release: 'train', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = Foo\n', expect: [{ code: 'nova/unknown-cpu-model', upstream: unknownModel('Foo', 'suuport') }] },
  { name: "QEMU's max: fatal on x86, usual on AArch64 (we cannot see the host)", release: 'zed', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = max\n', expect: [{ code: 'nova/unknown-cpu-model', severity: 'warning', upstream: unknownModel('max') }] },
  { name: 'POWER models are known too', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = POWER9\n', absent: ['nova/unknown-cpu-model', 'nova/nested-virt-needs-vmx'] },
  { name: 'Wallaby to Yoga quote each flag as written, lowercased', release: 'yoga', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\ncpu_model_extra_flags = +VMXX\n', expect: [{ code: 'nova/unknown-cpu-flag', upstream: 'Configured extra flag: +vmxx it not correct, or the host CPU does not support this flag. Please correct the config and try again.' }] },
  { name: 'model names are case-insensitive', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = haswell, IVYBRIDGE\n', absent: ['nova/unknown-cpu-model'] },
  { name: 'skip_cpu_compare_at_startup skips the name check at start', release: '2023.1', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = Foo\n[workarounds]\nskip_cpu_compare_at_startup = True\n', expect: [{ code: 'nova/unknown-cpu-model', severity: 'warning' }] },
  // Models in an order that hides later ones.
  { name: 'a later model with nothing new is never picked', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell, Haswell-noTSX\n', expect: [{ code: 'nova/cpu-models-order', text: 'Haswell-noTSX' }] },
  { name: 'oldest first is fine', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell-noTSX, Haswell\n', absent: ['nova/cpu-models-order'] },
  // Extra flags: ignored, rejected, unknown, prefixes.
  { name: 'flags are dropped with cpu_mode none', conf: '[libvirt]\ncpu_mode = none\ncpu_model_extra_flags = vmx\n', expect: [{ code: 'nova/extra-flags-ignored', text: 'cpu_model_extra_flags = vmx' }] },
  { name: 'flags are dropped under lxc with the mode unset', conf: '[libvirt]\nvirt_type = lxc\ncpu_model_extra_flags = vmx\n', expect: [{ code: 'nova/extra-flags-ignored' }] },
  { name: 'Queens drops flags outside custom', release: 'queens', conf: '[libvirt]\ncpu_mode = host-model\ncpu_model_extra_flags = pcid\n', expect: [{ code: 'nova/extra-flags-ignored', upstream: "Setting extra CPU flags is only valid in combination with a custom CPU model. Refer to the 'nova.conf' documentation for '[libvirt]/cpu_model_extra_flags'" }] },
  { name: 'Queens allows only five flags', release: 'queens', conf: '[libvirt]\ncpu_mode = custom\ncpu_model = Haswell\ncpu_model_extra_flags = PCID, vmx\n', expect: [{ code: 'nova/invalid-choice', upstream: "Valid values are [pcid, ssbd, virt-ssbd, amd-ssbd, amd-no-ssb], but found 'vmx'" }] },
  { name: 'unknown flag in custom under kvm fails at start (2023.1+ text, with the typo)', release: 'caracal', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\ncpu_model_extra_flags = +vmxx, pcid\n', expect: [{ code: 'nova/unknown-cpu-flag', upstream: "Configured CPU model: Haswell and CPU Flags ['+vmxx', 'pcid'] ar not compatible with host CPU. Please correct your config and try again.", text: 'vmxx', severity: 'error' }] },
  { name: 'master fixed the typo', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\ncpu_model_extra_flags = vmxx\n', expect: [{ code: 'nova/unknown-cpu-flag', upstream: "Configured CPU model: Haswell and CPU Flags ['vmxx'] are not compatible with host CPU. Please correct your config and try again." }] },
  { name: 'Ussuri to Yoga check each flag alone', release: 'yoga', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\ncpu_model_extra_flags = vmxx\n', expect: [{ code: 'nova/unknown-cpu-flag', upstream: 'Configured extra flag: vmxx it not correct, or the host CPU does not support this flag. Please correct the config and try again.' }] },
  { name: 'unknown flag with host-model fails when a guest starts', conf: '[libvirt]\ncpu_mode = host-model\ncpu_model_extra_flags = -foo\n', expect: [{ code: 'nova/unknown-cpu-flag', severity: 'warning', text: 'foo' }] },
  { name: 'flags are case-insensitive; QEMU spellings get the libvirt name', conf: '[libvirt]\ncpu_mode = host-model\ncpu_model_extra_flags = PCID, sse4-1\n', expect: [{ code: 'nova/unknown-cpu-flag', text: 'sse4-1' }] },
  { name: '+/- prefixes only from Wallaby', release: 'victoria', conf: '[libvirt]\ncpu_mode = host-model\ncpu_model_extra_flags = +pcid\n', expect: [{ code: 'nova/cpu-flag-prefix-unsupported', text: '+pcid' }] },
  { name: '+/- prefixes from Wallaby on', release: 'wallaby', conf: '[libvirt]\ncpu_mode = host-model\ncpu_model_extra_flags = +pcid,-ssbd\n', absent: ['nova/cpu-flag-prefix-unsupported', 'nova/unknown-cpu-flag'] },
  { name: 'a flag both required and disabled', conf: '[libvirt]\ncpu_mode = host-model\ncpu_model_extra_flags = vmx,-vmx\n', expect: [{ code: 'nova/conflicting-cpu-flags' }] },
  // Hints.
  { name: 'host-passthrough and live migration', conf: '[libvirt]\ncpu_mode = host-passthrough\n', expect: [{ code: 'nova/host-passthrough-migration', severity: 'information', text: 'host-passthrough' }] },
  { name: 'nested virtualization needs vmx', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n', expect: [{ code: 'nova/nested-virt-needs-vmx', severity: 'hint', text: 'Haswell' }] },
  { name: 'no nested hint with vmx', conf: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\ncpu_model_extra_flags = vmx\n', absent: ['nova/nested-virt-needs-vmx'] },
  // oslo.config values.
  { name: 'virt_type choices are case-sensitive', conf: '[libvirt]\nvirt_type = KVM\n', expect: [{ code: 'nova/invalid-choice', upstream: "Valid values are [kvm, lxc, qemu, parallels], but found 'KVM'", text: 'KVM' }] },
  { name: 'cpu_mode choices are case-sensitive', conf: '[libvirt]\ncpu_mode = Host-Model\n', expect: [{ code: 'nova/invalid-choice', upstream: "Valid values are [host-model, host-passthrough, custom, none], but found 'Host-Model'" }] },
  { name: 'maximum is not a Nova cpu_mode', conf: '[libvirt]\ncpu_mode = maximum\n', expect: [{ code: 'nova/invalid-choice', upstream: "Valid values are [host-model, host-passthrough, custom, none], but found 'maximum'" }] },
  { name: 'an inline comment is part of the value', conf: '[libvirt]\ncpu_mode = custom  # Haswell fleet\ncpu_models = Haswell\n', expect: [{ code: 'nova/inline-comment', text: '# Haswell fleet' }, { code: 'nova/invalid-choice', upstream: "Valid values are [host-model, host-passthrough, custom, none], but found 'custom  # Haswell fleet'" }] },
  { name: 'quoted values are unquoted', conf: '[libvirt]\ncpu_mode = "custom"\ncpu_models = Haswell\n', absent: ['nova/invalid-choice'] },
  { name: 'integer bound', conf: '[libvirt]\nnum_pcie_ports = 40\n', expect: [{ code: 'nova/out-of-range', upstream: 'Should be less than or equal to 28', text: '40' }] },
  { name: 'integer parse', conf: '[DEFAULT]\nreserved_host_cpus = two\n', expect: [{ code: 'nova/invalid-number', upstream: "invalid literal for int() with base 10: 'two'" }] },
  { name: 'float minimum', conf: '[DEFAULT]\ncpu_allocation_ratio = -1\n', expect: [{ code: 'nova/out-of-range', upstream: 'Should be greater than or equal to 0' }] },
  { name: 'integer choices (Python 3.11 repr for Zed)', release: 'zed', conf: '[libvirt]\nrx_queue_size = 300\n', expect: [{ code: 'nova/invalid-choice', upstream: 'Valid values are OrderedDict([(256, None), (512, None), (1024, None)]), but found 300' }] },
  { name: 'boolean', conf: '[workarounds]\nskip_cpu_compare_on_dest = maybe\n', expect: [{ code: 'nova/invalid-boolean', upstream: "Unexpected boolean value 'maybe'" }] },
  { name: 'other Nova options are type-checked too', release: 'zed', conf: '[DEFAULT]\nblock_device_allocate_retries_interval = 0.1\n[glance]\nconnect_retries = x\n', expect: [{ code: 'nova/invalid-number', upstream: "invalid literal for int() with base 10: '0.1'" }, { code: 'nova/invalid-number', upstream: "invalid literal for int() with base 10: 'x'" }] },
  { name: "Python's None among the choices", conf: '[DEFAULT]\npointer_model = mouse\n', expect: [{ code: 'nova/invalid-choice', upstream: "Valid values are [ps2mouse, usbtablet, None], but found 'mouse'" }] },
  { name: 'an empty number is the default', conf: '[libvirt]\nnum_pcie_ports =\n', absent: ['nova/invalid-number'] },
  { name: 'only the last occurrence is read', conf: '[libvirt]\nvirt_type = KVM\nvirt_type = kvm\n', expect: [{ code: 'nova/duplicate-option' }], absent: ['nova/invalid-choice'] },
  // Deprecated, removed and future options.
  { name: 'cpu_model is the old name of cpu_models', release: 'zed', conf: '[libvirt]\ncpu_mode = custom\ncpu_model = Haswell\n', expect: [{ code: 'nova/deprecated-option', upstream: 'Deprecated: Option "cpu_model" from group "libvirt" is deprecated. Use option "cpu_models" from group "libvirt".', text: 'cpu_model' }], absent: ['nova/custom-without-models'] },
  { name: 'an old name is read, with a deprecation warning', conf: '[libvirt]\niscsi_use_multipath = true\n', expect: [{ code: 'nova/deprecated-option', upstream: 'Deprecated: Option "iscsi_use_multipath" from group "libvirt" is deprecated. Use option "volume_use_multipath" from group "libvirt".' }], absent: ['nova/unknown-option'] },
  { name: 'vcpu_pin_set alone (Train+)', release: 'zed', conf: '[DEFAULT]\nvcpu_pin_set = 4-12,^8\n', expect: [{ code: 'nova/vcpu-pin-set-deprecated', severity: 'warning', upstream: PIN_ONLY }] },
  { name: 'removed option', release: 'zed', conf: '[libvirt]\nuse_usb_tablet = true\n', expect: [{ code: 'nova/removed-option', text: 'use_usb_tablet' }] },
  { name: 'removed option still there in its release', release: 'victoria', conf: '[libvirt]\nuse_usb_tablet = true\n', absent: ['nova/removed-option', 'nova/unknown-option'] },
  { name: 'option newer than the release', release: 'rocky', conf: '[compute]\ncpu_dedicated_set = 2-5\n', expect: [{ code: 'nova/option-not-in-release', text: 'cpu_dedicated_set' }] },
  { name: 'deprecated for removal', conf: '[libvirt]\nlive_migration_tunnelled = false\n', expect: [{ code: 'nova/deprecated-for-removal', upstream: 'Option "live_migration_tunnelled" from group "libvirt" is deprecated for removal' }] },
  // Unknown keys and sections.
  { name: 'typo in a [libvirt] key', conf: '[libvirt]\ncpu_modle = custom\n', expect: [{ code: 'nova/unknown-option', text: 'cpu_modle' }] },
  { name: 'option names are case-sensitive', conf: '[libvirt]\nCPU_MODE = custom\n', expect: [{ code: 'nova/unknown-option' }] },
  { name: 'a CPU option in the wrong section', conf: '[DEFAULT]\ncpu_mode = custom\n', expect: [{ code: 'nova/option-in-wrong-section', text: 'cpu_mode' }] },
  { name: 'typo in a section name', conf: '[libvrit]\ncpu_mode = custom\n', expect: [{ code: 'nova/unknown-section', text: 'libvrit' }], absent: ['nova/option-in-wrong-section'] },
  { name: '[default] is not [DEFAULT]', conf: '[default]\nreserved_host_cpus = 2\n', expect: [{ code: 'nova/default-section-case', text: 'default' }], absent: ['nova/option-in-wrong-section'] },
  { name: 'other services’ options in [DEFAULT] are not flagged', conf: '[DEFAULT]\ntransport_url = rabbit://x\ndebug = true\nmy_ip = 10.0.0.1\n[keystone_authtoken]\nauth_url = http://x\n', absent: ['nova/unknown-option', 'nova/unknown-section'] },
  { name: 'unknown [compute] key in Zed (whose full list we have)', release: 'zed', conf: '[compute]\nno_such_option = 1\n', expect: [{ code: 'nova/unknown-option' }] },
  { name: 'unknown [compute] key after Zed may be a newer option', conf: '[compute]\nno_such_option = 1\n', absent: ['nova/unknown-option'] },
  { name: 'keystoneauth options in service groups', release: 'zed', conf: '[neutron]\nauth_url = http://ks:5000\nproject_name = service\n[placement]\nauth_url = http://ks:5000\n', absent: ['nova/unknown-option', 'nova/unknown-section'] },
  { name: 'near-miss of a [DEFAULT] CPU option', conf: '[DEFAULT]\nvcpu_pinset = 1-3\n', expect: [{ code: 'nova/unknown-option' }] },
  // cpusets and their conflicts.
  { name: 'cpuset syntax', conf: '[compute]\ncpu_shared_set = 0-3, 7-5\n', expect: [{ code: 'nova/cpuset-syntax', upstream: "Invalid range expression '7-5'", text: '7-5' }] },
  { name: 'cpuset parses to nothing', conf: '[compute]\ncpu_dedicated_set = 0-1,^0,^1\n', expect: [{ code: 'nova/cpuset-empty', upstream: "No CPUs available after parsing '[compute] cpu_dedicated_set' config, '0-1,^0,^1'" }] },
  { name: 'vcpu_pin_set parses to nothing', conf: '[DEFAULT]\nvcpu_pin_set = ^3\n', expect: [{ code: 'nova/cpuset-empty', upstream: "No CPUs available after parsing 'vcpu_pin_set' config, '^3'" }] },
  { name: 'empty string is unset', conf: '[compute]\ncpu_dedicated_set =\ncpu_shared_set = 0-3\n', absent: ['nova/cpuset-empty', 'nova/cpuset-overlap'] },
  { name: 'shared and dedicated overlap, on the exact ranges', conf: '[compute]\ncpu_shared_set = 0-1,6-7\ncpu_dedicated_set = 2-6,^3\n', expect: [{ code: 'nova/cpuset-overlap', upstream: DISJOINT, text: '6-7' }, { code: 'nova/cpuset-overlap', upstream: DISJOINT, text: '2-6' }] },
  { name: 'exclusions remove the overlap', conf: '[compute]\ncpu_shared_set = 0-3\ncpu_dedicated_set = ^3,2-6,^2\n', absent: ['nova/cpuset-overlap'] },
  { name: 'reserved_host_cpus with cpusets', conf: '[DEFAULT]\nreserved_host_cpus = 2\n[compute]\ncpu_dedicated_set = 2-5\n', expect: [{ code: 'nova/reserved-host-cpus-with-cpusets', upstream: RESERVED }] },
  { name: 'reserved_host_cpus = 0 is allowed', conf: '[DEFAULT]\nreserved_host_cpus = 0\n[compute]\ncpu_dedicated_set = 2-5\n', absent: ['nova/reserved-host-cpus-with-cpusets'] },
  { name: 'reserved_host_cpus with vcpu_pin_set is allowed', conf: '[DEFAULT]\nreserved_host_cpus = 2\nvcpu_pin_set = 2-5\n', absent: ['nova/reserved-host-cpus-with-cpusets'] },
  { name: 'vcpu_pin_set with cpu_dedicated_set', conf: '[DEFAULT]\nvcpu_pin_set = 0-3\n[compute]\ncpu_dedicated_set = 4-7\n', expect: [{ code: 'nova/vcpu-pin-set-with-dedicated', upstream: PIN_AND_DEDICATED }] },
  { name: 'vcpu_pin_set with cpu_shared_set warns (overlap allowed)', conf: '[DEFAULT]\nvcpu_pin_set = 0-3\n[compute]\ncpu_shared_set = 2-5\n', expect: [{ code: 'nova/vcpu-pin-set-with-shared', severity: 'warning', upstream: PIN_AND_SHARED }], absent: ['nova/cpuset-overlap'] },
  { name: 'odd numbers Python accepts', conf: '[compute]\ncpu_shared_set = 1_0,+3\n', expect: [{ code: 'nova/cpuset-odd-number', text: '1_0' }, { code: 'nova/cpuset-odd-number', text: '+3' }] },
  // Other config-only start-up checks.
  { name: 'vTPM needs kvm/qemu', conf: '[libvirt]\nvirt_type = lxc\nswtpm_enabled = true\n', expect: [{ code: 'nova/vtpm-needs-kvm-qemu', upstream: "vTPM support requires '[libvirt] virt_type' of 'qemu' or 'kvm'; found 'lxc'." }] },
  { name: 'file-backed memory needs ratio 1.0 and little reserved memory', conf: '[libvirt]\nfile_backed_memory = 400\n', expect: [{ code: 'nova/file-backed-memory-ratio', upstream: 'Running Nova with file_backed_memory requires ram_allocation_ratio configured to 1.0' }, { code: 'nova/file-backed-memory-reserved', severity: 'error', upstream: "'[libvirt] file_backed_memory', which represents total memory reported to placement, must be greater than reserved memory configured via '[DEFAULT] reserved_host_memory_mb'" }] },
  { name: 'file-backed memory needs kvm/qemu', conf: '[DEFAULT]\nram_allocation_ratio = 1.0\nreserved_host_memory_mb = 0\n[libvirt]\nvirt_type = lxc\nfile_backed_memory = 4096\n', expect: [{ code: 'nova/file-backed-memory-virt-type', upstream: 'Running Nova with file_backed_memory and virt_type lxc is not supported. file_backed_memory is only supported with qemu and kvm types.' }] },
  { name: 'file-backed memory set right', conf: '[DEFAULT]\nram_allocation_ratio = 1.0\nreserved_host_memory_mb = 0\n[libvirt]\nfile_backed_memory = 4096\n', absent: ['nova/file-backed-memory-ratio', 'nova/file-backed-memory-reserved'] },
  { name: 'tunnelled and native TLS', conf: '[libvirt]\nlive_migration_tunnelled = true\nlive_migration_with_native_tls = true\n', expect: [{ code: 'nova/tunnelled-and-native-tls', upstream: "Setting both 'live_migration_tunnelled' and 'live_migration_with_native_tls' at the same time is invalid. If you have the relevant libvirt and QEMU versions, and TLS configured in your environment, pick 'live_migration_with_native_tls'." }] },
  { name: 'rbd needs raw images', conf: '[DEFAULT]\nforce_raw_images = False\n[libvirt]\nimages_type = rbd\n', expect: [{ code: 'nova/rbd-needs-raw-images', upstream: "'[DEFAULT]/force_raw_images = False' is not allowed with '[libvirt]/images_type = rbd'. Please check the two configs and if you really do want to use rbd as images_type, set force_raw_images to True." }] },
  { name: 'enforced multipath needs multipath', release: 'epoxy', conf: '[libvirt]\nvolume_enforce_multipath = true\n', expect: [{ code: 'nova/enforce-multipath-needs-multipath', upstream: "The 'volume_use_multipath' option should be 'True' when the 'volume_enforce_multipath' option is 'True'." }] },
  { name: 'file-backed memory with some reserved memory warns', conf: '[DEFAULT]\nram_allocation_ratio = 1.0\n[libvirt]\nfile_backed_memory = 4096\n', expect: [{ code: 'nova/file-backed-memory-reserved', severity: 'warning', upstream: "Reserving memory via '[DEFAULT] reserved_host_memory_mb' is not compatible with file-backed memory. Consider setting '[DEFAULT] reserved_host_memory_mb' to 0. This will be an error in a future release." }] },
  { name: 'LXC without user namespaces', conf: '[libvirt]\nvirt_type = lxc\n', expect: [{ code: 'nova/lxc-without-user-namespaces', severity: 'warning', upstream: "Running libvirt-lxc without user namespaces is dangerous. Containers spawned by Nova will be run as the host's root user. It is highly suggested that user namespaces be used in a public or multi-tenant environment." }] },
  { name: 'LXC with user namespaces', conf: '[libvirt]\nvirt_type = lxc\nuid_maps = 0:1000:100\ngid_maps = 0:1000:100\n', absent: ['nova/lxc-without-user-namespaces'] },
  { name: 'CPU0 cannot be powered down', conf: '[compute]\ncpu_dedicated_set = 0-7\n[libvirt]\ncpu_power_management = true\n', expect: [{ code: 'nova/cpu0-not-power-managed', upstream: 'CPU0 is in cpu_dedicated_set, but it is not eligible for state management and will be ignored' }] },
  { name: 'tb_cache_size only applies to qemu', conf: '[libvirt]\nvirt_type = kvm\ntb_cache_size = 128\n', expect: [{ code: 'nova/option-unused-for-virt-type', severity: 'hint' }] },
  { name: 'unlimited live migrations deprecated in 2026.1', release: '2026.1', conf: '[DEFAULT]\nmax_concurrent_live_migrations = 0\n', expect: [{ code: 'nova/deprecated-value', text: '0' }] },
  { name: 'unlimited live migrations fine in Zed', release: 'zed', conf: '[DEFAULT]\nmax_concurrent_live_migrations = 0\n', absent: ['nova/deprecated-value'] },
  { name: 'parallel connections with post-copy need a recent QEMU', release: '2026.1', conf: '[libvirt]\nlive_migration_parallel_connections = 4\nlive_migration_permit_post_copy = true\n', expect: [{ code: 'nova/parallel-post-copy-needs-qemu', severity: 'information', upstream: 'Nova requires QEMU version 10.1.0 or greater to use live migration parallel connections with post-copy.' }] },
  // Parse errors and continuation lines.
  { name: 'key before any section', conf: 'cpu_mode = custom\n[libvirt]\n', expect: [{ code: 'nova/key-before-section', upstream: 'Section must be started before assignment: None', text: 'cpu_mode' }] },
  { name: 'comment after a section header', conf: '[libvirt] # CPU\n', expect: [{ code: 'nova/section-not-closed', upstream: "Invalid section (must end with ]): '[libvirt] # CPU'" }] },
  { name: 'IP address placeholder in [vnc]', release: 'zed', conf: '[vnc]\nserver_proxyclient_address = MGMT_IP\n', expect: [{ code: 'nova/invalid-value', upstream: 'MGMT_IP is not a valid host address' }] },
  { name: 'ListOpt item choices', release: 'zed', conf: '[DEFAULT]\nenabled_apis = ec2,osapi_compute,metadata\n', expect: [{ code: 'nova/invalid-choice', upstream: "Valid values are [osapi_compute, metadata], but found 'ec2,osapi_compute,metadata'" }] },
  { name: 'URI without a host', release: 'zed', conf: '[vnc]\nnovncproxy_base_url = http://<host_ip>:6080/vnc_auto.html\n', expect: [{ code: 'nova/invalid-value', upstream: "('host was required but missing', URIReference(scheme='http', authority='<host_ip>:6080', path='/vnc_auto.html', query=None, fragment=None), ['host'])" }] },
  { name: 'HostDomainOpt in [libvirt]', release: 'zed', conf: '[libvirt]\nlive_migration_inbound_addr = bad host!\n', expect: [{ code: 'nova/invalid-value', upstream: 'bad host! is not a valid host address' }] },
  { name: '$option substitution is judged after substituting', release: 'zed', conf: '[DEFAULT]\nmy_ip = 10.0.0.5\n[vnc]\nserver_proxyclient_address = $my_ip\nnovncproxy_base_url = http://$my_ip:6080/vnc_auto.html\n', absent: ['nova/invalid-value'] },
  { name: 'an unset $option is not judged (its default is the host\'s)', release: 'zed', conf: '[vnc]\nserver_proxyclient_address = $my_ip\n', absent: ['nova/invalid-value'] },
  { name: 'MultiStrOpt set twice is two values', release: 'zed', conf: '[pci]\nalias = {"name": "a"}\nalias = {"name": "b"}\n', absent: ['nova/duplicate-option'] },
  { name: 'old name read as an alias is deprecated, not removed', release: 'zed', conf: '[DEFAULT]\nremove_unused_base_images = false\n', expect: [{ code: 'nova/deprecated-option', upstream: 'Deprecated: Option "remove_unused_base_images" from group "DEFAULT" is deprecated. Use option "remove_unused_base_images" from group "image_cache".' }], absent: ['nova/removed-option'] },
  { name: 'old name read as an alias in Ussuri too', release: 'ussuri', conf: '[DEFAULT]\nremove_unused_base_images = false\n', expect: [{ code: 'nova/deprecated-option' }], absent: ['nova/removed-option'] },
  { name: 'an alias value is checked as the new option', release: 'zed', conf: '[DEFAULT]\nremove_unused_base_images = maybe\n', expect: [{ code: 'nova/invalid-boolean', upstream: "Unexpected boolean value 'maybe'" }] },
  { name: 'libvirt_type in [DEFAULT] names its new home', release: 'zed', conf: '[DEFAULT]\nlibvirt_type = qemu\n', expect: [{ code: 'nova/unknown-option', text: 'libvirt_type' }] },
  { name: 'unknown key in [DEFAULT] at Zed', release: 'zed', conf: '[DEFAULT]\nrabbit_host = x\n', expect: [{ code: 'nova/unknown-option' }] },
  { name: 'deprecated for removal outside our catalog, with Nova 26 text', release: 'zed', conf: '[glance]\napi_servers = http://g:9292\n', expect: [{ code: 'nova/deprecated-for-removal' }] },
  { name: 'a Zed-only value error is a warning for another release', release: 'caracal', conf: '[DEFAULT]\nenabled_apis = ec2\n', expect: [{ code: 'nova/invalid-choice', severity: 'warning' }] },
  { name: 'line without separator', conf: '[libvirt]\ncpu_mode custom\n', expect: [{ code: 'nova/not-an-assignment', upstream: "No ':' or '=' found in assignment: 'cpu_mode custom'" }] },
  { name: 'an indented key continues the value above', conf: '[libvirt]\ncpu_mode = custom\n  cpu_models = Haswell\n', expect: [{ code: 'nova/continuation-line', text: 'cpu_models = Haswell' }] },
];

for (const c of CASES) {
  test(`rule: ${c.name}`, () => {
    const result = check(c.conf, c.release ?? '');
    const seen = result.findings.map((f) => `${f.code} ${JSON.stringify(rangeText(result, f))} ${f.upstream ?? ''}`);
    for (const e of c.expect ?? []) {
      const hit = result.findings.find((f) => f.code === e.code && (e.upstream === undefined || f.upstream === e.upstream)
        && (e.text === undefined || rangeText(result, f) === e.text) && (e.severity === undefined || f.severity === e.severity));
      assert.ok(hit, `expected ${JSON.stringify(e)}; got:\n${seen.join('\n')}`);
      assert.ok(hit.explanation.length > 20, 'every finding explains itself');
    }
    for (const code of c.absent ?? []) assert.ok(!result.findings.some((f) => f.code === code), `unexpected ${code}; got:\n${seen.join('\n')}`);
  });
}

test('rule: a release setting not understood is judged as the newest and says nothing on the file (the server says it once)', () => {
  const conf = '[libvirt]\ncpu_mode = host-model\n';
  assert.deepEqual(check(conf, 'banana').findings, check(conf, '').findings);
  assert.deepEqual(check(conf, 'banana').findings.map((f) => f.code), []);
});

test('rule: a clean, realistic compute config has no errors or warnings', () => {
  const r = check(`[DEFAULT]
transport_url = rabbit://nova:secret@ctl:5672/
my_ip = 10.0.0.21
reserved_host_memory_mb = 4096

[compute]
cpu_shared_set = 0-3
cpu_dedicated_set = 4-31

[libvirt]
virt_type = kvm
cpu_mode = custom
cpu_models = Cascadelake-Server-noTSX
cpu_model_extra_flags = vmx, pdpe1gb
`, 'zed');
  assert.deepEqual(r.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code), []);
});

test("rule: Nova's own sample nova.conf (everything commented out) has no findings", async () => {
  const { readFileSync } = await import('node:fs');
  const r = check(readFileSync('test/fixtures/novaconf/nova.conf.sample', 'utf8'), 'zed');
  assert.deepEqual(r.findings.map((f) => f.code), []);
});
