// Draws images/icon.png (the extension's icon, 128x128): a CPU die with pins on a Nova-red rounded
// square, the die's core split in four (vCPUs). Run: node scripts/draw-icon.mjs. No dependencies:
// shapes are sampled 4x4 per pixel (anti-aliasing) and written as an RGBA PNG with node's zlib.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4;
const BG = [196, 38, 46];      // red
const DIE = [245, 245, 245];   // near white
const PIN = [245, 245, 245];
const CORE = [40, 44, 52];     // dark grey
const CORE_LIT = [92, 184, 92]; // green: the vCPU in use

/** Inside a rounded rectangle (x0,y0)-(x1,y1) with corner radius r. */
function inRounded(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** The colour at a point, top layer first; undefined = transparent. */
function colourAt(x, y) {
  const cores = [[42, 42], [66, 42], [42, 66], [66, 66]];
  for (const [i, [cx, cy]] of cores.entries()) if (inRounded(x, y, cx, cy, cx + 20, cy + 20, 3)) return i === 0 ? CORE_LIT : CORE;
  if (inRounded(x, y, 34, 34, 94, 94, 7)) return DIE;
  for (let k = 0; k < 5; k++) {
    const p = 40 + k * 11;
    if (inRounded(x, y, p, 20, p + 5, 36, 1.5) || inRounded(x, y, p, 92, p + 5, 108, 1.5)) return PIN;
    if (inRounded(x, y, 20, p, 36, p + 5, 1.5) || inRounded(x, y, 92, p, 108, p + 5, 1.5)) return PIN;
  }
  if (inRounded(x, y, 4, 4, 124, 124, 22)) return BG;
  return undefined;
}

const rows = [];
for (let y = 0; y < SIZE; y++) {
  const row = Buffer.alloc(1 + SIZE * 4);
  for (let x = 0; x < SIZE; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) for (let sx = 0; sx < SS; sx++) {
      const c = colourAt(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
      if (!c) continue;
      acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3]++;
    }
    const n = acc[3];
    row.set(n ? [Math.round(acc[0] / n), Math.round(acc[1] / n), Math.round(acc[2] / n), Math.round((255 * n) / (SS * SS))] : [0, 0, 0, 0], 1 + x * 4);
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc32 = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0); ihdr.writeUInt32BE(SIZE, 4);
ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })), chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../images/icon.png', import.meta.url), png);
console.log(`images/icon.png: ${png.length} bytes`);
