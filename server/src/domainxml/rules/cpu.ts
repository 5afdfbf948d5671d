/** `<cpu>`: mode/match/check/migratable, model, vendor, features, topology, cache, maxphysaddr (docs/rules/libvirt.md). */
import { attr, child, childrenNamed, type XmlElement } from '../scan';
import { attrRemovalSpan, attrSpan, elementSpan, nameSpan, removalSpan, textSpan, valueSpan } from '../report';
import { lv, parseInt64, parseUInt } from '../messages';
import { atLeast } from '../version';
import type { RuleContext } from './context';
import { quoteValue } from '../../core/findingCap';
import type { LibvirtCode } from '../../codes';
import { LIBVIRT_90_X86_FEATURES, LIBVIRT_90_X86_MODELS } from '../../knowledge/cpumap/libvirt90CpuMap';

const MODES = ['custom', 'host-model', 'host-passthrough', 'maximum'];
const POLICIES = ['force', 'require', 'optional', 'disable', 'forbid'];
/** Mitigations whose loss is a security cost (advice only). */
const MITIGATIONS = new Set(['spec-ctrl', 'ssbd', 'virt-ssbd', 'amd-ssbd', 'amd-stibp', 'ibpb', 'amd-ibpb', 'stibp', 'md-clear', 'ibrs-all', 'ibrs', 'stibp-always-on', 'psfd']);

