// Writes the rules reference (docs/rules/*.md) and the README's tables of codes from the registry
// (server/src/codes/). Run after changing a code: `npm run gen:rules`. test/unit/codes.docs.test.ts
// fails while the files are not what this writes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_KINDS } from '../server/src/codes';
import { renderRulesPage, withCodesTables } from '../server/src/codes/docs';

const root = join(__dirname, '..');
mkdirSync(join(root, 'docs', 'rules'), { recursive: true });
for (const kind of CODE_KINDS) writeFileSync(join(root, 'docs', 'rules', `${kind.page}.md`), renderRulesPage(kind).text);
const readme = join(root, 'README.md');
writeFileSync(readme, withCodesTables(readFileSync(readme, 'utf8')));
console.log(`wrote docs/rules/{${CODE_KINDS.map((k) => k.page).join(',')}}.md and README.md's tables`);
