/**
 * What the checks are judging with, in words for the user: the Nova release, the libvirt version,
 * the cpu_maps in effect, and every setting or map that was not understood. The language server
 * sends it to the client (protocol.ts's STATUS_NOTIFICATION: the language status item and the output
 * channel); the CLI prints the problems once on stderr. Settings problems are said here, once,
 * and never as a finding on every file.
 */
import type { Knowledge } from './knowledge/knowledge';
import { BUNDLED_LIBVIRT_VERSION } from './knowledge/cpumap/bundled';
import type { MapLayer } from './knowledge/cpumap/types';
import { releaseLabel, releaseSettingProblem } from './knowledge/nova/releases';
import { libvirtSettingProblem, resolveLibvirtVersion } from './domainxml/version';

export interface KnowledgeStatus {
  /** e.g. 'Zed (26)'. */
  novaRelease: string;
  /** e.g. '12.8'. */
  libvirtVersion: string;
  /** The maps in effect, in the order applied, e.g. 'bundled (libvirt 12.8.0) + host /usr/share/libvirt/cpu_map'. */
  cpuMap: string;
  layers: MapLayer[];
  /** What the maps in effect define, all architectures together. */
  models: number;
  features: number;
  /** Sentences, one per setting or map not understood. */
  problems: string[];
}

export function layerLabel(l: MapLayer): string {
  return l.source === 'bundled' ? `bundled (libvirt ${BUNDLED_LIBVIRT_VERSION})` : `${l.source} ${l.file}`;
}

/** `where`: how the user gave the release and version (the settings, or the CLI's flags). */
export function knowledgeStatus(k: Knowledge, where = { release: 'the novaRelease setting', libvirt: 'the libvirtVersion setting' }): KnowledgeStatus {
  const release = k.nova.release;
  const libvirt = resolveLibvirtVersion(k.settings.libvirtVersion);
  const problems = [releaseSettingProblem(release, where.release), libvirtSettingProblem(libvirt, where.libvirt)].filter((p): p is string => p !== undefined);
  for (const p of k.catalog.problems) problems.push(`cpu_map ${p.file}: ${p.message} (using the maps that did load)`);
  const layers = k.catalog.layers;
  return {
    novaRelease: releaseLabel(release.release),
    libvirtVersion: libvirt.version.label,
    cpuMap: layers.length ? layers.map(layerLabel).join(' + ') : 'none',
    layers,
    models: k.catalog.models().length,
    features: k.catalog.features().length,
    problems,
  };
}
