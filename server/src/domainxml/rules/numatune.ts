/** `<numatune>`: memory mode/placement/nodeset, memnodes against the guest cells (docs/rules/libvirt.md). */
import { attr, childrenNamed } from '../scan';
import { quoteValue } from '../../core/findingCap';
import { attrSpan, nameSpan, valueSpan } from '../report';
import { lv, parseUInt } from '../messages';
import { atLeast } from '../version';
import { checkSet, type RuleContext } from './context';

const MODES = ['strict', 'preferred', 'interleave', 'restrictive'];

export function numatuneRules(ctx: RuleContext): void {
  const { model, report } = ctx;
  const all = childrenNamed(model.domain, 'numatune');
  if (all.length > 1) {
    report.add({ code: 'libvirt/numatune-duplicate', at: nameSpan(all[1]), stage: 'define', upstream: 'XML error: only one numatune is supported', explanation: 'Merge the <numatune> elements into one.' });
    return;
  }
  const nt = model.numatune;
  if (!nt) return;
  const memory = childrenNamed(nt, 'memory')[0];
  // Without <memory>, placement follows <vcpu placement> (libvirt adds an implicit auto <memory>);
  // a bare <memory/> sets nothing, not even that.
  const bare = !!memory && memory.attrs.length === 0;
  let placementAuto = !memory && model.vcpuPlacementAuto;
  let memMode = 'strict';
  if (memory) {
    const modeA = attr(memory, 'mode');
    if (modeA && !MODES.includes(modeA.value)) {
      report.add({ code: 'libvirt/numatune-mode', at: valueSpan(modeA), stage: 'define', upstream: `unsupported configuration: Unsupported NUMA memory tuning mode '${quoteValue(modeA.value)}'`, explanation: `mode is one of ${MODES.join(', ')}.` });
      return;
    }
    memMode = modeA?.value ?? 'strict';
    const placementA = attr(memory, 'placement');
    if (placementA && placementA.value !== 'static' && placementA.value !== 'auto') {
      report.add({ code: 'libvirt/numatune-placement', at: valueSpan(placementA), stage: 'define', upstream: `unsupported configuration: Unsupported NUMA memory placement mode '${quoteValue(placementA.value)}'`, explanation: "placement is 'static' or 'auto'." });
      return;
    }
    const nodesetA = attr(memory, 'nodeset');
    // Default placement: static when a nodeset is given, else whatever <vcpu placement> says.
    placementAuto = placementA ? placementA.value === 'auto' : !nodesetA && !bare && model.vcpuPlacementAuto;
    // libvirt parses the nodeset before it decides to drop it, so its syntax still counts.
    if (nodesetA && placementAuto) {
      if (checkSet(ctx, nodesetA, 'libvirt/cpuset-empty', 'host NUMA node', lv.emptySet('nodeset', nodesetA.value)) === undefined) return;
      report.add({ code: 'libvirt/numatune-nodeset-ignored', at: attrSpan(nodesetA), stage: 'schema', tags: ['unnecessary'],
        explanation: "With placement='auto' numad picks the nodes: libvirt drops this nodeset (and the schema rejects the combination). Remove nodeset or use placement='static'." });
    } else if (nodesetA) {
      if (checkSet(ctx, nodesetA, 'libvirt/cpuset-empty', 'host NUMA node', lv.emptySet('nodeset', nodesetA.value)) === undefined) return;
    } else if (!placementAuto && (modeA || placementA)) {
      // (A bare <memory/> sets nothing at all, and libvirt accepts it.)
      report.add({ code: 'libvirt/numatune-nodeset-missing', at: nameSpan(memory), stage: 'define', upstream: "unsupported configuration: nodeset for NUMA memory tuning must be set if 'placement' is 'static'",
        explanation: "Give the host NUMA nodes (nodeset='0-1') or let numad choose (placement='auto').",
        fixes: [{ title: "Use placement='auto'", edits: [report.edit({ start: memory.nameEnd, end: memory.nameEnd }, " placement='auto'")] }] });
      return;
    }
    if (placementAuto && !model.vcpuPlacementAuto && model.vcpu && !attr(model.vcpu, 'cpuset') && !hasPins(ctx)) {
      report.add({ code: 'libvirt/vcpu-placement-becomes-auto', at: nameSpan(memory), stage: 'define', severity: 'information',
        explanation: "With numatune placement='auto' and nothing pinned, libvirt also switches <vcpu> to placement='auto' (numad places the vCPUs too)." });
    }
  }
  const memnodes = childrenNamed(nt, 'memnode');
  const cells = model.cells.length;
  const seen = new Set<number>();
  const perNodeAuto = () => report.add({ code: 'libvirt/numatune-memnode-auto', at: nameSpan(memnodes[0]), stage: 'define', upstream: 'unsupported configuration: Per-node binding is not compatible with automatic NUMA placement.',
    explanation: "memnode pins cells to chosen host nodes, which contradicts automatic placement (placement='auto' here or on <vcpu>). Use placement='static' with a nodeset." });
  // Auto placement (explicit, or implied by <vcpu placement='auto'>) refuses memnodes before any is read.
  if (memnodes.length && placementAuto) return perNodeAuto();
  for (const mn of memnodes) {
    if (cells === 0) {
      report.add({ code: 'libvirt/numatune-memnode-no-cells', at: nameSpan(mn), stage: 'define', upstream: "XML error: Element 'memnode' is invalid without any guest NUMA cells",
        explanation: 'memnode binds a guest NUMA cell; define cells in <cpu><numa> first, or use <memory nodeset> for the whole guest.' });
      return;
    }
    const cellA = attr(mn, 'cellid');
    if (!cellA) { report.add({ code: 'libvirt/missing-attribute', at: nameSpan(mn), stage: 'define', upstream: lv.missingAttr('cellid', 'memnode'), explanation: 'memnode needs the guest cell id.' }); return; }
    const cellid = parseUInt(cellA.value);
    if (cellid === undefined) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(cellA), stage: 'define', upstream: lv.notUInt('cellid', 'memnode', cellA.value), explanation: 'cellid is a guest cell id.' }); return; }
    if (cellid >= cells) {
      report.add({ code: 'libvirt/numatune-memnode-cellid', at: valueSpan(cellA), stage: 'define', upstream: "XML error: Argument 'cellid' in memnode element must correspond to existing guest's NUMA cell",
        explanation: `The guest has ${cells} NUMA cell${cells === 1 ? '' : 's'} (ids 0..${cells - 1}).` });
      return;
    }
    if (seen.has(cellid)) {
      report.add({ code: 'libvirt/numatune-memnode-duplicate', at: valueSpan(cellA), stage: 'define', upstream: `XML error: Multiple memnode elements with cellid ${cellid}`, explanation: 'One memnode per guest cell.' });
      return;
    }
    seen.add(cellid);
    const modeA = attr(mn, 'mode');
    if (modeA && !MODES.includes(modeA.value)) { report.add({ code: 'libvirt/invalid-value', at: valueSpan(modeA), stage: 'define', upstream: lv.invalidEnum('mode', 'memnode', modeA.value), explanation: `mode is one of ${MODES.join(', ')}.` }); return; }
    const nodesetA = attr(mn, 'nodeset');
    if (!nodesetA) { report.add({ code: 'libvirt/numatune-memnode-nodeset', at: nameSpan(mn), stage: 'define', upstream: 'XML error: Missing required nodeset attribute in memnode element', explanation: 'memnode needs the host NUMA nodes (nodeset).' }); return; }
    if (checkSet(ctx, nodesetA, 'libvirt/cpuset-empty', 'host NUMA node', lv.emptySet('nodeset', nodesetA.value)) === undefined) return;
  }
  restrictive(ctx, memory !== undefined, memMode, memnodes.map((mn) => attr(mn, 'mode')?.value ?? 'strict'));
}

