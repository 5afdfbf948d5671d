/**
 * Reads cpu_map files into a RawMap: today's directory (index.xml + includes) and the legacy single
 * cpu_map.xml, which is the same <cpus><arch> shape with everything inline. Load order follows
 * libvirt's cpuMapLoad: per arch the inline elements, then each include in document order (groups
 * included); within one file all vendors, then all features, then all models.
 */
import { realpathSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { describeFsError, readRegularFile } from '../../core/readFile';
import type { MapArch } from './types';
import { MapError, isMapArch, type RawArch, type RawDataItem, type RawFeature, type RawMap, type RawModel, type RawSignature, type RawVendor } from './rawMap';
import { childrenNamed, firstChild, parseXml, type XmlElement } from './xmlTree';

/** User maps are a few hundred KiB at most (libvirt's biggest file, x86_features.xml, ~25 KiB); anything far bigger is not a cpu_map. */
export const MAX_MAP_FILE_BYTES = 4 * 1024 * 1024;
/**
 * libvirt's own map is 0.1-1.5 MiB in ~120 files: the bound for one map, index and includes
 * together. Loading costs ~15 bytes of memory per byte of map (every model's feature set and
 * name index), so 8 MiB keeps a map under ~150 MB; at 32 MiB a map the limits admitted took
 * 463 MB and 9 s of CPU (issue 7).
 */
export const MAX_MAP_TOTAL_BYTES = 8 * 1024 * 1024;
export const MAX_MAP_INCLUDES = 1024;

/**
 * What reading one map may touch: files under its own directory only (real paths, so a link
 * cannot lead out), each once, within a total of bytes and includes. A map that would go past
 * any of these is refused as a whole, and nothing of a file outside is read or quoted.
 */
interface ReadScope {
  /** The real path of the map's directory. */
  dir: string;
  read: Set<string>;
  bytes: number;
  includes: number;
}

export interface ParseOptions {
  /** Recorded as the layer's origin (defaults to the path). */
  origin?: string;
}

/** A directory holding index.xml, an index.xml itself, or a legacy single-file map. Throws MapError. */
export function readMapPath(path: string, options: ParseOptions = {}): RawMap {
  let file = path;
  if (statOrThrow(path, path).isDirectory()) file = join(path, 'index.xml');
  const scope: ReadScope = { dir: realOrThrow(dirname(file), file), read: new Set(), bytes: 0, includes: 0 };
  const root = readMapFile(file, scope);
  const hasIncludes = root.children.some((arch) => arch.name === 'arch' && collectIncludes(arch).length > 0);
  return parseRoot(root, file, { origin: options.origin ?? path, directory: hasIncludes, scope });
}

/** Parses map text that is already in memory (a legacy file or an index without includes). */
export function parseMapText(text: string, file: string, options: ParseOptions = {}): RawMap {
  return parseRoot(rootOf(text, file), file, { origin: options.origin ?? file, directory: false, scope: undefined });
}

function statOrThrow(path: string, reportAs: string) {
  try {
    return statSync(path);
  } catch (e) {
    throw new MapError(reportAs, `cannot read CPU map '${reportAs}': ${describeFsError(e)}`);
  }
}

function realOrThrow(path: string, reportAs: string): string {
  try {
    return realpathSync(path);
  } catch (e) {
    throw new MapError(reportAs, `cannot read CPU map '${reportAs}': ${describeFsError(e)}`);
  }
}

function readMapFile(file: string, scope: ReadScope): XmlElement {
  const real = realOrThrow(file, file);
  if (scope.read.has(real)) throw new MapError(file, `CPU map '${file}' is included more than once; the map was not loaded`);
  scope.read.add(real);
  const left = MAX_MAP_TOTAL_BYTES - scope.bytes;
  // Only regular files (a FIFO or device named as a map would block or never end), size checked before reading.
  const read = readRegularFile(real, Math.min(MAX_MAP_FILE_BYTES, left));
  if (!read.ok) {
    if (read.tooLarge === undefined) throw new MapError(file, `cannot read CPU map '${file}': ${read.reason}`);
    if (read.tooLarge > MAX_MAP_FILE_BYTES) throw new MapError(file, `CPU map '${file}' is too large (${read.tooLarge} bytes; the limit is ${MAX_MAP_FILE_BYTES})`);
    throw new MapError(file, `CPU map '${file}' takes the map over ${MAX_MAP_TOTAL_BYTES} bytes read in all (index and includes); the map was not loaded`);
  }
  scope.bytes += read.bytes.length;
  return rootOf(read.bytes.toString('utf8'), file);
}

function rootOf(text: string, file: string): XmlElement {
  const root = parseXml(text);
  if (typeof root === 'string') throw new MapError(file, `cannot parse CPU map '${file}': ${root}`);
  if (root.name !== 'cpus') throw new MapError(file, `'${file}' is not a CPU map: the root element is <${root.name}>, not <cpus>`);
  return root;
}

interface Include {
  filename: string | undefined;
  group?: string;
}

function collectIncludes(arch: XmlElement): Include[] {
  const out: Include[] = [];
  for (const child of arch.children) {
    if (child.name === 'include') out.push({ filename: child.attrs.filename });
    if (child.name === 'group') {
      for (const inc of childrenNamed(child, 'include')) out.push({ filename: inc.attrs.filename, group: child.attrs.name });
    }
  }
  return out;
}

interface RootContext {
  origin: string;
  /** Directory-format maps need <decode> on x86 models (libvirt >= 9.0); legacy files predate it. */
  directory: boolean;
  /** Where includes may be read from; undefined for text already in memory (no includes read). */
  scope: ReadScope | undefined;
}

function parseRoot(root: XmlElement, file: string, ctx: RootContext): RawMap {
  const map: RawMap = { origin: ctx.origin, arches: {} };
  const seen = new Set<string>();
  for (const archEl of childrenNamed(root, 'arch')) {
    const archName = archEl.attrs.name;
    // libvirt only reads the arches it has drivers for; others (s390 in old maps) are skipped.
    if (!archName || !isMapArch(archName)) continue;
    if (seen.has(archName)) throw new MapError(file, `CPU map '${file}' defines arch '${archName}' more than once`);
    seen.add(archName);
    const arch: RawArch = { vendors: [], features: [], models: [] };
    addElements(arch, archName, archEl, file, undefined, ctx);
    for (const inc of collectIncludes(archEl)) {
      if (!inc.filename) throw new MapError(file, `Missing 'filename' in CPU map include in '${file}'`);
      addElements(arch, archName, readInclude(file, inc.filename, ctx), join(dirname(file), inc.filename), inc.group, ctx);
    }
    map.arches[archName] = arch;
  }
  if (seen.size === 0) throw new MapError(file, `cannot find CPU map for x86, ppc64 or arm architecture in '${file}'`);
  return map;
}

function readInclude(file: string, filename: string, ctx: RootContext): XmlElement {
  const scope = ctx.scope;
  if (!scope) throw new MapError(file, `CPU map '${file}' includes '${filename}', but a map given as text cannot include files`);
  if (++scope.includes > MAX_MAP_INCLUDES) throw new MapError(file, `CPU map '${file}' has more than ${MAX_MAP_INCLUDES} includes; the map was not loaded`);
  const incFile = join(dirname(file), filename);
  const real = realOrThrow(incFile, incFile);
  // Checked before reading: a file outside the map's directory is never opened, so never quoted.
  if (!real.startsWith(scope.dir + sep)) {
    throw new MapError(file, `CPU map '${file}' includes '${filename}', which is outside the map's directory ${scope.dir}: refused, not read; the map was not loaded`);
  }
  return readMapFile(incFile, scope);
}

function addElements(arch: RawArch, archName: MapArch, container: XmlElement, file: string, group: string | undefined, ctx: RootContext): void {
  for (const el of childrenNamed(container, 'vendor')) arch.vendors.push(parseVendor(el, file));
  for (const el of childrenNamed(container, 'feature')) arch.features.push(parseFeature(el, archName, file));
  for (const el of childrenNamed(container, 'model')) arch.models.push(parseModel(el, archName, file, group, ctx));
}

function nameOf(el: XmlElement, file: string): string {
  const name = el.attrs.name;
  if (!name) throw new MapError(file, `cannot find ${el.name} name in CPU map '${file}'`);
  return name;
}

function parseVendor(el: XmlElement, file: string): RawVendor {
  const vendor: RawVendor = { name: nameOf(el, file) };
  const str = el.attrs.string ?? el.attrs.value;
  if (str !== undefined) vendor.string = str;
  return vendor;
}

/** libvirt reads these with strtoul base 0: 0x.. is hex, a leading 0 is octal. */
export function parseUInt(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^0[0-7]+$/.test(t)) n = parseInt(t, 8);
  else if (/^[0-9]+$/.test(t)) n = parseInt(t, 10);
  else return undefined;
  return n > 0xffffffff ? undefined : n >>> 0;
}