export function cpuRules(ctx: RuleContext): void {
  const { model, report } = ctx;
  const cpus = childrenNamed(model.domain, 'cpu');
  for (const extra of cpus.slice(1)) {
    report.add({ code: 'libvirt/duplicate-element', at: nameSpan(extra), stage: 'schema', tags: ['unnecessary'],
      explanation: 'Only the first <cpu> is read; libvirt ignores this one (the schema rejects it). Merge it into the first.' });
  }
  const cpu = model.cpu;
  if (!cpu) return;
  const modeA = attr(cpu, 'mode');
  if (modeA && !MODES.includes(modeA.value)) {
    report.add({ code: 'libvirt/cpu-mode-invalid', at: valueSpan(modeA), stage: 'define', upstream: `unsupported configuration: Invalid mode attribute '${quoteValue(modeA.value)}'`,
      explanation: `mode is one of ${MODES.join(', ')}.` });
    return; // everything else depends on the mode
  }
  const mode = modeA?.value ?? 'custom';
  const passthrough = mode === 'host-passthrough' || mode === 'maximum';
  const modelEl = child(cpu, 'model');
  const modelName = modelEl?.text.trim() ?? '';
  const hasModel = modelName !== '';

  enumAttr(ctx, cpu, 'match', ['exact', 'minimum', 'strict']);
  enumAttr(ctx, cpu, 'check', ['none', 'partial', 'full', 'default']);
  const migratable = attr(cpu, 'migratable');
  if (migratable && enumAttr(ctx, cpu, 'migratable', ['on', 'off']) && !passthrough) {
    report.add({ code: 'libvirt/cpu-migratable-mode', at: attrSpan(migratable), stage: 'define',
      upstream: "unsupported configuration: Attribute migratable is only allowed for 'host-passthrough' / 'maximum' CPU mode",
      explanation: `migratable only applies to host-passthrough and maximum; with mode '${mode}' remove it.`,
      fixes: [{ title: 'Remove migratable', edits: [report.edit(attrRemovalSpan(migratable), '')] }] });
  }
  qemuModeSupport(ctx, mode, migratable);
  const dep = atLeast(ctx.version, 11, 0) ? attr(cpu, 'deprecated_features') : undefined; // older parsers ignore it
  if (dep && enumAttr(ctx, cpu, 'deprecated_features', ['on', 'off']) && !/^s390/.test(model.arch)) {
    report.add({ code: 'libvirt/cpu-deprecated-features-arch', at: attrSpan(dep), stage: 'vm start', severity: 'warning',
      explanation: 'deprecated_features only works for s390 guests; QEMU refuses to toggle deprecated features on other CPU models when the guest starts.' });
  }

  // What libvirt drops silently, mode by mode.
  const matchA = attr(cpu, 'match');
  if (matchA && (mode !== 'custom' || !hasModel)) {
    report.add({ code: 'libvirt/cpu-match-ignored', at: attrSpan(matchA), stage: 'define', severity: 'warning', tags: ['unnecessary'],
      explanation: mode !== 'custom' ? `match only applies to custom mode; with '${mode}' libvirt drops it.` : 'match without a <model> is dropped: there is nothing to match.',
      fixes: [{ title: 'Remove match', edits: [report.edit(attrRemovalSpan(matchA), '')] }] });
  }
  if (passthrough && modelEl) {
    report.add({ code: 'libvirt/cpu-model-ignored', at: elementSpan(modelEl), stage: 'define', severity: 'warning', tags: ['unnecessary'],
      explanation: `With mode='${mode}' the guest sees the host CPU itself: libvirt drops <model> (and its fallback/vendor_id). To pin a model use mode='custom' (or host-model).`,
      fixes: [{ title: 'Remove the ignored <model>', preferred: true, edits: [report.edit(removalSpan(ctx.model.lines, modelEl), '')] }] });
  }
  const vendor = child(cpu, 'vendor');
  if (vendor && !hasModel) {
    report.add({ code: 'libvirt/cpu-vendor-without-model', at: elementSpan(vendor), stage: 'define', upstream: 'XML error: CPU vendor specified without CPU model',
      explanation: '<vendor> only restricts a named <model>: add a model or remove the vendor.',
      fixes: [{ title: 'Remove <vendor>', edits: [report.edit(removalSpan(ctx.model.lines, vendor), '')] }] });
  } else if (vendor && passthrough) {
    report.add({ code: 'libvirt/cpu-vendor-ignored', at: elementSpan(vendor), stage: 'define', severity: 'warning', tags: ['unnecessary'],
      explanation: `With mode='${mode}' libvirt drops <vendor>.`,
      fixes: [{ title: 'Remove the ignored <vendor>', edits: [report.edit(removalSpan(ctx.model.lines, vendor), '')] }] });
  }
  // An empty <model> under host-model disappears from the saved XML. With fallback='allow' (the
  // default; what Nova and vagrant-libvirt write) nothing is lost, so nothing is said.
  const fallbackA = attr(modelEl, 'fallback');
  if (mode === 'host-model' && modelEl && !hasModel && ((fallbackA && fallbackA.value !== 'allow') || attr(modelEl, 'vendor_id'))) {
    report.add({ code: 'libvirt/cpu-model-ignored', at: elementSpan(modelEl), stage: 'define', severity: 'warning', tags: ['unnecessary'],
      explanation: `An empty <model> under host-model disappears from the saved XML: ${fallbackA && fallbackA.value !== 'allow' ? `fallback='${quoteValue(fallbackA.value)}'` : 'vendor_id'} without a model name has no effect.` });
  }
  const checkA = attr(cpu, 'check');
  if (checkA && mode === 'custom' && !hasModel && checkA.value !== 'default') checkWithoutModel(ctx, checkA);

  if (modelEl && !passthrough) modelRules(ctx, modelEl, mode);
  const ignoredVid = passthrough ? attr(modelEl, 'vendor_id') : undefined;
  if (ignoredVid && !/^[^,]{12}$/.test(ignoredVid.value)) {
    report.add({ code: 'libvirt/schema-value', at: valueSpan(ignoredVid), stage: 'schema',
      explanation: `vendor_id must be 12 characters without a comma. With mode='${mode}' the parser ignores it, but the schema rejects it.` });
  }
  if (vendor && hasModel && !passthrough) vendorRules(ctx, vendor, modelName, mode);
  featureRules(ctx, cpu, mode, hasModel);
  topologyRules(ctx, cpu);
  cacheRules(ctx, cpu, passthrough);
  maxphysaddrRules(ctx, cpu);
  cpuAdvice(ctx, cpu, mode);
}

/** Enum attribute with libvirt's generic message; true when absent or valid. */
function enumAttr(ctx: RuleContext, el: XmlElement, name: string, values: string[]): boolean {
  const a = attr(el, name);
  if (!a || values.includes(a.value)) return true;
  ctx.report.add({ code: 'libvirt/invalid-value', at: valueSpan(a), stage: 'define', upstream: lv.invalidEnum(name, el.name, a.value),
    explanation: `${name} is one of ${values.filter((v) => v !== 'default').join(', ')}.` });
  return false;
}

/**
 * What the qemu driver's binary offers for the mode (qemuValidateDomainDefCpu): QEMU has no 'max' CPU for ppc64, and
 * only its x86 'max' CPU has the 'migratable' property that host-passthrough migratable='on' needs.
 */
