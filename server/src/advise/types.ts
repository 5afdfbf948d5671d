/**
 * The migration advisor's vocabulary. `Advice` is what `nova-libvirt-cpu advise --format json`
 * prints and what a rollout consumes: every host row carries the nova.conf change for that host
 * (`change`, the ops planner's CpuModeChange), so hosts split into aggregates get their own models.
 */
import type { CpuModeChange } from '../ops/types';
import type { HostCpu } from '../knowledge/cpumap/types';
import type { HostCustomModel } from '../hosts/hostProfile';

/** One host as the advisor reads it. */
export interface AdviseHost {
  /** Inventory name, or the file's name without .xml. */
  name: string;
  /** Where the CPU came from: a file path, or `virsh capabilities` on HOST. */
  source: string;
  cpu: HostCpu;
  /** `virsh domcapabilities` custom models, when collected from the host (libvirt's own verdicts). */
  domcaps?: HostCustomModel[];
  /** The host's domcapabilities host-model (what KVM can give a guest), when collected. */
  hostModel?: { model?: string; require: string[]; disable: string[] };
}

export interface Usability {
  usable: boolean;
  /** The features the host lacks for this model (libvirt's blockers when domcapabilities listed them). */
  blockers: string[];
  /** 'domcapabilities' when libvirt on the host said so, 'cpu_map' when computed from the map. */
  from: 'domcapabilities' | 'cpu_map';
}

export interface HostRow {
  name: string;
  source: string;
  vendor?: string;
  /** The host CPU's model as libvirt decodes it (`Skylake-Server-v1`). */
  model: string;
  generation: string;
  /** Per candidate model (Advice.candidates). */
  models: Record<string, Usability>;
  /** Features host-passthrough would give a guest here that the recommended CPU does not, sorted. */
  loses: string[];
  /** The instruction-set extensions among `loses` (what guest software actually picks up). */
  losesNotable: string[];
  /** The aggregate this host goes to when the advice splits the fleet. */
  aggregate?: string;
  /** The nova.conf change for this host ([libvirt] cpu_mode, cpu_models, cpu_model_extra_flags). */
  change: CpuModeChange;
}

/** A migration domain: hosts that share one guest CPU. */
export interface Domain {
  hosts: string[];
  /** libvirt's cpu-baseline of these hosts, or its error. */
  baseline: { model: string; vendor?: string; require: string[]; disable: string[]; fallback: 'allow' | 'forbid' } | { error: string };
  cpu_mode: 'custom';
  cpu_models: string[];
  cpu_model_extra_flags: string[];
  /** Why the common model is poor for some host (empty: it is not). */
  poor: string[];
}

export interface Aggregate extends Domain {
  name: string;
  /** The aggregate metadata key/value flavors select with aggregate_instance_extra_specs. */
  property: { key: string; value: string };
}

export interface CustomModelRoute {
  name: string;
  /** A cpu_map file for /usr/share/libvirt/cpu_map/ and the index.xml line that includes it. */
  file: string;
  xml: string;
  indexInclude: string;
  cpu_models: string[];
  cpu_model_extra_flags: string[];
  why: string;
}

export interface Advice {
  /** The recommendation for all hosts as one migration domain. */
  cpu_mode: 'custom';
  cpu_models: string[];
  cpu_model_extra_flags: string[];
  /** Candidate models, oldest first (map order). */
  candidates: string[];
  hosts: HostRow[];
  fleet: Domain;
  /** Present when the common model is poor: one aggregate per run of generations, and the commands. */
  split?: { aggregates: Aggregate[]; commands: string[]; notes: string[] };
  customModel?: CustomModelRoute;
  /** `virsh hypervisor-cpu-baseline` on the same CPUs, when asked (advise/crossCheck.ts). */
  crossCheck?: import('./crossCheck').CrossCheck;
  /** Inventory hosts whose CPU could not be read (not in `hosts`). */
  notCollected?: Array<{ name: string; reason: string }>;
  notes: string[];
}