function parseFeature(el: XmlElement, archName: MapArch, file: string): RawFeature {
  const name = nameOf(el, file);
  const feature: RawFeature = { name };
  if (el.attrs.migratable === 'no') feature.migratable = false;
  const aliases = childrenNamed(el, 'alias').map((a) => a.attrs.name).filter((a): a is string => !!a);
  if (aliases.length) feature.aliases = aliases;
  if (archName !== 'x86') return feature;
  const data: RawDataItem[] = [];
  el.children.forEach((item, i) => {
    if (item.name === 'alias') return;
    const parsed = item.name === 'cpuid' ? parseCpuid(item) : parseMsr(item);
    if (!parsed) throw new MapError(file, `Invalid ${item.name === 'cpuid' ? 'cpuid' : 'msr'}[${i}] in CPU feature ${name} in CPU map '${file}'`);
    data.push(parsed);
  });
  if (data.length === 0) throw new MapError(file, `no x86 CPU data found for CPU feature ${name} in CPU map '${file}'`);
  feature.data = data;
  return feature;
}

function parseCpuid(el: XmlElement): RawDataItem | undefined {
  const a = el.attrs;
  // Maps before 2017 (v1.2.17) call the leaf `function`; sub-leaves came with eax_in/ecx_in.
  const leaf = parseUInt(a.eax_in ?? a.function);
  if (leaf === undefined) return undefined;
  const regs = [a.ecx_in, a.eax, a.ebx, a.ecx, a.edx].map((v) => (v === undefined ? 0 : parseUInt(v)));
  if (regs.some((r) => r === undefined)) return undefined;
  const [ecxIn, eax, ebx, ecx, edx] = regs as number[];
  return ['c', leaf, ecxIn, eax, ebx, ecx, edx];
}