function qemuModeSupport(ctx: RuleContext, mode: string, migratable: ReturnType<typeof attr>): void {
  const { model, report } = ctx;
  if (!/^(qemu|kvm)$/.test(model.virtType) || !model.cpu) return;
  if (mode === 'maximum' && /^ppc64/.test(model.arch)) {
    report.add({ code: 'libvirt/cpu-mode-unsupported', at: valueSpan(attr(model.cpu, 'mode')!), stage: 'define (qemu)', upstream: 'unsupported configuration: maximum CPU is not supported by QEMU binary',
      explanation: "QEMU has no 'max' CPU model for ppc64: use host-passthrough (KVM) or a POWER model." });
  }
  if (mode === 'host-passthrough' && migratable?.value === 'on' && ctx.mapArch !== 'x86') {
    report.add({ code: 'libvirt/cpu-migratable-unsupported', at: attrSpan(migratable), stage: 'define (qemu)', upstream: 'unsupported configuration: Migratable attribute for host-passthrough CPU is not supported by this QEMU binary',
      explanation: `Only QEMU's x86 host CPU can hide non-migratable features: on ${model.arch} remove migratable (or set it to 'off').`,
      fixes: [{ title: 'Remove migratable', edits: [report.edit(attrRemovalSpan(migratable), '')] }] });
  }
}

/**
 * custom CPU without <model> but with check: the generic post-parse rejects it, but the qemu driver first injects
 * the machine's default model (qemu64 on x86) with check='none' (qemuDomainDefSetDefaultCPU): always on
 * x86/ppc64/s390; on other arches for TCG only, where QEMU reports a default (libvirt 9.0 + QEMU 7.2 gives aarch64
 * 'virt' cortex-a15; libvirt 12.8 + QEMU 11.1 injects nothing, so we take 12.0 as the boundary).
 */
function checkWithoutModel(ctx: RuleContext, checkA: NonNullable<ReturnType<typeof attr>>): void {
  const { model, version } = ctx;
  const qemuFills = (/^(qemu|kvm)$/.test(model.virtType) && /^(x86_64|i[3-6]86|ppc64.*|s390x?)$/.test(model.arch))
    || (model.virtType === 'qemu' && ctx.mapArch === 'arm' && !atLeast(version, 12, 0));
  if (qemuFills) {
    ctx.report.add({ code: 'libvirt/cpu-check-overridden', at: attrSpan(checkA), stage: 'define (qemu)', severity: 'warning', tags: ['unnecessary'],
      explanation: "This CPU has no <model>, so the qemu driver gives it its default model (qemu64 on x86) and forces check='none': this check is ignored. (Other drivers reject it: 'check attribute specified for CPU with no model'.)",
      fixes: [{ title: 'Remove check', edits: [ctx.report.edit(attrRemovalSpan(checkA), '')] }] });
  } else {
    ctx.report.add({ code: 'libvirt/cpu-check-without-model', at: attrSpan(checkA), stage: 'define', upstream: 'unsupported configuration: check attribute specified for CPU with no model',
      explanation: 'check compares the guest CPU with a model: add a <model> or remove check.' });
  }
}

