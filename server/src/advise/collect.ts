/**
 * The inventory form of the advisor: each host's CPU from `virsh capabilities` and its models'
 * usability from `virsh domcapabilities`, gathered over the host runner (hosts/hostProfile.ts),
 * a few hosts at a time.
 */
import type { Runner, RunnerHooks } from '../hosts/runner';
import { gatherHostProfile, type GatherOptions, type HostProfile } from '../hosts/hostProfile';
import type { InventoryHost } from '../inventory/ansibleInventory';
import { runnerOf } from '../inventory/sources';
import type { AdviseHost } from './types';

/** Where the rollout's Ansible executor takes it from. */
export { inventoryDestination } from '../inventory/sources';

export const COLLECT_PARALLEL = 8;

/** How an inventory host is reached (inventory/sources.ts's runnerOf), with an ssh config for all of them. */
export function inventoryRunner(h: InventoryHost, sshConfig?: string, hooks: RunnerHooks = {}): Runner {
  return runnerOf({ sshConfig }, h, hooks);
}

export interface Collected {
  hosts: AdviseHost[];
  /** Hosts whose CPU could not be read, with the reason in the tool's words. */
  failed: Array<{ name: string; reason: string }>;
}

/** A profile as an advisor host, or why it is not one. */
export function hostFromProfile(name: string, p: HostProfile): AdviseHost | string {
  if (!p.hostCpu?.model) return p.problems.length ? p.problems.join('; ') : 'virsh capabilities shows no host CPU model';
  const host: AdviseHost = {
    name, source: `virsh -c ${p.uri} capabilities on ${p.host}`,
    cpu: { model: p.hostCpu.model, features: p.hostCpu.features, ...(p.arch ? { arch: p.arch } : {}), ...(p.hostCpu.vendor ? { vendor: p.hostCpu.vendor } : {}) },
  };
  if (p.customModels.length) host.domcaps = p.customModels;
  if (p.hostModel) host.hostModel = { model: p.hostModel.model, require: p.hostModel.require, disable: p.hostModel.disable };
  return host;
}

export async function collectHosts(targets: readonly InventoryHost[], runnerFor: (h: InventoryHost) => Runner, opts: GatherOptions): Promise<Collected> {
  const results: Array<AdviseHost | { name: string; reason: string }> = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      const t = targets[i];
      const runner = runnerFor(t);
      try {
        const got = hostFromProfile(t.name, await gatherHostProfile(runner, opts));
        results[i] = typeof got === 'string' ? { name: t.name, reason: got } : got;
      } catch (e) {
        results[i] = { name: t.name, reason: (e as Error).message };
      } finally {
        await runner.close();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(COLLECT_PARALLEL, targets.length) }, worker));
  const hosts: AdviseHost[] = [];
  const failed: Collected['failed'] = [];
  for (const r of results) ('cpu' in r ? hosts.push(r) : failed.push(r as { name: string; reason: string }));
  return { hosts, failed };
}
