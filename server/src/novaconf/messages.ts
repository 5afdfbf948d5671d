/**
 * Nova's own words, by release, so users can grep their logs for what we show.
 * Texts are quoted exactly (typos included: they are what the logs say).
 */
import { quotedListRepr, reprValue } from '../core/python';
import { majorOf } from '../knowledge/nova/releases';

export const TRAIN = majorOf('train');
export const WALLABY = majorOf('wallaby');
/** Release the typo "ar not compatible" was fixed in (master after 33). */
const TYPO_FIXED = 34;

/** Exceptions are named after mdev-capable devices, not GPUs, from Xena. */
const XENA = majorOf('xena');

export const novaMessages = {
  explicitModelUnsupported: (virtType: string) =>
    `Config requested an explicit CPU model, but the current libvirt hypervisor '${virtType}' does not support selecting CPU models`,
  modelsWithoutCustom: (major: number) =>
    major >= TRAIN ? 'The cpu_models option is not required when cpu_mode!=custom'
      : 'A CPU model name should not be set when a host CPU model is requested',
  customWithoutModels: (major: number) =>
    major >= TRAIN ? 'The cpu_models option is required when cpu_mode=custom'
      : 'Config requested a custom CPU model, but no model name was provided',
  unknownModel: (model: string, major: number) =>
    `Configured CPU model: ${model} is not correct, or your host CPU arch does not ${major === TRAIN ? 'suuport' : 'support'} this model. Please correct your config and try again.`,
  /**
   * Startup host comparison of a model with the extra flags (27+); the libvirt reason follows in the log.
   * A long flag list is cut like any quoted value: the text is repeated in each flag's finding.
   */
  modelAndFlagsIncompatible: (model: string, flags: string[], major: number) =>
    `Configured CPU model: ${model} and CPU Flags ${quotedListRepr(flags)} ${major >= TYPO_FIXED ? 'are' : 'ar'} not compatible with host CPU. Please correct your config and try again.`,
  /** 20..26: each flag compared with the host model on its own. */
  flagIncorrect: (flag: string) =>
    `Configured extra flag: ${flag} it not correct, or the host CPU does not support this flag. Please correct the config and try again.`,
  queensFlagsIgnored:
    "Setting extra CPU flags is only valid in combination with a custom CPU model. Refer to the 'nova.conf' documentation for '[libvirt]/cpu_model_extra_flags'",
  cpusetEmpty: (what: string, raw: string) => `No CPUs available after parsing ${what} config, ${reprValue(raw)}`,
  cpusetsNotDisjoint: "The '[compute] cpu_dedicated_set' and '[compute] cpu_shared_set' configuration options must be disjoint.",
  reservedHostCpus: "The 'reserved_host_cpus' config option cannot be defined alongside the '[compute] cpu_shared_set' or '[compute] cpu_dedicated_set' options. Unset 'reserved_host_cpus'.",
  pinSetWithDedicated: "The 'vcpu_pin_set' config option has been deprecated and cannot be defined alongside '[compute] cpu_dedicated_set'. Unset 'vcpu_pin_set'.",
  pinSetWithShared:
    "The '[compute] cpu_shared_set' and 'vcpu_pin_set' config options have both been defined. While 'vcpu_pin_set' is defined, it will continue to be used to configure the specific host CPUs used for 'VCPU' inventory, while '[compute] cpu_shared_set' will only be used for guest emulator threads when 'hw:emulator_threads_policy=shared' is defined in the flavor. This is legacy behavior and will not be supported in a future release. If you wish to define specific host CPUs to be used for 'VCPU' or 'PCPU' inventory, you must migrate the 'vcpu_pin_set' config option value to '[compute] cpu_shared_set' and '[compute] cpu_dedicated_set', respectively, and undefine 'vcpu_pin_set'.",
  pinSetOnly:
    "The 'vcpu_pin_set' config option has been deprecated and will be removed in a future release. When defined, 'vcpu_pin_set' will be used to calculate 'VCPU' inventory and schedule instances that have 'VCPU' allocations. If you wish to define specific host CPUs to be used for 'VCPU' or 'PCPU' inventory, you must migrate the 'vcpu_pin_set' config option value to '[compute] cpu_shared_set' and '[compute] cpu_dedicated_set', respectively, and undefine 'vcpu_pin_set'.",
  /** oslo.config's warnings, as oslo.log's report_deprecated_feature logs them ("Deprecated: " first). */
  deprecatedName: (old: string, oldGroup: string, name: string, group: string) =>
    `Deprecated: Option "${old}" from group "${oldGroup}" is deprecated. Use option "${name}" from group "${group}".`,
  /** The whole line when we know the reason exactly (Nova 26's data), else its grep-able start. */
  deprecatedForRemoval: (name: string, group: string, reason?: string) => reason === undefined
    ? `Option "${name}" from group "${group}" is deprecated for removal`
    : `Deprecated: Option "${name}" from group "${group}" is deprecated for removal${reason ? ` (${reason})` : ''}.  Its value may be silently ignored in the future.`,
  vtpmVirtType: (virtType: string) => `vTPM support requires '[libvirt] virt_type' of 'qemu' or 'kvm'; found '${virtType}'.`,
  fileBackedVirtType: (virtType: string) =>
    `Running Nova with file_backed_memory and virt_type ${virtType} is not supported. file_backed_memory is only supported with qemu and kvm types.`,
  fileBackedRatio: 'Running Nova with file_backed_memory requires ram_allocation_ratio configured to 1.0',
  fileBackedReserved:
    "'[libvirt] file_backed_memory', which represents total memory reported to placement, must be greater than reserved memory configured via '[DEFAULT] reserved_host_memory_mb'",
  fileBackedReservedWarning:
    "Reserving memory via '[DEFAULT] reserved_host_memory_mb' is not compatible with file-backed memory. Consider setting '[DEFAULT] reserved_host_memory_mb' to 0. This will be an error in a future release.",
  lxcWithoutUserns:
    "Running libvirt-lxc without user namespaces is dangerous. Containers spawned by Nova will be run as the host's root user. It is highly suggested that user namespaces be used in a public or multi-tenant environment.",
  cpu0PowerManaged: 'CPU0 is in cpu_dedicated_set, but it is not eligible for state management and will be ignored',
  parallelPostCopyQemu: (version: string) => `Nova requires QEMU version ${version} or greater to use live migration parallel connections with post-copy.`,
  tunnelledAndTls:
    "Setting both 'live_migration_tunnelled' and 'live_migration_with_native_tls' at the same time is invalid. If you have the relevant libvirt and QEMU versions, and TLS configured in your environment, pick 'live_migration_with_native_tls'.",
  rbdForceRaw:
    "'[DEFAULT]/force_raw_images = False' is not allowed with '[libvirt]/images_type = rbd'. Please check the two configs and if you really do want to use rbd as images_type, set force_raw_images to True.",
  maxDiskDevicesZero:
    '[compute]max_disk_devices_to_attach has been set to 0, which will prevent instances from being able to boot. Set -1 for unlimited or set >= 1 to limit the maximum number of disk devices.',
  /** InvalidLibvirtGPUConfig (up to 23) / InvalidLibvirtMdevConfig (24+), raised building the driver. */
  mdevConfig: (reason: string, major: number) =>
    `Invalid configuration for ${major >= XENA ? 'mdev-capable devices' : 'GPU devices'}: ${reason}`,
  /** 23-28: a type without addresses, with two or more types: only the first type is used. */
  mdevTypeUnused: (type: string, first: string, major: number) => major >= XENA
    ? `The mdev type '${type}' was listed in '[devices] enabled_mdev_types' but no corresponding '[mdev_${type}]' group or '[mdev_${type}] device_addresses' option was defined. Only the first type '${first}' will be used.`
    : `The vGPU type '${type}' was listed in '[devices] enabled_vgpu_types' but no corresponding '[vgpu_${type}]' group or '[vgpu_${type}] device_addresses' option was defined. Only the first type '${first}' will be used.`,
  /** 29+: a second type without addresses is dropped (the double space is Nova's). */
  mdevDefaultTaken: (defaultType: string, type: string) => `Mdev type default already set to  ${defaultType} so ${type} will not be used.`,
  enforceMultipath: "The 'volume_use_multipath' option should be 'True' when the 'volume_enforce_multipath' option is 'True'.",
};
