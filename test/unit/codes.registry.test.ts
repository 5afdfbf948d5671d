/**
 * The registry of codes (server/src/codes/) against what the rules do: every code is shown by its
 * example (the `before` document produces it, with the registry's severity; the `after` one does
 * not) or names the test that produces it; advice is never louder than information.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_KINDS, isCode } from '../../server/src/codes';
import { exampleDocument } from '../../server/src/codes/examples';
import type { CodeExample, CodeInfo, CodeKind } from '../../server/src/codes/types';
import { analyze } from '../../server/src/analyze';
import { getKnowledge } from '../../server/src/knowledge/knowledge';
import { normalizeSettings } from '../../server/src/core/settings';
import type { Finding } from '../../server/src/core/findings';

const ROOT = join(__dirname, '..', '..');

function run(kind: CodeKind, text: string, settings: CodeExample['settings']): Finding[] {
  const doc = exampleDocument(kind, text);
  const knowledge = getKnowledge(normalizeSettings({ useHostCpuMap: false, ...settings }));
  return analyze(doc.path, doc.text, knowledge, doc.languageId)?.findings ?? [];
}

for (const kind of CODE_KINDS) {
  for (const [code, info] of Object.entries(kind.codes) as Array<[string, CodeInfo]>) {
    test(`${code}: ${info.example ? 'its example shows it, and the fixed example does not' : `produced in ${info.testedIn}`}`, () => {
      assert.ok(info.example || info.testedIn, 'every code has an example or names the test that produces it');
      if (info.stage === 'advice') assert.ok(info.severity === 'information' || info.severity === 'hint', 'advice is information or hint');
      if (!info.example) {
        // The named test must assert this code (by name), so renaming the code breaks it.
        assert.match(readFileSync(join(ROOT, info.testedIn!), 'utf8'), new RegExp(`['"\`]${code}['"\`]`));
        return;
      }
      const before = run(kind, info.example.before, info.example.settings);
      const after = run(kind, info.example.after, info.example.settings);
      const unregistered = [...before, ...after].filter((f) => !isCode(f.code)).map((f) => f.code);
      assert.deepEqual(unregistered, [], 'every code produced is registered');
      const mine = before.filter((f) => f.code === code);
      assert.ok(mine.length > 0, `the example produces ${code}; it produced: ${before.map((f) => f.code).join(', ') || 'nothing'}`);
      assert.equal(mine[0].severity, info.severity, 'the example shows the default severity');
      if (info.stage !== 'analysis') assert.equal(mine[0].stage, info.stage, 'the example shows the registry\'s stage');
      assert.deepEqual(after.filter((f) => f.code === code).map((f) => f.explanation), [], 'the fixed example does not produce it');
      // The registry's upstream text is a template of the one the rule gives (`…` where values go).
      if (info.upstream && mine[0].upstream) {
        const template = (t: string) => t.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^]*');
        const forms: readonly string[] = typeof info.upstream === 'string' ? [info.upstream] : info.upstream;
        const pattern = new RegExp(`^(${forms.map(template).join('|')})$`);
        if (!mine.some((f) => f.upstream && pattern.test(f.upstream))) assert.fail(`upstream "${mine[0].upstream}" does not match the registry's "${info.upstream}"`);
      }
      if (info.stage === 'advice') {
        for (const f of before) if (f.stage === 'advice') assert.ok(f.severity === 'information' || f.severity === 'hint', `${f.code} is advice and ${f.severity}`);
      }
    });
  }
}
