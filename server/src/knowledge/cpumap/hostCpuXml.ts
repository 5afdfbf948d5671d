/**
 * Reads host CPUs for baseline the way `virsh cpu-baseline FILE` does: every <cpu> in the file
 * (top-level ones, or inside `virsh capabilities` output), and the host-model CPU of a
 * `virsh domcapabilities` output, each parsed as a *host* CPU definition.
 */
import type { HostCpu } from './types';
import { BaselineError } from './baseline';
import { childrenNamed, firstChild, parseXml, type XmlElement } from './xmlTree';

export function parseHostCpus(text: string): HostCpu[] {
  // virsh wraps the file in a container so that several top-level <cpu> elements parse.
  const body = text.replace(/<\?xml[^>]*\?>/g, '');
  const root = parseXml(`<container>${body}</container>`);
  if (typeof root === 'string') throw new BaselineError('XML error', root);
  const cpus: XmlElement[] = [];
  collect(root, cpus);
  if (cpus.length === 0) {
    throw new BaselineError('invalid argument', 'the input does not contain any <cpu> element or valid domain XML, host capabilities XML, or domain capabilities XML');
  }
  return cpus.map(parseHostCpu);
}

function collect(el: XmlElement, out: XmlElement[]): void {
  for (const child of el.children) {
    if (child.name === 'cpus') continue; // a cpu_map or NUMA <cpus>, never a CPU definition
    if (child.name === 'cpu' && el.name === 'domainCapabilities') {
      const hostModel = child.children.find((m) => m.name === 'mode' && m.attrs.name === 'host-model');
      if (hostModel) out.push({ ...hostModel, name: 'cpu', attrs: {} });
    } else if (child.name === 'cpu') {
      out.push(child);
    } else {
      collect(child, out);
    }
  }
}

function text(el: XmlElement | undefined): string | undefined {
  return el?.text?.trim() || undefined;
}

/** virCPUDefParseXML with type=host: arch and model are required; feature policies are ignored. */
function parseHostCpu(el: XmlElement): HostCpu {
  if (el.attrs.mode !== undefined) throw new BaselineError('XML error', 'Attribute mode is only allowed for guest CPU');
  const arch = text(firstChild(el, 'arch'));
  if (!arch) throw new BaselineError('XML error', 'Missing CPU architecture');
  const model = text(firstChild(el, 'model'));
  if (!model) throw new BaselineError('XML error', 'Missing CPU model name');
  const vendor = text(firstChild(el, 'vendor'));
  const features = childrenNamed(el, 'feature').map((f) => {
    if (!f.attrs.name) throw new BaselineError('XML error', 'Invalid CPU feature name');
    return f.attrs.name;
  });
  const cpu: HostCpu = { arch, model, features };
  if (vendor) cpu.vendor = vendor;
  return cpu;
}
