/** `<vcpu>` and `<vcpus>` (docs/rules/libvirt.md). */
import { attr, childrenNamed, child } from '../scan';
import { attrRemovalSpan, attrSpan, nameSpan, textSpan, valueSpan } from '../report';
import { lv, parseUInt } from '../messages';
import { checkSet, checkSetSchema, type RuleContext } from './context';
import { atLeast } from '../version';
import { quoteValue } from '../../core/findingCap';
import type { LibvirtCode } from '../../codes';

export function vcpuRules(ctx: RuleContext): void {
  const { model, report } = ctx;
  const vcpu = model.vcpu;
  if (vcpu) {
    const max = model.maxVcpus;
    if (max === undefined) {
      report.add({ code: 'libvirt/vcpu-not-integer', at: textSpan(vcpu), stage: 'define', upstream: 'XML error: maximum vcpus count must be an integer',
        explanation: `<vcpu> must hold the maximum number of vCPUs as a plain number, e.g. <vcpu>4</vcpu>; '${quoteValue(vcpu.text.trim())}' is not one.` });
    } else if (max === 0) {
      // The parser accepts 0; the NUMA check that follows (max CPU id 0 >= 0) is what rejects it.
      // With NUMA cells listing vCPUs, their count (checked first) is what trips.
      const numaCpus = model.cells.some((c) => c.cpus.length > 0);
      report.add({ code: 'libvirt/vcpu-zero', at: textSpan(vcpu), stage: 'define',
        upstream: numaCpus ? 'internal error: Number of CPUs in <numa> exceeds the <vcpu> count' : 'internal error: CPU IDs in <numa> exceed the <vcpu> count',
        explanation: 'A guest needs at least one vCPU. libvirt rejects 0 with a misleading NUMA message.' });
    } else if (max > 65535) {
      report.add({ code: 'libvirt/vcpu-too-many', at: textSpan(vcpu), stage: 'schema',
        explanation: `${max} vCPUs is more than the schema allows (65535); no machine type supports that many.` });
    }
    if (max !== undefined && max > 255 && ctx.mapArch === 'x86') x86ManyVcpus(ctx, max);

    const placement = attr(vcpu, 'placement');
    if (placement && placement.value !== 'static' && placement.value !== 'auto') {
      report.add({ code: 'libvirt/invalid-value', at: valueSpan(placement), stage: 'define', upstream: lv.invalidEnum('placement', 'vcpu', placement.value),
        explanation: "placement is 'static' (use cpuset) or 'auto' (numad chooses)." });
    }
    const cpuset = attr(vcpu, 'cpuset');
    if (cpuset) {
      if (placement?.value === 'auto') {
        checkSetSchema(ctx, cpuset);
        report.add({ code: 'libvirt/vcpu-cpuset-ignored', at: attrSpan(cpuset), stage: 'define', severity: 'warning', tags: ['unnecessary'],
          explanation: "With placement='auto' libvirt ignores cpuset (not even parsed): numad decides where vCPUs run. Remove cpuset or use placement='static'.",
          fixes: [{ title: 'Remove the ignored cpuset', edits: [report.edit(attrRemovalSpan(cpuset), '')] }] });
      } else {
        checkSet(ctx, cpuset, 'libvirt/cpuset-empty', 'host CPU', lv.emptySet('cpuset', cpuset.value));
      }
    }
    const current = attr(vcpu, 'current');
    if (current) {
      const cur = parseUInt(current.value);
      if (cur === undefined) {
        report.add({ code: 'libvirt/invalid-value', at: valueSpan(current), stage: 'define', upstream: lv.notUInt('current', 'vcpu', current.value),
          explanation: 'current is the number of vCPUs online at boot: a plain number not above the maximum.' });
      } else if (model.vcpus) {
        // libvirt's own dumpxml writes current as the count of enabled vCPUs: only a different number is lost.
        const enabled = childrenNamed(model.vcpus, 'vcpu').filter((v) => attr(v, 'enabled')?.value === 'yes').length;
        if (cur !== enabled) {
          report.add({ code: 'libvirt/vcpu-current-ignored', at: attrSpan(current), stage: 'define', severity: 'warning', tags: ['unnecessary'],
            explanation: `With <vcpus> present libvirt ignores current (${cur}) and counts the vCPUs with enabled='yes' instead (${enabled}).`,
            fixes: [{ title: `Set current to ${enabled}`, edits: [report.edit(valueSpan(current), String(enabled))] }] });
        }
      } else if (max !== undefined && cur > max) {
        report.add({ code: 'libvirt/vcpu-current-gt-max', at: valueSpan(current), stage: 'define',
          upstream: 'unsupported configuration: maximum vCPU count must not be less than current vCPU count',
          explanation: `current (${cur}) is above the maximum (${max}). Raise <vcpu> or lower current.`,
          fixes: [{ title: `Set current to ${max}`, edits: [report.edit(valueSpan(current), String(max))] }] });
      } else if (cur === 0 && /^(qemu|kvm)$/.test(model.virtType)) {
        report.add({ code: 'libvirt/vcpu-current-zero', at: valueSpan(current), stage: 'define (qemu)', upstream: "unsupported configuration: vcpu 0 can't be offline",
          explanation: 'current=0 would start the guest with no vCPU online; QEMU needs at least vCPU 0. Use current=\'1\' or more.',
          fixes: [{ title: "Set current to 1", edits: [report.edit(valueSpan(current), '1')] }] });
      } else if (cur === 0) {
        report.add({ code: 'libvirt/vcpu-current-zero', at: valueSpan(current), stage: 'schema', explanation: 'current must be at least 1 (schema).' });
      }
    }
  }
  if (model.vcpus) vcpusRules(ctx);
  pseriesGranularity(ctx);
}