/** `restrictive` must be used for <memory> and every <memnode> or for none (virDomainNumaDefValidate). */
function restrictive(ctx: RuleContext, hasMemory: boolean, memMode: string, nodeModes: string[]): void {
  const { model, report } = ctx;
  const at = nameSpan(model.numatune!);
  if (memMode === 'restrictive' && nodeModes.some((x) => x !== 'restrictive')) {
    report.add({ code: 'libvirt/numatune-restrictive', at, stage: 'define', upstream: "XML error: 'restrictive' mode is required in memnode element when mode is 'restrictive' in memory element",
      explanation: "restrictive (cgroups-only) cannot be mixed with other modes: make every memnode mode='restrictive' too." });
  } else if (atLeast(ctx.version, 10, 0) && nodeModes.includes('restrictive') && (!hasMemory || memMode !== 'restrictive')) {
    // Added to virDomainNumaDefValidate after 9.0 (9.0 accepts a restrictive memnode alone).
    report.add({ code: 'libvirt/numatune-restrictive', at, stage: 'define', upstream: "XML error: 'restrictive' mode is required in memory element when mode is 'restrictive' in memnode element",
      explanation: "A restrictive memnode needs <memory mode='restrictive'> as well." });
  }
}

function hasPins(ctx: RuleContext): boolean {
  const ct = ctx.model.cputune;
  return !!ct && ct.children.some((c) => c.name === 'vcpupin' || c.name === 'emulatorpin' || c.name === 'iothreadpin');
}