function modelRules(ctx: RuleContext, model: XmlElement, mode: string): void {
  const { report, knowledge, mapArch } = ctx;
  const fallback = attr(model, 'fallback');
  if (fallback && fallback.value !== 'allow' && fallback.value !== 'forbid') {
    report.add({ code: 'libvirt/cpu-fallback-invalid', at: valueSpan(fallback), stage: 'define', upstream: 'unsupported configuration: Invalid fallback attribute',
      explanation: "fallback is 'allow' (use a close model when the hypervisor lacks this one) or 'forbid'." });
  }
  const vid = attr(model, 'vendor_id');
  if (vid) {
    if (codePoints(vid.value) !== 12) {
      report.add({ code: 'libvirt/cpu-vendor-id-length', at: valueSpan(vid), stage: 'define', upstream: 'XML error: vendor_id must be exactly 12 characters long',
        explanation: `vendor_id is the 12-character CPUID vendor string (e.g. GenuineIntel, AuthenticAMD); '${quoteValue(vid.value)}' has ${codePoints(vid.value)}.` });
    } else if (vid.value.includes(',')) {
      report.add({ code: 'libvirt/cpu-vendor-id-invalid', at: valueSpan(vid), stage: 'define', upstream: 'XML error: vendor id is invalid',
        explanation: 'vendor_id must not contain a comma (it is passed on the QEMU command line).' });
    }
  }
  const name = model.text.trim();
  // host-model on x86 replaces the model at start; the name is only checked for custom CPUs.
  if (!name || mode !== 'custom' || !mapArch || mapArch === 'arm') return;
  const known = knowledge.catalog.model(name, mapArch);
  if (known?.name === name) {
    if (mapArch === 'x86' && isLibvirt90(ctx) && !LIBVIRT_90_X86_MODELS.has(name)) {
      // A newer model: offer what it is another name for, or 9.0's closest names.
      const older = [known.canonicalOf, ...knowledge.catalog.nearestModels(name, 'x86', 8)].filter((n): n is string => !!n && LIBVIRT_90_X86_MODELS.has(n)).slice(0, 3);
      report.add({ code: 'libvirt/cpu-model-too-new', at: textSpan(model), stage: 'vm start', upstream: `internal error: Unknown CPU model ${quoteValue(name)}`,
        explanation: `${name} came to libvirt's cpu_map after 9.0: libvirt 9.0 accepts the definition but the guest fails to start.${older.length ? ` Models 9.0 knows: ${older.join(', ')}.` : ''}`,
        fixes: older.map((n, i) => ({ title: `Use CPU model '${n}'`, preferred: i === 0, edits: [report.edit(textSpan(model), n)] })) });
    }
    return;
  }
  // libvirt looks models up case-sensitively (STREQ): 'haswell' fails where 'Haswell' works.
  const near = known ? [known.name] : suggest(ctx, 'libvirt/cpu-model-unknown', name) ? knowledge.catalog.nearestModels(name, mapArch, 3) : [];
  report.add({ code: 'libvirt/cpu-model-unknown', at: textSpan(model), stage: 'vm start', upstream: `internal error: Unknown CPU model ${quoteValue(name)}`,
    explanation: `'${quoteValue(name)}' is not a CPU model in libvirt's cpu_map${near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : '.'} libvirt accepts the definition but the guest fails to start.`,
    fixes: near.map((n, i) => ({ title: `Use CPU model '${n}'`, preferred: i === 0, edits: [report.edit(textSpan(model), n)] })) });
}

/**
 * <vendor> is only compared with the host when libvirt checks the guest CPU against it (kvm, or
 * check='partial'/'full'); with TCG and check='none' the guest starts anyway. Hence warnings.
 */
function vendorRules(ctx: RuleContext, vendor: XmlElement, modelName: string, mode: string): void {
  const { report, knowledge, mapArch } = ctx;
  if (mapArch !== 'x86' || mode !== 'custom') return;
  const name = vendor.text.trim();
  const vendors = knowledge.catalog.vendors('x86');
  if (vendors.length && !vendors.includes(name)) {
    report.add({ code: 'libvirt/cpu-vendor-unknown', at: textSpan(vendor), stage: 'vm start', severity: 'warning',
      explanation: `'${quoteValue(name)}' is not an x86 vendor libvirt knows (${vendors.join(', ')}): no host matches it, so the guest fails to start wherever the CPU is checked against the host ("host CPU vendor does not match required CPU vendor ${quoteValue(name)}").` });
    return;
  }
  const model = knowledge.catalog.model(modelName, 'x86');
  if (model?.vendor && model.vendor !== name) {
    report.add({ code: 'libvirt/cpu-vendor-mismatch', at: textSpan(vendor), stage: 'vm start', severity: 'warning',
      explanation: `${model.name} is an ${model.vendor} model but <vendor> asks for ${quoteValue(name)}: a host of either vendor fails the check against the host CPU. Remove <vendor> or pick a ${quoteValue(name)} model.` });
  }
}

