/**
 * nova/*: what Nova (oslo.config reading nova.conf, nova-compute starting, the libvirt driver
 * building guests) does with a nova.conf. Examples are whole nova.conf files.
 */
import type { CodeKind } from './types';

const DEDICATED_ONLY = '[compute]\ncpu_dedicated_set = 2-7\n';

export const novaCodes = {
  // --- how oslo.config reads the file -----------------------------------------------------------
  'nova/byte-order-mark': {
    stage: 'oslo.config', severity: 'error',
    summary: 'The file starts with a byte-order mark: oslo.config cannot parse it, so nova-compute does not start.',
    explanation: 'Python reads the UTF-8 BOM as part of the first line, so the first section header is not one. Save the file as UTF-8 without BOM.',
    example: { before: '\uFEFF[DEFAULT]\ndebug = true\n', after: '[DEFAULT]\ndebug = true\n' },
  },
  'nova/continuation-line': {
    stage: 'oslo.config', severity: 'warning',
    summary: 'An indented line continues the previous value: the option gets a newline and this text in its value.',
    explanation: 'oslo.config treats any line starting with a space or tab as the continuation of the value above. Remove the indentation.',
    example: { before: '[libvirt]\ncpu_mode = custom\n  cpu_models = Haswell\n', after: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n' },
  },
  'nova/default-section-case': {
    stage: 'oslo.config', severity: 'warning',
    summary: 'Only [DEFAULT] in upper case is the default section: Nova ignores every option under this one.',
    explanation: 'oslo.config reads [default] (any other case) as a separate group named default, which Nova never looks at.',
    example: { before: '[default]\ndebug = true\n', after: '[DEFAULT]\ndebug = true\n' },
  },
  'nova/empty-key': {
    stage: 'oslo.config', severity: 'error',
    summary: 'A line has a value but no option name: oslo.config cannot parse the file, so nova-compute does not start.',
    explanation: 'Every option line is `name = value` (or `name: value`). Add the name, or comment the line out with # at its start.',
    example: { before: '[DEFAULT]\n= true\n', after: '[DEFAULT]\ndebug = true\n' },
  },
  'nova/empty-section-name': {
    stage: 'oslo.config', severity: 'error',
    summary: '`[]` names no section: oslo.config cannot parse the file, so nova-compute does not start.',
    explanation: 'Write the section\'s name between the brackets, e.g. [libvirt].',
    example: { before: '[]\ndebug = true\n', after: '[DEFAULT]\ndebug = true\n' },
  },
  'nova/inline-comment': {
    stage: 'oslo.config', severity: 'warning',
    summary: 'oslo.config has no inline comments: the `# …` is part of the option\'s value.',
    explanation: 'Only a line that starts with # or ; is a comment. Text after the value is kept, so Nova reads e.g. `custom  # pinned` as the mode, which it then rejects. The quick fix moves the comment to its own line.',
    example: { before: '[libvirt]\ncpu_mode = host-model  # safest\n', after: '[libvirt]\n# safest\ncpu_mode = host-model\n' },
  },
  'nova/key-before-section': {
    stage: 'oslo.config', severity: 'error',
    summary: 'An option comes before any [section]: oslo.config cannot parse the file, so nova-compute does not start.',
    explanation: 'Options must follow a section header; add [DEFAULT] (or the right section) above the line.',
    example: { before: 'debug = true\n', after: '[DEFAULT]\ndebug = true\n' },
  },
  'nova/not-an-assignment': {
    stage: 'oslo.config', severity: 'error',
    summary: 'A line is neither `key = value`, a [section] nor a comment: oslo.config cannot parse the file, so nova-compute does not start.',
    explanation: 'Comments must start the line with # or ;. A bare word on its own line is a parse error for the whole file.',
    example: { before: '[DEFAULT]\ndebug\n', after: '[DEFAULT]\ndebug = true\n' },
  },
  'nova/section-not-closed': {
    stage: 'oslo.config', severity: 'error',
    summary: 'A section header does not end with `]`: oslo.config cannot parse the file, so nova-compute does not start.',
    explanation: 'A header is `[name]` and nothing after it on the line (not even a comment).',
    example: { before: '[libvirt\ncpu_mode = host-model\n', after: '[libvirt]\ncpu_mode = host-model\n' },
  },
  'nova/unexpected-continuation': {
    stage: 'oslo.config', severity: 'error',
    summary: 'An indented line continues no value: oslo.config cannot parse the file, so nova-compute does not start.',
    explanation: 'After a blank line, a comment or a section header there is no value to continue. Remove the indentation.',
    example: { before: '[libvirt]\n\n  cpu_mode = host-model\n', after: '[libvirt]\n\ncpu_mode = host-model\n' },
  },

  // --- options: names, sections, releases, duplicates -------------------------------------------
  'nova/deprecated-for-removal': {
    stage: 'oslo.config', severity: 'warning',
    summary: 'The option is deprecated for removal: Nova still reads it, and a later release will ignore it.',
    explanation: 'oslo.config logs a deprecation warning when it reads the option. The rules reference of the option (hover) says what replaces it.',
    upstream: 'Option "…" from group "…" is deprecated for removal…',
    example: { before: '[DEFAULT]\nram_allocation_ratio = 1.0\nuse_cow_images = true\n[libvirt]\ncpu_mode = host-model\nlive_migration_tunnelled = true\n', after: '[DEFAULT]\nram_allocation_ratio = 1.0\nuse_cow_images = true\n[libvirt]\ncpu_mode = host-model\n' },
  },
  'nova/deprecated-option': {
    stage: 'oslo.config', severity: 'warning',
    summary: 'The option (or section) has a new name: Nova still reads the old one, with a deprecation warning.',
    explanation: 'Rename it as the message says; the quick fix does.',
    upstream: 'Deprecated: Option "…" from group "…" is deprecated. Use option "…" from group "…".',
    example: { before: '[devices]\nenabled_mdev_types = nvidia-35\n[vgpu_nvidia-35]\ndevice_addresses = 0000:84:00.0\n', after: '[devices]\nenabled_mdev_types = nvidia-35\n[mdev_nvidia-35]\ndevice_addresses = 0000:84:00.0\n' },
  },
  'nova/duplicate-option': {
    stage: 'oslo.config', severity: 'warning',
    summary: 'The option is set again further down: oslo.config uses the last one, so this line has no effect.',
    explanation: 'Keep one line per option and section.',
    example: { before: '[libvirt]\ncpu_mode = host-passthrough\ncpu_mode = host-model\n', after: '[libvirt]\ncpu_mode = host-model\n' },
  },
  'nova/option-in-wrong-section': {
    stage: 'oslo.config', severity: 'warning',
    summary: 'The option belongs to another section: Nova does not look for it here, so the line is ignored.',
    explanation: 'Move it under the section the message names; the quick fix does.',
    example: { before: '[DEFAULT]\ncpu_mode = host-model\n', after: '[libvirt]\ncpu_mode = host-model\n' },
  },
  'nova/option-not-in-release': {
    stage: 'oslo.config', severity: 'warning',
    summary: 'The option first appears in a later Nova release: the configured release ignores it.',
    explanation: 'Set `novaLibvirtCpu.novaRelease` to the release the compute nodes run; an option that release does not know is ignored by it.',
    example: { before: '[libvirt]\ncpu_power_management = true\n', after: '[libvirt]\n', settings: { novaRelease: 'zed' } },
  },
  'nova/overridden-by-later-file': {
    stage: 'oslo.config', severity: 'hint',
    summary: 'A file read after this one sets the same option: Nova uses that value, so this line has no effect.',
    explanation: "nova-compute reads its files in an order that depends on how it is launched (setting novaConf.launch): without arguments nova.conf, nova-compute.conf, then nova.conf.d/*.conf and nova-compute.conf.d/*.conf; with Debian's and Ubuntu's init script (--config-file for both files) the two directories first. The last value wins.",
    testedIn: 'test/unit/novaconf-configset.test.ts',
  },
  'nova/removed-option': {
    stage: 'oslo.config', severity: 'warning',
    summary: 'The option was removed from Nova: the configured release silently ignores it.',
    explanation: 'The message names the release that removed it and the last one that read it.',
    example: { before: '[libvirt]\ncheck_base_images_interval = 1\nchecksum_base_images = true\n', after: '[libvirt]\n' },
  },
  'nova/unknown-option': {
    stage: 'oslo.config', severity: 'warning',
    summary: 'Nova has no such option in this section: the line is ignored (names are case-sensitive).',
    explanation: 'Often a typo; the message offers the nearest names, and the quick fix renames it.',
    example: { before: '[libvirt]\ncpu_modle = host-model\n', after: '[libvirt]\ncpu_mode = host-model\n' },
  },
  'nova/unknown-section': {
    stage: 'oslo.config', severity: 'warning',
    summary: 'Nova has no such section: every option in it is ignored.',
    explanation: 'Often a typo ([livbirt]); the message offers the nearest section names.',
    example: { before: '[livbirt]\ncpu_mode = host-model\n', after: '[libvirt]\ncpu_mode = host-model\n' },
  },

  // --- option values (oslo.config types) --------------------------------------------------------
  'nova/invalid-boolean': {
    stage: 'oslo.config', severity: 'error',
    summary: 'A boolean option has a value oslo.config does not read as true or false: nova-compute does not start.',
    explanation: 'Booleans are true/false, yes/no, on/off or 1/0 (any case).',
    upstream: 'Unexpected boolean value \'…\'',
    severityNote: 'A warning when the option is known only from Nova 26 (Zed) and the configured release is another.',
    example: { before: '[libvirt]\nswtpm_enabled = maybe\n', after: '[libvirt]\nswtpm_enabled = true\n' },
  },
  'nova/invalid-choice': {
    stage: 'oslo.config', severity: 'error',
    summary: 'The option\'s value is not one of its choices: nova-compute does not start.',
    explanation: 'The message lists the valid values; choices are case-sensitive unless the option says otherwise.',
    upstream: 'Valid values are […], but found \'…\'',
    severityNote: 'A warning when the option is known only from Nova 26 (Zed) and the configured release is another.',
    example: { before: '[libvirt]\ncpu_mode = host\n', after: '[libvirt]\ncpu_mode = host-model\n' },
  },
  'nova/invalid-number': {
    stage: 'oslo.config', severity: 'error',
    summary: 'A numeric option has a value that is not a number: nova-compute does not start.',
    explanation: 'oslo.config reads integers with Python\'s int() and floats with float(); units are not allowed.',
    upstream: ['invalid literal for int() with base 10: \'…\'', 'could not convert string to float: \'…\''],
    severityNote: 'A warning when the option is known only from Nova 26 (Zed) and the configured release is another.',
    example: { before: '[DEFAULT]\nreserved_host_memory_mb = 512MB\n', after: '[DEFAULT]\nreserved_host_memory_mb = 512\n' },
  },
  'nova/invalid-value': {
    stage: 'oslo.config', severity: 'error',
    summary: 'The option\'s value is not of its type: nova-compute does not start.',
    explanation: 'Reported for typed values other than numbers, booleans and choices (URIs, IP addresses, resource classes, patterns).',
    severityNote: 'A warning when the option is known only from Nova 26 (Zed) and the configured release is another.',
    example: { before: '[devices]\nenabled_mdev_types = nvidia-35\n[mdev_nvidia-35]\nmdev_class = vgpu\n', after: '[devices]\nenabled_mdev_types = nvidia-35\n[mdev_nvidia-35]\nmdev_class = VGPU\n' },
  },
  'nova/out-of-range': {
    stage: 'oslo.config', severity: 'error',
    summary: 'A numeric option is outside its range: nova-compute does not start.',
    explanation: 'The message gives the bound oslo.config enforces.',
    upstream: ['Should be greater than or equal to …', 'Should be less than or equal to …'],
    severityNote: 'A warning when the option is known only from Nova 26 (Zed) and the configured release is another.',
    example: { before: '[libvirt]\nlive_migration_downtime = 50\n', after: '[libvirt]\nlive_migration_downtime = 500\n' },
  },
  'nova/deprecated-value': {
    stage: 'advice', severity: 'information',
    summary: 'The value is deprecated: it now means something else than it used to.',
    explanation: 'max_concurrent_live_migrations = 0 ("unlimited") is deprecated since 2026.1 Gazpacho: it now means 1000 green threads, or 5 native threads. Set the number you want.',
    example: { before: '[DEFAULT]\nmax_concurrent_live_migrations = 0\n', after: '[DEFAULT]\nmax_concurrent_live_migrations = 2\n', settings: { novaRelease: '2026.1' } },
  },

  // --- guest CPU: cpu_mode, cpu_models, cpu_model_extra_flags ----------------------------------
  'nova/conflicting-cpu-flags': {
    stage: 'vm start', severity: 'warning',
    summary: 'cpu_model_extra_flags both requires and disables one flag: libvirt refuses the guest CPU.',
    explanation: 'libvirt rejects a CPU definition with the same feature twice. Keep one of them.',
    example: { before: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell-noTSX-IBRS\ncpu_model_extra_flags = +pcid, -pcid\n', after: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell-noTSX-IBRS\ncpu_model_extra_flags = +pcid\n' },
  },
  'nova/cpu-flag-prefix-unsupported': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'A +flag/-flag needs Nova 23 (Wallaby): this release passes the sign to libvirt as part of the name.',
    explanation: 'Before Wallaby the extra flags are bare names, all required. Write the bare name.',
    example: { before: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell-noTSX-IBRS\ncpu_model_extra_flags = +pcid\n', after: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell-noTSX-IBRS\ncpu_model_extra_flags = pcid\n', settings: { novaRelease: 'victoria' } },
  },
  'nova/cpu-mode-needs-kvm-qemu': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'cpu_mode is set with a virt_type other than kvm or qemu: nova-compute refuses to start.',
    explanation: 'Only kvm and qemu guests can have a chosen CPU model. Remove cpu_mode (or set it to none), or use virt_type = kvm or qemu.',
    upstream: "Config requested an explicit CPU model, but the current libvirt hypervisor '…' does not support selecting CPU models",
    example: { before: '[libvirt]\nvirt_type = lxc\ncpu_mode = host-model\nuid_maps = 0:1000:65536\ngid_maps = 0:1000:65536\n', after: '[libvirt]\nvirt_type = lxc\nuid_maps = 0:1000:65536\ngid_maps = 0:1000:65536\n' },
  },
  'nova/cpu-models-order': {
    stage: 'nova runtime', severity: 'warning',
    summary: 'A cpu_models entry can never be picked: an earlier entry has all of its features.',
    explanation: 'Nova uses the first listed model that has the flavor\'s required flags, so list models oldest (fewest features) first.',
    example: { before: '[libvirt]\ncpu_mode = custom\ncpu_models = Skylake-Client-IBRS, Haswell-noTSX-IBRS\n', after: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell-noTSX-IBRS, Skylake-Client-IBRS\n' },
  },
  'nova/cpu-models-without-custom': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'cpu_models is set but cpu_mode is not custom: nova-compute refuses to start.',
    explanation: 'The models are only used with cpu_mode = custom. Set cpu_mode = custom, or remove cpu_models.',
    upstream: 'The cpu_models option is not required when cpu_mode!=custom',
    example: { before: '[libvirt]\ncpu_mode = host-model\ncpu_models = Haswell-noTSX-IBRS\n', after: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell-noTSX-IBRS\n' },
  },
  'nova/custom-without-models': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'cpu_mode = custom without cpu_models: nova-compute refuses to start.',
    explanation: 'custom needs at least one named model (oldest first). Add cpu_models, or use host-model.',
    upstream: 'The cpu_models option is required when cpu_mode=custom',
    example: { before: '[libvirt]\ncpu_mode = custom\n', after: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell-noTSX-IBRS\n' },
  },
  'nova/extra-flags-ignored': {
    stage: 'nova runtime', severity: 'warning',
    summary: 'cpu_model_extra_flags has no effect with this cpu_mode: Nova silently drops the flags.',
    explanation: 'With cpu_mode = none (or unset off kvm/qemu) Nova asks for no CPU model and drops the flags. Set a mode, or remove the flags.',
    example: { before: '[libvirt]\ncpu_mode = none\ncpu_model_extra_flags = pcid\n', after: '[libvirt]\ncpu_mode = host-model\ncpu_model_extra_flags = pcid\n' },
  },
  'nova/generated-file': {
    stage: 'advice', severity: 'information',
    summary: 'A deployment tool writes this nova.conf: a hand edit is overwritten at its next run.',
    explanation: 'Juju, openstack-ansible, kolla-ansible, TripleO and Puppet render nova.conf from their own settings (told by the header, the path, or the tool\'s marker files). Set the CPU options there (nova_libvirt_cpu_mode, nova_cpu_mode / nova_nova_conf_overrides, nova::compute::libvirt::cpu_mode, juju config nova-compute cpu-mode=…) and roll out with the tool.',
    testedIn: 'test/unit/deploytools.test.ts',
  },
  'nova/host-passthrough-migration': {
    stage: 'advice', severity: 'information',
    summary: 'host-passthrough guests can live-migrate only to hosts with the very same CPU.',
    explanation: 'Same model, microcode and kernel. For a mixed fleet use host-model, or custom with a model every host supports.',
    example: { before: '[libvirt]\ncpu_mode = host-passthrough\n', after: '[libvirt]\ncpu_mode = host-model\n' },
  },
  'nova/nested-virt-needs-vmx': {
    stage: 'advice', severity: 'hint',
    summary: 'The custom CPU model has no vmx/svm: guests cannot run their own VMs.',
    explanation: 'Add vmx (Intel) or svm (AMD) to cpu_model_extra_flags if guests need nested virtualization; ignore this otherwise.',
    example: { before: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell-noTSX-IBRS\n', after: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell-noTSX-IBRS\ncpu_model_extra_flags = vmx\n' },
  },
  'nova/cpu-flag-wrong-vendor': {
    stage: 'nova-compute start', severity: 'warning',
    summary: 'A cpu_model_extra_flags flag the vendor of every cpu_models model never has (svm with Intel models, vmx with AMD ones): on that vendor\'s hosts nova-compute refuses to start.',
    explanation: 'Intel VT-x (vmx, vmx-*) exists only on Intel and Zhaoxin CPUs, AMD-V (svm, npt, avic...) only on AMD and Hygon ones. Nova adds the flags to the model it picks, and its start-up comparison with the host fails. For nested guests use the vendor\'s own flag (the fix renames svm to vmx and back).',
    severityNote: 'Stage vm start when nova-compute does not compare at start-up (before Train, not kvm, or skip_cpu_compare_at_startup).',
    example: { before: '[libvirt]\ncpu_mode = custom\ncpu_models = Skylake-Server-IBRS\ncpu_model_extra_flags = svm\n', after: '[libvirt]\ncpu_mode = custom\ncpu_models = Skylake-Server-IBRS\ncpu_model_extra_flags = vmx\n' },
  },
  'nova/unknown-cpu-flag': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'libvirt\'s cpu_map has no CPU feature by this name: nova-compute refuses to start.',
    explanation: 'The flags are libvirt feature names (e.g. pcid, spec-ctrl, sse4.1), not QEMU\'s or Linux\'s spellings. The message offers the nearest names.',
    upstream: ['Configured CPU model: … and CPU Flags … are not compatible with host CPU. Please correct your config and try again.', 'Configured extra flag: … it not correct, or the host CPU does not support this flag. Please correct your config and try again.'],
    severityNote: 'A warning when nova-compute does not compare at start-up (then the guests fail to start).',
    example: { before: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell-noTSX-IBRS\ncpu_model_extra_flags = pcidd\n', after: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell-noTSX-IBRS\ncpu_model_extra_flags = pcid\n' },
  },
  'nova/unknown-cpu-model': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'libvirt\'s cpu_map has no CPU model by this name: nova-compute refuses to start.',
    explanation: 'Names are matched without regard to case. The message offers the nearest names.',
    upstream: 'Configured CPU model: … is not correct, or your host CPU arch does not support this model. Please correct your config and try again.',
    severityNote: 'A warning when nova-compute does not compare at start-up, and for QEMU\'s own `max` (usual on AArch64).',
    example: { before: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswel\n', after: '[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n' },
  },

  // --- host CPU sets -----------------------------------------------------------------------------
  'nova/cpu0-not-power-managed': {
    stage: 'nova-compute start', severity: 'warning',
    summary: 'CPU 0 is in cpu_dedicated_set with the cpu_state power strategy: Linux cannot take it offline, so it is skipped.',
    explanation: 'Leave CPU 0 to the host (out of cpu_dedicated_set), or use the governor strategy.',
    upstream: 'CPU0 is in cpu_dedicated_set, but it is not eligible for state management and will be ignored',
    example: { before: '[compute]\ncpu_dedicated_set = 0-7\n[libvirt]\ncpu_power_management = true\ncpu_power_management_strategy = cpu_state\n', after: '[compute]\ncpu_dedicated_set = 1-7\n[libvirt]\ncpu_power_management = true\ncpu_power_management_strategy = cpu_state\n' },
  },
  'nova/cpuset-empty': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'After its exclusions (^N) the CPU set is empty: nova-compute refuses to start.',
    explanation: 'Leave the option out (or empty) to mean "not configured".',
    upstream: "No CPUs available after parsing … config, '…'",
    example: { before: '[compute]\ncpu_shared_set = 2,^2\n', after: '[compute]\ncpu_shared_set = 2\n' },
  },
  'nova/cpuset-odd-number': {
    stage: 'advice', severity: 'information',
    summary: 'A CPU number is written in a way only Python reads (sign, leading zero, underscore, non-ASCII digit).',
    explanation: 'Nova reads it with Python\'s int(); libvirt and other tools may not. Write plain numbers.',
    example: { before: '[compute]\ncpu_shared_set = 02-07\n', after: '[compute]\ncpu_shared_set = 2-7\n' },
  },
  'nova/cpuset-overlap': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'cpu_shared_set and cpu_dedicated_set share CPUs: nova-compute refuses to start.',
    explanation: 'A host CPU is either shared (unpinned guests) or dedicated (pinned guests), never both.',
    upstream: "The '[compute] cpu_dedicated_set' and '[compute] cpu_shared_set' configuration options must be disjoint.",
    example: { before: '[compute]\ncpu_shared_set = 0-3\ncpu_dedicated_set = 2-7\n', after: '[compute]\ncpu_shared_set = 0-1\ncpu_dedicated_set = 2-7\n' },
  },
  'nova/cpuset-syntax': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'A CPU set is not in Nova\'s cpuset syntax: nova-compute refuses to start.',
    explanation: 'CPU numbers, ranges like 4-7 and exclusions like ^5, separated by commas.',
    upstream: 'Invalid range expression …',
    example: { before: '[compute]\ncpu_shared_set = 0-3;8\n', after: '[compute]\ncpu_shared_set = 0-3,8\n' },
  },
  'nova/reserved-host-cpus-with-cpusets': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'reserved_host_cpus is set together with cpu_shared_set or cpu_dedicated_set: nova-compute refuses to start.',
    explanation: 'With the sets, host CPUs are kept back by leaving them out of both; unset reserved_host_cpus.',
    upstream: "The 'reserved_host_cpus' config option cannot be defined alongside the '[compute] cpu_shared_set' or '[compute] cpu_dedicated_set' options. Unset 'reserved_host_cpus'.",
    example: { before: `[DEFAULT]\nreserved_host_cpus = 2\n${DEDICATED_ONLY}`, after: DEDICATED_ONLY },
  },
  'nova/vcpu-pin-set-deprecated': {
    stage: 'nova-compute start', severity: 'warning',
    summary: 'vcpu_pin_set is deprecated: use [compute] cpu_shared_set (unpinned guests) and cpu_dedicated_set (pinned ones).',
    explanation: 'Nova still reads it (deprecated since Train, for removal). The quick fix moves the value to cpu_shared_set, which is what vcpu_pin_set meant for unpinned guests.',
    upstream: 'The \'vcpu_pin_set\' config option has been deprecated and will be removed in a future release. …',
    example: { before: '[DEFAULT]\nvcpu_pin_set = 2-7\n', after: '[compute]\ncpu_shared_set = 2-7\n' },
  },
  'nova/vcpu-pin-set-with-dedicated': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'vcpu_pin_set and cpu_dedicated_set are both set: nova-compute refuses to start.',
    explanation: 'Put the CPUs for unpinned guests in [compute] cpu_shared_set and remove vcpu_pin_set.',
    upstream: "The 'vcpu_pin_set' config option has been deprecated and cannot be defined alongside '[compute] cpu_dedicated_set'. Unset 'vcpu_pin_set'.",
    example: { before: `[DEFAULT]\nvcpu_pin_set = 0-1\n${DEDICATED_ONLY}`, after: `[compute]\ncpu_shared_set = 0-1\ncpu_dedicated_set = 2-7\n` },
  },
  'nova/vcpu-pin-set-with-shared': {
    stage: 'nova-compute start', severity: 'warning',
    summary: 'vcpu_pin_set is set with cpu_shared_set: it still decides where unpinned guests run, and cpu_shared_set only places emulator threads.',
    explanation: 'Move to cpu_shared_set (unpinned) and cpu_dedicated_set (pinned), then remove vcpu_pin_set.',
    upstream: "The '[compute] cpu_shared_set' and 'vcpu_pin_set' config options have both been defined. …",
    example: { before: '[DEFAULT]\nvcpu_pin_set = 2-7\n[compute]\ncpu_shared_set = 0-1\n', after: '[compute]\ncpu_shared_set = 0-1\n' },
  },

  // --- devices -------------------------------------------------------------------------------
  'nova/mdev-device-address': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'An mdev type\'s device_addresses entry is not a PCI address, or is given to two types: nova-compute refuses to start.',
    explanation: 'Addresses are dddd:bb:ss.f (hex domain, bus and slot, function 0-7); a physical device serves one mdev type.',
    upstream: 'Invalid configuration for mdev-capable devices: …',
    example: { before: '[devices]\nenabled_mdev_types = nvidia-35, nvidia-36\n[mdev_nvidia-35]\ndevice_addresses = 0000:84:00.0\n[mdev_nvidia-36]\ndevice_addresses = 0000:84:00.0\n', after: '[devices]\nenabled_mdev_types = nvidia-35, nvidia-36\n[mdev_nvidia-35]\ndevice_addresses = 0000:84:00.0\n[mdev_nvidia-36]\ndevice_addresses = 0000:85:00.0\n' },
  },
  'nova/mdev-type-unused': {
    stage: 'nova-compute start', severity: 'warning',
    summary: 'An enabled mdev type has no [mdev_TYPE] device_addresses: Nova uses only one type, so this one is dropped.',
    explanation: 'With two or more types, each needs its own [mdev_TYPE] section with device_addresses.',
    upstream: ["The mdev type '…' was listed in '[devices] enabled_mdev_types' but no corresponding '[mdev_…]' group or '[mdev_…] device_addresses' option was defined. Only the first type '…' will be used.", "Mdev type default already set to  … so … will not be used."],
    example: { before: '[devices]\nenabled_mdev_types = nvidia-35, nvidia-36\n', after: '[devices]\nenabled_mdev_types = nvidia-35, nvidia-36\n[mdev_nvidia-35]\ndevice_addresses = 0000:84:00.0\n[mdev_nvidia-36]\ndevice_addresses = 0000:85:00.0\n' },
  },

  // --- other nova-compute start-up checks ------------------------------------------------------
  'nova/enforce-multipath-needs-multipath': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'volume_enforce_multipath is on without volume_use_multipath: nova-compute refuses to start.',
    explanation: 'Set volume_use_multipath = True too, or stop enforcing multipath.',
    upstream: "The 'volume_use_multipath' option should be 'True' when the 'volume_enforce_multipath' option is 'True'.",
    example: { before: '[libvirt]\nvolume_enforce_multipath = true\n', after: '[libvirt]\nvolume_enforce_multipath = true\nvolume_use_multipath = true\n' },
  },
  'nova/file-backed-memory-ratio': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'file_backed_memory needs ram_allocation_ratio = 1.0 set explicitly: nova-compute refuses to start.',
    explanation: 'Unset counts as different from 1.0.',
    upstream: 'Running Nova with file_backed_memory requires ram_allocation_ratio configured to 1.0',
    example: { before: '[DEFAULT]\nreserved_host_memory_mb = 0\n[libvirt]\nfile_backed_memory = 1048576\n', after: '[DEFAULT]\nram_allocation_ratio = 1.0\nreserved_host_memory_mb = 0\n[libvirt]\nfile_backed_memory = 1048576\n' },
  },
  'nova/file-backed-memory-reserved': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'reserved_host_memory_mb is not below file_backed_memory: nova-compute refuses to start.',
    explanation: 'With file-backed memory, reserve no host memory (reserved_host_memory_mb = 0).',
    upstream: "'[libvirt] file_backed_memory', which represents total memory reported to placement, must be greater than reserved memory configured via '[DEFAULT] reserved_host_memory_mb'",
    severityNote: 'A warning when the reservation is below file_backed_memory but not 0 (Nova warns it will be an error).',
    example: { before: '[DEFAULT]\nram_allocation_ratio = 1.0\nreserved_host_memory_mb = 2048\n[libvirt]\nfile_backed_memory = 1024\n', after: '[DEFAULT]\nram_allocation_ratio = 1.0\nreserved_host_memory_mb = 0\n[libvirt]\nfile_backed_memory = 1024\n' },
  },
  'nova/file-backed-memory-virt-type': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'file_backed_memory needs virt_type kvm or qemu: nova-compute refuses to start.',
    explanation: 'Other hypervisors have no file-backed guest memory.',
    upstream: "Running Nova with file_backed_memory and virt_type … is not supported. file_backed_memory is only supported with qemu and kvm types.",
    example: { before: '[DEFAULT]\nram_allocation_ratio = 1.0\nreserved_host_memory_mb = 0\n[libvirt]\nvirt_type = parallels\nfile_backed_memory = 1048576\n', after: '[DEFAULT]\nram_allocation_ratio = 1.0\nreserved_host_memory_mb = 0\n[libvirt]\nvirt_type = kvm\nfile_backed_memory = 1048576\n' },
  },
  'nova/lxc-without-user-namespaces': {
    // Nova logs it with LOG.warning at start-up: the same level here.
    stage: 'nova-compute start', severity: 'warning',
    summary: 'virt_type = lxc without uid_maps/gid_maps: container root is the host\'s root.',
    explanation: 'Set [libvirt] uid_maps and gid_maps (guest-id:host-id:count) so containers run in a user namespace.',
    upstream: "Running libvirt-lxc without user namespaces is dangerous. Containers spawned by Nova will be run as the host's root user. It is highly suggested that user namespaces be used in a public or multi-tenant environment.",
    example: { before: '[libvirt]\nvirt_type = lxc\n', after: '[libvirt]\nvirt_type = lxc\nuid_maps = 0:1000:65536\ngid_maps = 0:1000:65536\n' },
  },
  'nova/max-disk-devices-zero': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'max_disk_devices_to_attach = 0 allows not even a root disk: nova-compute refuses to start.',
    explanation: 'Use -1 for no limit, or a number of disks (at least 1).',
    upstream: '[compute]max_disk_devices_to_attach has been set to 0, which will prevent instances from being able to boot. Set -1 for unlimited or set >= 1 to limit the maximum number of disk devices.',
    example: { before: '[compute]\nmax_disk_devices_to_attach = 0\n', after: '[compute]\nmax_disk_devices_to_attach = -1\n' },
  },
  'nova/option-unused-for-virt-type': {
    stage: 'advice', severity: 'hint',
    summary: 'The option has no effect with this virt_type.',
    explanation: 'tb_cache_size sizes QEMU\'s TCG translation cache; Nova applies it only with virt_type = qemu.',
    example: { before: '[libvirt]\nvirt_type = kvm\ntb_cache_size = 256\n', after: '[libvirt]\nvirt_type = kvm\n' },
  },
  'nova/parallel-post-copy-needs-qemu': {
    stage: 'nova-compute start', severity: 'information',
    summary: 'Parallel migration connections with post-copy need QEMU 10.1.0 or newer, else nova-compute refuses to start.',
    explanation: 'We cannot see the host\'s QEMU: check its version, or do not combine the two.',
    upstream: 'Nova requires QEMU version 10.1.0 or greater to use live migration parallel connections with post-copy.',
    example: { before: '[libvirt]\nlive_migration_parallel_connections = 4\nlive_migration_permit_post_copy = true\n', after: '[libvirt]\nlive_migration_parallel_connections = 4\n' },
  },
  'nova/rbd-needs-raw-images': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'images_type = rbd with force_raw_images = False: nova-compute refuses to start.',
    explanation: 'Ceph (rbd) image backends need raw images: set [DEFAULT] force_raw_images = True.',
    upstream: "'[DEFAULT]/force_raw_images = False' is not allowed with '[libvirt]/images_type = rbd'. Please check the two configs and if you really do want to use rbd as images_type, set force_raw_images to True.",
    example: { before: '[DEFAULT]\nforce_raw_images = false\n[libvirt]\nimages_type = rbd\n', after: '[DEFAULT]\nforce_raw_images = true\n[libvirt]\nimages_type = rbd\n' },
  },
  'nova/tunnelled-and-native-tls': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'live_migration_tunnelled and live_migration_with_native_tls are both on: nova-compute refuses to start.',
    explanation: 'Choose one way to protect live-migration traffic: native TLS (preferred) or tunnelling.',
    upstream: "Setting both 'live_migration_tunnelled' and 'live_migration_with_native_tls' at the same time is invalid. If you have the relevant libvirt and QEMU versions, and TLS configured in your environment, pick 'live_migration_with_native_tls'.",
    example: { before: '[libvirt]\nlive_migration_tunnelled = true\nlive_migration_with_native_tls = true\n', after: '[libvirt]\nlive_migration_with_native_tls = true\n' },
  },
  'nova/vtpm-needs-kvm-qemu': {
    stage: 'nova-compute start', severity: 'error',
    summary: 'swtpm_enabled needs virt_type kvm or qemu: nova-compute refuses to start.',
    explanation: 'vTPM is emulated by swtpm for QEMU guests only.',
    upstream: "vTPM support requires '[libvirt] virt_type' of 'qemu' or 'kvm'; found '…'.",
    example: { before: '[libvirt]\nvirt_type = parallels\nswtpm_enabled = true\n', after: '[libvirt]\nvirt_type = kvm\nswtpm_enabled = true\n' },
  },
} as const;

export const novaKind: CodeKind<keyof typeof novaCodes> = {
  page: 'nova',
  title: 'nova.conf codes (nova/*)',
  intro: 'What Nova does with a nova.conf: how oslo.config reads the file and its values, what nova-compute checks when it starts, and what the libvirt driver does with the guest CPU settings. Examples are whole nova.conf files.',
  language: 'ini',
  codes: novaCodes,
};