/** pseries hot-plugs whole cores: the online vCPU count must be a multiple of threads (qemu_validate.c). */
function pseriesGranularity(ctx: RuleContext): void {
  const { model, report } = ctx;
  if (!model.vcpu || !/^ppc64/.test(model.arch) || !/^pseries/.test(model.machine) || model.vcpus) return;
  const threads = parseUInt(attr(child(model.cpu, 'topology'), 'threads')?.value ?? '');
  const current = parseUInt(attr(model.vcpu, 'current')?.value ?? '') ?? model.maxVcpus;
  if (!threads || threads <= 1 || current === undefined || current % threads === 0) return;
  report.add({ code: 'libvirt/vcpu-hotplug-granularity', at: textSpan(model.vcpu), stage: 'define (qemu)',
    upstream: `unsupported configuration: vCPUs count must be a multiple of the vCPU hotplug granularity (${threads})`,
    explanation: `pseries guests add vCPUs a whole core (${threads} threads) at a time: make current a multiple of ${threads}.` });
}

/** More than 255 vCPUs on x86 needs q35 and an IOMMU with extended interrupt mode (qemu_validate.c). */
function x86ManyVcpus(ctx: RuleContext, max: number): void {
  const { model, report } = ctx;
  if (!model.vcpu || !/^(qemu|kvm)$/.test(model.virtType)) return;
  // The machine type's own limit comes first: i440fx 255; q35 288 in QEMU 7.2 (what Debian pairs
  // with libvirt 9.0), 4096 in the QEMU releases that come with libvirt 12.x.
  const i440fx = model.machine === '' || /^pc($|-i440fx|-\d)/.test(model.machine);
  const limit = i440fx ? 255 : /q35/.test(model.machine) ? (ctx.version.major < 10 ? 288 : 4096) : undefined;
  if (limit !== undefined && max > limit) {
    report.add({ code: 'libvirt/vcpu-machine-limit', at: textSpan(model.vcpu), stage: 'define (qemu)',
      upstream: `unsupported configuration: Maximum CPUs greater than specified machine type limit ${limit}`,
      explanation: `The ${model.machine || 'pc'} machine type takes at most ${limit} vCPUs${i440fx ? '; use q35 for more' : ' with this QEMU'}.` });
    return;
  }
  if (!/q35/.test(model.machine)) {
    report.add({ code: 'libvirt/vcpu-needs-q35', at: textSpan(model.vcpu), stage: 'define (qemu)',
      upstream: 'unsupported configuration: more than 255 vCPUs are only supported on q35-based machine types',
      explanation: `${max} vCPUs need a q35 machine type (<type machine='q35'>); i440fx ('pc') stops at 255.` });
    return;
  }
  const iommu = childrenNamed(child(model.domain, 'devices'), 'iommu')[0];
  const eimA = attr(child(iommu, 'driver'), 'eim');
  const eim = eimA?.value === 'on';
  // Newer libvirt (after 9.0, by 11.3) adds the IOMMU and turns eim on by itself unless told otherwise; 9.0 rejects.
  if (!eimA && (!iommu || attr(iommu, 'model')?.value === 'intel') && atLeast(ctx.version, 10, 0)) {
    report.add({ code: 'libvirt/vcpu-iommu-added', at: textSpan(model.vcpu), stage: 'define (qemu)', severity: 'information',
      explanation: `${max} vCPUs need an IOMMU with extended interrupt mode: libvirt ${ctx.version.label} ${iommu ? "sets eim='on' on the intel IOMMU" : "adds <iommu model='intel'><driver intremap='on' eim='on'/></iommu> to <devices>"} by itself (libvirt 9.0 refuses instead).` });
    return;
  }
  if (!eim) {
    report.add({ code: 'libvirt/vcpu-needs-eim', at: textSpan(model.vcpu), stage: 'define (qemu)',
      upstream: 'unsupported configuration: more than 255 vCPUs require extended interrupt mode enabled on the iommu device',
      explanation: `${max} vCPUs need <iommu model='intel'><driver intremap='on' eim='on'/></iommu> in <devices> (x2APIC ids above 255).` });
  }
}