function featureRules(ctx: RuleContext, cpu: XmlElement, mode: string, hasModel: boolean): void {
  const { report, knowledge, mapArch } = ctx;
  const features = childrenNamed(cpu, 'feature');
  if (features.length && mode === 'custom' && !hasModel) {
    report.add({ code: 'libvirt/cpu-features-without-model', at: nameSpan(features[0]), stage: 'define', upstream: 'XML error: Non-empty feature list specified without CPU model',
      explanation: "In custom mode features modify a <model>: add one (e.g. <model fallback='forbid'>Skylake-Client</model>) or use mode='host-model'." });
  }
  sveRule(ctx, features);
  const seen = new Set<string>();
  for (const f of features) {
    const policy = attr(f, 'policy');
    const nameA = attr(f, 'name');
    if (!policy) {
      report.add({ code: 'libvirt/cpu-feature-no-policy', at: nameSpan(f), stage: 'schema',
        explanation: "Without policy libvirt uses 'require' (the schema requires the attribute): write policy='require' explicitly.",
        fixes: [{ title: "Add policy='require'", edits: [report.edit({ start: f.nameEnd, end: f.nameEnd }, " policy='require'")] }] });
    } else if (!POLICIES.includes(policy.value)) {
      report.add({ code: 'libvirt/cpu-feature-policy-invalid', at: valueSpan(policy), stage: 'define', upstream: 'unsupported configuration: Invalid CPU feature policy',
        explanation: `policy is one of ${POLICIES.join(', ')}.` });
    }
    if (!nameA || nameA.value === '') {
      report.add({ code: 'libvirt/cpu-feature-name-missing', at: nameA ? attrSpan(nameA) : nameSpan(f), stage: 'define', upstream: 'XML error: Invalid CPU feature name',
        explanation: 'Each <feature> needs a name from cpu_map, e.g. vmx.' });
      continue;
    }
    const name = nameA.value;
    if (seen.has(name)) {
      report.add({ code: 'libvirt/cpu-feature-duplicate', at: valueSpan(nameA), stage: 'define', upstream: `XML error: CPU feature '${quoteValue(name)}' specified more than once`,
        explanation: `'${quoteValue(name)}' is listed twice: keep one <feature> per name.`,
      fixes: [{ title: `Remove this duplicate <feature>`, edits: [report.edit(removalSpan(ctx.model.lines, f), '')] }] });
      continue;
    }
    seen.add(name);
    if (!/^[a-zA-Z0-9\-_.]+$/.test(name)) {
      report.add({ code: 'libvirt/cpu-feature-name-schema', at: valueSpan(nameA), stage: 'schema',
        explanation: 'Feature names are letters, digits, -, _ and . (schema pattern).' });
    }
    if (mapArch === 'x86') unknownFeature(ctx, nameA);
    else if (mapArch === 'arm' && knowledge.catalog.feature(name, 'x86') && !knowledge.catalog.feature(name, 'arm')) {
      report.add({ code: 'libvirt/cpu-feature-unknown', at: valueSpan(nameA), stage: 'vm start', upstream: `unsupported configuration: unknown CPU feature: ${quoteValue(name)}`,
        explanation: `'${quoteValue(name)}' is an x86 feature; this guest is ${ctx.model.arch}.` });
    }
  }
}

/** aarch64: SVE vector lengths make no sense with SVE itself disabled (qemu_validate.c). */
function sveRule(ctx: RuleContext, features: XmlElement[]): void {
  if (ctx.mapArch !== 'arm' || !/^(qemu|kvm)$/.test(ctx.model.virtType)) return;
  const policy = (f: XmlElement) => attr(f, 'policy')?.value ?? 'require';
  const sve = features.find((f) => attr(f, 'name')?.value === 'sve');
  if (!sve || !['disable', 'forbid'].includes(policy(sve))) return;
  const lengths = features.find((f) => /^sve\d+$/.test(attr(f, 'name')?.value ?? '') && ['require', 'force'].includes(policy(f)));
  if (!lengths) return;
  ctx.report.add({ code: 'libvirt/cpu-sve-lengths', at: nameSpan(lengths), stage: 'define (qemu)', upstream: 'unsupported configuration: SVE disabled, but SVE vector lengths provided',
    explanation: 'Vector lengths (sve128, sve256...) need SVE: enable sve or drop the lengths.' });
}

function unknownFeature(ctx: RuleContext, nameA: NonNullable<ReturnType<typeof attr>>): void {
  const { report, knowledge } = ctx;
  const name = nameA.value;
  const known = knowledge.catalog.feature(name, 'x86');
  if (known?.name === name) {
    if (isLibvirt90(ctx) && !LIBVIRT_90_X86_FEATURES.has(name)) {
      report.add({ code: 'libvirt/cpu-feature-too-new', at: valueSpan(nameA), stage: 'vm start', upstream: `unsupported configuration: unknown CPU feature: ${quoteValue(name)}`,
        explanation: `${name} came to libvirt's cpu_map after 9.0: libvirt 9.0 accepts the definition but the guest fails to start. Drop the feature on 9.0 hosts.` });
    }
    return;
  }
  // Case matters to libvirt (VMX is not vmx); QEMU's spellings are aliases, not names.
  const alias = known ?? knowledge.catalog.featureForAlias(name, 'x86');
  const code = alias ? 'libvirt/cpu-feature-qemu-spelling' : 'libvirt/cpu-feature-unknown';
  if (!report.keeps(code)) { report.skip(code, valueSpan(nameA)); return; }
  const near = alias ? [alias.name] : suggest(ctx, code, name) ? knowledge.catalog.nearestFeatures(name, 'x86', 3) : [];
  report.add({ code, at: valueSpan(nameA), stage: 'vm start',
    upstream: `unsupported configuration: unknown CPU feature: ${quoteValue(name)}`,
    explanation: alias
      ? `'${quoteValue(name)}' is not libvirt's spelling; libvirt calls this feature '${alias.name}' (names are case-sensitive). The definition is accepted but the guest fails to start.`
      : `'${quoteValue(name)}' is not a feature in libvirt's cpu_map${near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : '.'} The guest fails to start.`,
    fixes: near.map((n, i) => ({ title: `Rename to '${n}'`, preferred: i === 0, edits: [report.edit(valueSpan(nameA), n)] })) });
}

