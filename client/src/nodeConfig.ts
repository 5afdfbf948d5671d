/** The node's [libvirt] CPU settings as nova-compute reads them (the core reads the set; the client only asks). */
import type { Runner } from '../../server/src/hosts/runner';
import { HostFiles } from '../../server/src/hosts/hostFiles';
import type { FileSnapshot, NovaCpuConfig } from '../../server/src/ops/types';
import { readNovaCpuConfig } from '../../server/src/ops';
import { listConfigSet, readConfigSet } from '../../server/src/ops/transaction';
import { knowledge } from './knowledgeOf';
import { setting } from './targets';

export async function readNodeConfigSet(runner: Runner, sudo: boolean): Promise<FileSnapshot[]> {
  return readConfigSet(new HostFiles(runner, { sudo }), await listConfigSet(runner, setting<string>('configDir'), sudo));
}

export async function nodeCpuConfig(runner: Runner, sudo: boolean): Promise<NovaCpuConfig> {
  return readNovaCpuConfig(await readNodeConfigSet(runner, sudo), knowledge());
}