/** `<vcpus><vcpu id enabled hotpluggable order/>` (parser, post-parse and qemu's ordering rules). */
function vcpusRules(ctx: RuleContext): void {
  const { model, report } = ctx;
  const max = model.maxVcpus;
  const entries = childrenNamed(model.vcpus, 'vcpu');
  /** hp = the hotpluggable the XML states (qemu's post-parse runs before libvirt fills the defaults). */
  const seen = new Map<number, { enabled: boolean; hp?: boolean; order?: number }>();
  for (const el of entries) {
    const idA = attr(el, 'id');
    const enA = attr(el, 'enabled');
    if (!idA) { report.add({ code: 'libvirt/missing-attribute', at: nameSpan(el), stage: 'define', upstream: lv.missingAttr('id', 'vcpu'), explanation: 'Each <vcpus><vcpu> needs an id.' }); continue; }
    const id = parseUInt(idA.value);
    if (id === undefined) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(idA), stage: 'define', upstream: lv.notUInt('id', 'vcpu', idA.value), explanation: 'The vCPU id is a number below the <vcpu> count.' }); continue; }
    if (max !== undefined && id >= max) {
      report.add({ code: 'libvirt/vcpus-id-out-of-range', at: valueSpan(idA), stage: 'define', upstream: `XML error: vcpu id '${id}' is out of range of maximum vcpu count`,
        explanation: `vCPU ids go from 0 to ${max - 1} (<vcpu> is ${max}).` });
      continue;
    }
    if (!enA) { report.add({ code: 'libvirt/missing-attribute', at: nameSpan(el), stage: 'define', upstream: lv.missingAttr('enabled', 'vcpu'), explanation: "Say whether the vCPU is online at boot: enabled='yes' or 'no'." }); continue; }
    if (enA.value !== 'yes' && enA.value !== 'no') { report.add({ code: 'libvirt/invalid-value', at: valueSpan(enA), stage: 'define', upstream: lv.invalidEnum('enabled', 'vcpu', enA.value), explanation: "enabled is 'yes' or 'no'." }); continue; }
    const enabled = enA.value === 'yes';
    const hpA = attr(el, 'hotpluggable');
    if (hpA && hpA.value !== 'yes' && hpA.value !== 'no') { report.add({ code: 'libvirt/invalid-value', at: valueSpan(hpA), stage: 'define', upstream: lv.invalidEnum('hotpluggable', 'vcpu', hpA.value), explanation: "hotpluggable is 'yes' or 'no'." }); continue; }
    const hotpluggable = hpA ? hpA.value === 'yes' : !enabled;
    const orderA = attr(el, 'order');
    const order = orderA ? parseUInt(orderA.value) : undefined;
    if (orderA && order === undefined) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(orderA), stage: 'define', upstream: lv.notUInt('order', 'vcpu', orderA.value), explanation: 'order is a number.' }); continue; }
    if (!enabled && !hotpluggable) {
      report.add({ code: 'libvirt/vcpu-offline-not-hotpluggable', at: nameSpan(el), stage: 'define', upstream: `unsupported configuration: vcpu '${id}' is both offline and not hotpluggable`,
        explanation: `vCPU ${id} is offline and could never be plugged in. Set hotpluggable='yes' or enabled='yes'.` });
    }
    seen.set(id, { enabled, hp: hpA ? hpA.value === 'yes' : undefined, order });
  }
  if (!/^(qemu|kvm)$/.test(model.virtType) || max === undefined || max === 0) return;
  // qemuDomainDefVcpusPostParse walks every vCPU id (unlisted ones are offline). It runs before the
  // generic post-parse gives hotpluggable its default, so only what the XML states counts here.
  const state = (id: number) => seen.get(id) ?? { enabled: false, hp: undefined, order: undefined };
  const at = nameSpan(model.vcpus!);
  const q = (code: LibvirtCode, msg: string, explanation: string) => report.add({ code, at, stage: 'define (qemu)', upstream: `unsupported configuration: ${msg}`, explanation });
  const v0 = state(0);
  if (!v0.enabled) return q('libvirt/vcpu0-offline', "vcpu 0 can't be offline", "QEMU always starts with vCPU 0: give it enabled='yes'.");
  if (v0.hp === true) return q('libvirt/vcpu0-hotpluggable', "vcpu0 can't be hotpluggable", "vCPU 0 cannot be unplugged: hotpluggable='no'.");
  if (v0.order && v0.order !== 1) return q('libvirt/vcpu-order', 'vcpu0 must be enabled first', "vCPU 0 must have order='1'.");
  const hasOrder = !!v0.order;
  startOrder(ctx, seen, max);
  // Unlisted vCPUs (offline, nothing stated) pass every check: visit only the listed ones, in id
  // order, so the work follows the document's length and not the number in <vcpu>.
  for (const id of [...seen.keys()].filter((i) => i > 0).sort((a, b) => a - b)) {
    const s = state(id);
    const prev = state(id - 1);
    if (s.enabled && !!s.order !== hasOrder) return q('libvirt/vcpu-order', 'all vcpus must have either set or unset order', 'Give every online vCPU an order, or none of them.');
    if (s.hp === false) {
      // 9.0 still has the typo "hotplugable" (fixed when the code moved to qemu_postparse.c).
      if (prev.hp === true) return q('libvirt/vcpu-order', `online non-hotpluggable vcpus need to be ordered prior to ${atLeast(ctx.version, 10, 0) ? 'hotpluggable' : 'hotplugable'} vcpus`, 'Non-hotpluggable vCPUs must come first (lowest ids), before any hotpluggable one.');
      if ((prev.order ?? 0) > (s.order ?? 0)) return q('libvirt/vcpu-order', 'online non-hotpluggable vcpus must be ordered in ascending order', 'Give the non-hotpluggable vCPUs ascending order values in id order.');
    }
  }
}

/** qemuProcessSetupHotpluggableVcpus (at start): orders are unique and within the vCPU count. */
function startOrder(ctx: RuleContext, seen: Map<number, { enabled: boolean; order?: number }>, max: number): void {
  const used = new Set<number>();
  for (const [, s] of [...seen].sort((a, b) => a[0] - b[0])) {
    if (!s.order) continue;
    const problem = used.has(s.order) ? `duplicate vcpu order '${s.order}'` : s.order > max ? `vcpu order '${s.order}' exceeds vcpu count` : undefined;
    if (problem) {
      ctx.report.add({ code: 'libvirt/vcpu-order', at: nameSpan(ctx.model.vcpus!), stage: 'vm start', upstream: `unsupported configuration: ${problem}`,
        explanation: `Each vCPU's order must be unique and at most ${max}: the guest fails to start otherwise.` });
      return;
    }
    used.add(s.order);
  }
}