/** The only release whose exact cpu_map we carry besides the newest (Debian bookworm's). */
const isLibvirt90 = (ctx: RuleContext) => ctx.version.major === 9 && ctx.version.minor === 0;

const TOPO_ATTRS = ['sockets', 'dies', 'clusters', 'cores', 'threads'];

function topologyRules(ctx: RuleContext, cpu: XmlElement): void {
  const { report, version, model } = ctx;
  const topos = childrenNamed(cpu, 'topology');
  for (const extra of topos.slice(1)) {
    report.add({ code: 'libvirt/duplicate-element', at: nameSpan(extra), stage: 'schema', tags: ['unnecessary'], explanation: 'Only the first <topology> is read; this one is ignored.' });
  }
  const topo = topos[0];
  if (!topo) return;
  const clustersKnown = atLeast(version, 10, 1);
  const values: Record<string, number> = {};
  let ok = true;
  for (const name of TOPO_ATTRS) {
    const a = attr(topo, name);
    const optional = name === 'dies' || name === 'clusters';
    if (name === 'clusters' && !clustersKnown) {
      if (a) report.add({ code: 'libvirt/unknown-attribute', at: attrSpan(a), stage: 'schema', tags: ['unnecessary'], explanation: `clusters needs libvirt 10.1 or later; libvirt ${version.label} ignores it (and its schema rejects it).` });
      values[name] = 1;
      continue;
    }
    if (!a) {
      if (optional) { values[name] = 1; continue; }
      ok = false;
      report.add({ code: 'libvirt/topology-missing', at: nameSpan(topo), stage: 'define', upstream: lv.missingAttr(name, 'topology'),
        explanation: `<topology> needs sockets, cores and threads (dies${clustersKnown ? ' and clusters are' : ' is'} optional, default 1).` });
      continue;
    }
    const n = parseUInt(a.value);
    if (n === undefined) { ok = false; report.add({ code: 'libvirt/invalid-value', at: valueSpan(a), stage: 'define', upstream: lv.notUInt(name, 'topology', a.value), explanation: `${name} is a positive number.` }); continue; }
    if (n === 0) { ok = false; report.add({ code: 'libvirt/invalid-value', at: valueSpan(a), stage: 'define', upstream: lv.zero(name, 'topology'), explanation: `${name} must be at least 1.` }); continue; }
    values[name] = n;
  }
  if (!ok) return;
  const product = TOPO_ATTRS.reduce((p, n) => p * values[n], 1);
  if (product > 4294967295) {
    report.add({ code: 'libvirt/topology-overflow', at: nameSpan(topo), stage: 'define', upstream: 'unsupported configuration: cpu topology results in more than 4294967295 cpus',
      explanation: 'sockets × dies × clusters × cores × threads is absurdly large; it must equal the <vcpu> count.' });
    return;
  }
  const max = model.maxVcpus;
  if (max === undefined || max === 0 || product === max || !/^(qemu|kvm)$/.test(model.virtType)) return;
  report.add({ code: 'libvirt/topology-mismatch', at: nameSpan(topo), stage: 'define (qemu)', upstream: "unsupported configuration: CPU topology doesn't match maximum vcpu count",
    explanation: `sockets × dies${clustersKnown ? ' × clusters' : ''} × cores × threads = ${product}, but <vcpu> is ${max}: the qemu driver refuses to define the guest. Make them equal.`,
    fixes: topologyFixes(ctx, topo, values, max) });
}

/** The largest <vcpu> a fix offers: the most any QEMU x86 machine type accepts (q35: 4096); a larger product is a typo in the topology. */
const MAX_VCPU_FIX = 4096;

