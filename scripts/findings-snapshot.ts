/**
 * Every finding of every input we have, as one JSON file: a before/after check for changes that
 * must not change any finding (speed and memory work). Inputs: the .conf and .xml files under
 * test/fixtures, examples/ and ../shared/data/realworld (when there), and the hostile inputs of
 * bench/novaconf.inputs.ts (HOSTILE and AT_SIZE_LIMIT) and bench/domainxml.inputs.ts.
 *   node --import tsx scripts/findings-snapshot.ts OUT.json [--no-hostile]
 * Use: run it on the commit before the change and after it, then `cmp before.json after.json`
 * (or diff them: one line per input). Takes about a minute (the inputs at the size limit are most of it).
 * Used on h11-hostile: main 3135fac against each commit of the branch, 3,918 inputs, identical.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze } from '../server/src/analyze';
import { normalizeSettings } from '../server/src/core/settings';
import { getKnowledge } from '../server/src/knowledge/knowledge';
import { AT_SIZE_LIMIT, HOSTILE as NOVA_HOSTILE } from '../bench/novaconf.inputs';
import { HOSTILE as DOMAIN_HOSTILE } from '../bench/domainxml.inputs';

const root = join(__dirname, '..');
const [out, ...flags] = process.argv.slice(2);
if (!out) throw new Error('usage: findings-snapshot.ts OUT.json [--no-hostile]');
// The newest release, and Ussuri (Train's start-up checks, before Wallaby's +flag/-flag): rules branch on it.
const RELEASES = ['', 'ussuri'];
const knowledge = RELEASES.map((novaRelease) => getKnowledge(normalizeSettings({ useHostCpuMap: false, novaRelease })));

function* files(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) yield* files(p);
    else if (/\.(conf|xml)$/.test(name)) yield p;
  }
}

/** One input's findings, one line of JSON (null: not one of our documents), per release for nova.conf. */
function findingsOf(path: string, text: string): string {
  if (path.endsWith('.xml')) return JSON.stringify(analyze(path, text, knowledge[0], 'xml')?.findings ?? null);
  return JSON.stringify(knowledge.map((k) => analyze(path, text, k, 'nova-conf')!.findings));
}

const lines: string[] = [];
for (const dir of ['test/fixtures', 'examples', '../shared/data/realworld']) {
  for (const file of files(join(root, dir))) {
    const rel = relative(root, file);
    lines.push(`${JSON.stringify(rel)}: ${findingsOf(rel, readFileSync(file, 'utf8'))}`);
  }
}
if (!flags.includes('--no-hostile')) {
  for (const input of [...NOVA_HOSTILE, ...AT_SIZE_LIMIT]) lines.push(`${JSON.stringify(`nova: ${input.name}`)}: ${findingsOf('nova.conf', input.text())}`);
  for (const [name, text] of Object.entries(DOMAIN_HOSTILE)) lines.push(`${JSON.stringify(`domain: ${name}`)}: ${findingsOf('domain.xml', text())}`);
}
writeFileSync(out, `{\n${lines.join(',\n')}\n}\n`);
console.log(`${lines.length} inputs -> ${out}`);
