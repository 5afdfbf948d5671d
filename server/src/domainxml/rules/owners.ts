import { CPUMASK_LEN } from '../../cpuset/libvirtCpuset';
import type { Interval } from '../../cpuset/intervals';

/**
 * Which earlier element (by a number the caller chooses) holds each id, for the lists libvirt
 * refuses to see overlap: NUMA cells' vCPUs, hugepage nodesets, scheduler lists, resctrl groups.
 * Ids are libvirt bitmap bits (below CPUMASK_LEN, as parseLibvirtCpuset guarantees), so the table
 * has a fixed size. The sets claimed are pairwise disjoint (an overlap ends the rule), so all
 * claims together touch at most CPUMASK_LEN ids: comparing each element with every earlier one
 * was quadratic in the element count.
 */
export class IdOwners {
  private readonly owner = new Int32Array(CPUMASK_LEN).fill(-1);

  /** The first id of `set` (ascending) held by an owner other than `ignore`, with that owner. */
  firstClash(set: readonly Interval[], ignore = -1): { id: number; owner: number } | undefined {
    for (const [a, b] of set) {
      for (let id = a; id <= b; id++) {
        const o = this.owner[id];
        if (o >= 0 && o !== ignore) return { id, owner: o };
      }
    }
    return undefined;
  }

  /** The smallest owner (other than `ignore`) holding some id of `set`, with the first such id. */
  lowestClash(set: readonly Interval[], ignore = -1): { id: number; owner: number } | undefined {
    let best: { id: number; owner: number } | undefined;
    for (const [a, b] of set) {
      for (let id = a; id <= b; id++) {
        const o = this.owner[id];
        if (o >= 0 && o !== ignore && (!best || o < best.owner)) best = { id, owner: o };
      }
    }
    return best;
  }

  claim(set: readonly Interval[], o: number): void {
    for (const [a, b] of set) this.owner.fill(o, a, b + 1);
  }

  release(set: readonly Interval[], o: number): void {
    for (const [a, b] of set) for (let id = a; id <= b; id++) if (this.owner[id] === o) this.owner[id] = -1;
  }
}