/** Offers topologies that multiply to the vCPU count, keeping what the user chose where possible, and <vcpu> set to the topology's count. */
function topologyFixes(ctx: RuleContext, topo: XmlElement, values: Record<string, number>, max: number) {
  const { report, model } = ctx;
  const fixes = [];
  const set = (name: string, n: number) => {
    const a = attr(topo, name)!;
    return report.edit(valueSpan(a), String(n));
  };
  const others = (skip: string) => TOPO_ATTRS.filter((n) => n !== skip).reduce((p, n) => p * values[n], 1);
  for (const name of ['sockets', 'cores', 'threads']) {
    const rest = others(name);
    if (max % rest === 0 && attr(topo, name)) fixes.push({ title: `Set ${name}='${max / rest}' (topology = ${max} vCPUs)`, edits: [set(name, max / rest)] });
  }
  // Or the other way round: <vcpu> to what the topology multiplies to (unless current='' would exceed it).
  const product = TOPO_ATTRS.reduce((p, n) => p * values[n], 1);
  const current = model.vcpu ? parseUInt(attr(model.vcpu, 'current')?.value ?? '') : undefined;
  if (model.vcpu && product <= MAX_VCPU_FIX && (current === undefined || current <= product)) {
    fixes.push({ title: `Set <vcpu> to ${product} (the topology's count)`, edits: [report.edit(textSpan(model.vcpu), String(product))] });
  }
  if (fixes[0]) (fixes[0] as { preferred?: boolean }).preferred = true;
  return fixes;
}

function cacheRules(ctx: RuleContext, cpu: XmlElement, passthrough: boolean): void {
  const { report, model } = ctx;
  const caches = childrenNamed(cpu, 'cache');
  if (caches.length > 1) {
    report.add({ code: 'libvirt/cpu-cache-duplicate', at: nameSpan(caches[1]), stage: 'define', upstream: 'XML error: at most one CPU cache element may be specified', explanation: 'Keep a single <cache> in <cpu>.' });
    return;
  }
  const cache = caches[0];
  if (!cache) return;
  const levelA = attr(cache, 'level');
  let level: number | undefined;
  if (levelA) {
    level = parseUInt(levelA.value);
    if (level === undefined || level < 1 || level > 3) {
      report.add({ code: 'libvirt/cpu-cache-level', at: valueSpan(levelA), stage: 'define', upstream: 'XML error: invalid CPU cache level, must be in range [1,3]', explanation: 'The cache level is 1, 2 or 3.' });
      return;
    }
  }
  const modeA = attr(cache, 'mode');
  if (!modeA) { report.add({ code: 'libvirt/missing-attribute', at: nameSpan(cache), stage: 'define', upstream: lv.missingAttr('mode', 'cache'), explanation: 'mode is emulate, passthrough or disable.' }); return; }
  if (!enumAttr(ctx, cache, 'mode', ['emulate', 'passthrough', 'disable'])) return;
  if (!/^(qemu|kvm)$/.test(model.virtType)) return;
  const q = (code: LibvirtCode, msg: string, explanation: string) => report.add({ code, at: nameSpan(cache), stage: 'define (qemu)', upstream: `unsupported configuration: ${msg}`, explanation });
  if (ctx.mapArch !== 'x86') return q('libvirt/cpu-cache-arch', `CPU cache specification is not supported for '${model.arch}' architecture`, 'QEMU supports <cache> for x86 guests only.');
  const mode = modeA.value;
  if (mode === 'emulate' && level !== 3) q('libvirt/cpu-cache-emulate-level', "CPU cache mode 'emulate' can only be used with level='3'", "Use <cache mode='emulate' level='3'/>.");
  else if (mode === 'passthrough' && !passthrough) q('libvirt/cpu-cache-passthrough-mode', "CPU cache mode 'passthrough' can only be used with 'host-passthrough' / 'maximum' CPUs", "Cache passthrough needs mode='host-passthrough' or 'maximum'; use mode='emulate' level='3' for other CPUs.");
  else if (mode !== 'emulate' && level !== undefined) q('libvirt/cpu-cache-level-mode', `unsupported CPU cache level for mode '${mode}'`, `Remove level: it only applies to mode='emulate'.`);
}

