/**
 * Host CPUs from files: a `<cpu>` as `virsh capabilities` prints it (the whole capabilities output
 * works too) or libvirt's cputestdata host files. Read as `virsh cpu-baseline FILE` reads them
 * (knowledge/cpumap/hostCpuXml.ts), so a file libvirt refuses is refused here in libvirt's words.
 */
import { basename } from 'node:path';
import { parseHostCpus } from '../knowledge/cpumap/hostCpuXml';
import { BaselineError } from '../knowledge/cpumap/baseline';
import type { AdviseHost } from './types';

/** The hosts in one file's text: named after the file, `name#2`… when it holds several CPUs. */
export function hostsFromText(path: string, text: string): AdviseHost[] {
  const name = basename(path).replace(/\.xml$/i, '');
  let cpus;
  try {
    cpus = parseHostCpus(text);
  } catch (e) {
    if (e instanceof BaselineError) throw new HostFileError(path, e.virshMessage);
    throw e;
  }
  return cpus.map((cpu, i) => ({ name: cpus.length === 1 ? name : `${name}#${i + 1}`, source: path, cpu }));
}

export class HostFileError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
  }
}
