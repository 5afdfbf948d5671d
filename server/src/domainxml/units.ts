/**
 * libvirt's size units (virScaleInteger): `k`/`K`/`KiB` = 1024, `KB` = 1000, `b`/`bytes` = 1.
 * Powers of two for `x` and `xiB`, of ten for `xB`.
 */
const EXP: Record<string, number> = { k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 };

/** Bytes per unit, or undefined for a suffix libvirt does not know. Default unit is KiB. */
export function unitBytes(unit: string | undefined): number | undefined {
  const u = (unit ?? '').trim() === '' ? 'KiB' : unit!;
  if (/^b(ytes?)?$/i.test(u)) return 1;
  const m = /^([kmgtpe])(i?b)?$/i.exec(u);
  if (!m) return undefined;
  const e = EXP[m[1].toLowerCase()];
  const decimal = m[2] !== undefined && m[2].toLowerCase() === 'b';
  return (decimal ? 1000 : 1024) ** e;
}

/** A size with unit to KiB, rounded up as libvirt stores it; undefined when unit is unknown. */
export function toKiB(value: number, unit: string | undefined): number | undefined {
  const b = unitBytes(unit);
  return b === undefined ? undefined : Math.ceil((value * b) / 1024);
}
