/**
 * The rules reference and the README's tables are generated from the registry (npm run gen:rules):
 * the files on disk must be what the generator writes, and each code's link must land on its entry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_KINDS, allCodes } from '../../server/src/codes';
import { anchorOf, renderRulesPage, withCodesTables } from '../../server/src/codes/docs';
import { codeHref } from '../../server/src/codes/links';

const ROOT = join(__dirname, '..', '..');
const STALE = 'out of date: run `npm run gen:rules`';

for (const kind of CODE_KINDS) {
  test(`docs/rules/${kind.page}.md is what the registry renders`, () => {
    assert.equal(readFileSync(join(ROOT, 'docs', 'rules', `${kind.page}.md`), 'utf8'), renderRulesPage(kind).text, STALE);
  });
}

test("README.md's tables of codes are what the registry renders", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.equal(readme, withCodesTables(readme), STALE);
  for (const code of allCodes()) assert.ok(readme.includes(`#${anchorOf(code)})`), `README links ${code}`);
});

test("every code's link opens its page at its entry's heading", () => {
  for (const code of allCodes()) {
    const href = codeHref(code)!;
    assert.match(href, /^file:\/\/.*\/docs\/rules\/\w+\.md#L\d+$/, code);
    const [file, line] = href.split('#L');
    const lines = readFileSync(fileURLToPath(file), 'utf8').split('\n');
    assert.equal(lines[Number(line) - 1], `## ${code}`, `${code} links to line ${line}`);
    assert.ok(lines[Number(line) + 1].startsWith(`<a id="${anchorOf(code)}"></a>`), `${code}'s anchor follows its heading`);
  }
  assert.equal(codeHref('nova/no-such-code'), undefined);
});
