#!/usr/bin/env node
// Regenerates server/data/cpu_map.json (the bundled catalog) from a libvirt cpu_map directory.
// Usage: node scripts/gen-cpumap.mjs [/path/to/cpu_map] [libvirt-version]
// Defaults: ../shared/data/cpu_map (beside the project root), 12.8.0. It reuses the server's own parser (through tsx), so
// the bundled data and user maps are read by the same code.
import { tsImport } from 'tsx/esm/api';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const { readMapPath } = await tsImport('../server/src/knowledge/cpumap/parseMap.ts', import.meta.url);

const source = process.argv[2] ?? fileURLToPath(new URL('../../shared/data/cpu_map', import.meta.url));
const libvirt = process.argv[3] ?? '12.8.0';
const map = readMapPath(source, { origin: 'bundled' });
const out = fileURLToPath(new URL('../server/data/cpu_map.json', import.meta.url));
// One line of compact JSON: the server parses it once at startup.
writeFileSync(out, JSON.stringify({ libvirt, map }) + '\n');
const counts = Object.entries(map.arches).map(([a, v]) => `${a}: ${v.models.length} models, ${v.features.length} features`);
console.log(`wrote ${out} (libvirt ${libvirt}; ${counts.join('; ')})`);