function parseMsr(el: XmlElement): RawDataItem | undefined {
  if (el.name !== 'msr') return undefined;
  const [index, eax, edx] = [el.attrs.index, el.attrs.eax, el.attrs.edx].map(parseUInt);
  if (index === undefined || eax === undefined || edx === undefined) return undefined;
  return ['m', index, eax, edx];
}

function parseModel(el: XmlElement, archName: MapArch, file: string, group: string | undefined, ctx: RootContext): RawModel {
  const name = nameOf(el, file);
  const model: RawModel = { name };
  if (group) model.group = group;
  const ancestor = firstChild(el, 'model');
  if (ancestor) {
    if (!ancestor.attrs.name) throw new MapError(file, `Missing ancestor's name in CPU model ${name} in CPU map '${file}'`);
    model.ancestor = ancestor.attrs.name;
  }
  const vendor = firstChild(el, 'vendor');
  if (vendor) {
    if (!vendor.attrs.name) throw new MapError(file, `Invalid vendor element in CPU model ${name} in CPU map '${file}'`);
    model.vendor = vendor.attrs.name;
  }
  const sigs = childrenNamed(el, 'signature');
  if (sigs.length) model.signatures = sigs.map((s) => parseSignature(s, name, file));
  for (const f of childrenNamed(el, 'feature')) {
    if (!f.attrs.name) throw new MapError(file, `Missing feature name for CPU model ${name} in CPU map '${file}'`);
    const kind = f.attrs.removed === 'yes' ? 'removed' : f.attrs.added === 'yes' ? 'added' : 'features';
    (model[kind] ??= []).push(f.attrs.name);
  }
  const decode = firstChild(el, 'decode');
  if (decode) {
    const host = onOff(decode.attrs.host);
    const guest = onOff(decode.attrs.guest);
    if (host === undefined || guest === undefined) throw new MapError(file, `invalid decode element in CPU model ${name} in CPU map '${file}'`);
    model.decode = { host, guest };
  } else if (archName === 'x86' && ctx.directory) {
    throw new MapError(file, `missing decode element in CPU model ${name} in CPU map '${file}'`);
  }
  if (firstChild(el, 'check')?.attrs.partial === 'compat') model.compat = true;
  const pvr = childrenNamed(el, 'pvr').map((p) => p.attrs.value).filter((v): v is string => !!v);
  if (pvr.length) model.pvr = pvr;
  return model;
}

function onOff(v: string | undefined): boolean | undefined {
  return v === 'on' ? true : v === 'off' ? false : undefined;
}

function parseSignature(el: XmlElement, model: string, file: string): RawSignature {
  const family = parseUInt(el.attrs.family);
  if (!family) throw new MapError(file, `Invalid CPU signature family in model ${model} in CPU map '${file}'`);
  const sigModel = parseUInt(el.attrs.model);
  if (sigModel === undefined) throw new MapError(file, `Invalid CPU signature model in model ${model} in CPU map '${file}'`);
  const sig: RawSignature = { family, model: sigModel };
  if (el.attrs.stepping) sig.stepping = el.attrs.stepping;
  return sig;
}