function maxphysaddrRules(ctx: RuleContext, cpu: XmlElement): void {
  const { report, version, model } = ctx;
  const el = child(cpu, 'maxphysaddr');
  if (!el) return;
  const modeA = attr(el, 'mode');
  if (!modeA) { report.add({ code: 'libvirt/missing-attribute', at: nameSpan(el), stage: 'define', upstream: lv.missingAttr('mode', 'maxphysaddr'), explanation: 'mode is passthrough or emulate.' }); return; }
  if (!enumAttr(ctx, el, 'mode', ['emulate', 'passthrough'])) return;
  const bitsA = attr(el, 'bits');
  if (bitsA && parseInt64(bitsA.value, -2147483648, 2147483647) === undefined) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(bitsA), stage: 'define', upstream: lv.notInt('bits', 'maxphysaddr', bitsA.value), explanation: 'bits is a number.' }); return; }
  const limitA = attr(el, 'limit');
  if (limitA && !atLeast(version, 9, 3)) {
    report.add({ code: 'libvirt/unknown-attribute', at: attrSpan(limitA), stage: 'schema', tags: ['unnecessary'], explanation: `limit needs libvirt 9.3 or later; libvirt ${version.label} ignores it.` });
  } else if (limitA) {
    const limit = parseUInt(limitA.value);
    if (limit === undefined) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(limitA), stage: 'define', upstream: lv.notUInt('limit', 'maxphysaddr', limitA.value), explanation: 'limit is a number.' }); return; }
    if (limit === 0) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(limitA), stage: 'define', upstream: lv.zero('limit', 'maxphysaddr'), explanation: 'limit must be at least 1.' }); return; }
    if (modeA.value !== 'passthrough') {
      report.add({ code: 'libvirt/maxphysaddr-limit-mode', at: attrSpan(limitA), stage: 'define', upstream: "unsupported configuration: attribute 'limit' is only supported for maxphysaddr mode 'passthrough'",
        explanation: "limit caps the host's value, so it only applies to mode='passthrough'; with emulate set bits." });
      return;
    }
  }
  if (!/^(qemu|kvm)$/.test(model.virtType)) return;
  const q = (msg: string, explanation: string) => report.add({ code: 'libvirt/maxphysaddr-mode', at: nameSpan(el), stage: 'define (qemu)', upstream: `unsupported configuration: ${msg}`, explanation });
  if (ctx.mapArch !== 'x86') q(`CPU maximum physical address bits specification is not supported for '${model.arch}' architecture`, 'maxphysaddr is for x86 guests only.');
  else if (modeA.value === 'passthrough' && bitsA) q("CPU maximum physical address bits number specification cannot be used with mode='passthrough'", "With passthrough the host's bits are used: remove bits (or use mode='emulate').");
  else if (modeA.value === 'emulate' && !bitsA && !atLeast(version, 9, 2)) q("if using CPU maximum physical address mode='emulate', bits= must be specified too", `libvirt ${version.label} needs bits with mode='emulate'.`);
}

/** Hints beyond libvirt: trade-offs users meet later (migration, nested virt, security). */
function cpuAdvice(ctx: RuleContext, cpu: XmlElement, mode: string): void {
  const { report } = ctx;
  const modeA = attr(cpu, 'mode');
  if (mode === 'host-passthrough' && modeA) {
    report.add({ code: 'libvirt/advice-passthrough-migration', at: valueSpan(modeA), stage: 'advice', severity: 'information',
      explanation: 'host-passthrough gives the guest the exact host CPU: live migration only works to hosts with an identical CPU, microcode and kernel. For a mixed fleet use host-model or a custom model that every host runs (virsh cpu-baseline).' });
  }
  for (const f of childrenNamed(cpu, 'feature')) {
    const name = attr(f, 'name')?.value ?? '';
    const policy = attr(f, 'policy')?.value ?? 'require';
    const off = policy === 'disable' || policy === 'forbid';
    const nameA = attr(f, 'name');
    if (!nameA || !off) continue;
    if (name === 'vmx' || name === 'svm') {
      report.add({ code: 'libvirt/advice-nested-disabled', at: valueSpan(nameA), stage: 'advice', severity: 'information',
        explanation: `With ${name} disabled the guest cannot run its own VMs (nested virtualization). Fine unless it is a hypervisor or runs a sandbox such as WSL2/VBS.` });
    } else if (MITIGATIONS.has(name)) {
      report.add({ code: 'libvirt/advice-mitigation-disabled', at: valueSpan(nameA), stage: 'advice', severity: 'information',
        explanation: `Disabling ${name} hides a speculative-execution mitigation from the guest: its kernel can no longer protect itself (Spectre/SSB/MDS-class attacks). Only do this for a measured performance need on trusted workloads.` });
    }
  }
}

/**
 * Whether to look for a did-you-mean: only for findings that will be kept (100k unknown features
 * once cost 18 s for 200 shown), and not for names far longer than any cpu_map name.
 */
function suggest(ctx: RuleContext, code: string, name: string): boolean {
  return ctx.report.keeps(code) && name.length <= 64;
}

/** The length in characters (code points), without spreading a possibly huge string into an array. */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++; // a low surrogate completes the pair already counted
  }
  return n;
}
