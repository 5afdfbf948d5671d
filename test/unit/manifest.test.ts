/**
 * The extension manifest and what it points at: every contributed file exists and parses, the
 * grammar tokenizes nova.conf the way oslo.config reads it (VS Code's own TextMate engine,
 * vscode-textmate + oniguruma), and activation stays limited to our languages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { allCodes } from '../../server/src/codes';
import { LEVELS } from '../../server/src/core/ruleControl';

const ROOT = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

test('manifest: languages, activation, settings and contributed files', () => {
  assert.equal(pkg.name, 'nova-libvirt-cpu');
  assert.deepEqual(pkg.extensionKind, ['workspace']);
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.deepEqual([...pkg.activationEvents].sort(), ['onLanguage:nova-conf', 'onLanguage:xml']);
  const nova = pkg.contributes.languages.find((l: { id: string }) => l.id === 'nova-conf');
  assert.deepEqual(nova.filenames, ['nova.conf', 'nova-compute.conf']);
  assert.ok(nova.filenamePatterns.includes('nova-*.conf') && nova.filenamePatterns.includes('**/nova.conf.d/*.conf'));
  const props = Object.keys(pkg.contributes.configuration.properties);
  for (const k of ['novaLibvirtCpu.novaRelease', 'novaLibvirtCpu.cpuMapPath', 'novaLibvirtCpu.diagnostics.enable', 'novaLibvirtCpu.diagnostics.severity']) assert.ok(props.includes(k), k);
  // The severity setting's schema accepts every registered code, and the levels ruleControl knows.
  const severity = pkg.contributes.configuration.properties['novaLibvirtCpu.diagnostics.severity'];
  const names = new RegExp(severity.propertyNames.pattern);
  for (const code of allCodes()) assert.ok(names.test(code) && names.test(`${code.split('/')[0]}/*`), code);
  assert.deepEqual(severity.additionalProperties.enum, LEVELS);
  const files = [
    ...pkg.contributes.grammars.map((g: { path: string }) => g.path),
    nova.configuration,
    pkg.contributes.languages.find((l: { id: string }) => l.id === 'xml').configuration,
  ];
  for (const f of files) {
    assert.ok(existsSync(join(ROOT, f)), `${f} missing`);
    JSON.parse(readFileSync(join(ROOT, f), 'utf8'));
  }
  // Snippets come from the server (core/snippets.ts), only in libvirt domains and at a nova.conf line start.
  assert.equal(pkg.contributes.snippets, undefined, 'static snippets would be offered in every XML file and after key =');
});

async function novaGrammar(): Promise<vsctm.IGrammar> {
  const wasm = readFileSync(join(ROOT, 'node_modules/vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async () => vsctm.parseRawGrammar(readFileSync(join(ROOT, 'syntaxes/nova-conf.tmLanguage.json'), 'utf8'), 'nova-conf.tmLanguage.json'),
  });
  return (await registry.loadGrammar('source.nova-conf'))!;
}

test('grammar: sections, keys, values, comments only at line start, continuation lines', async () => {
  const g = await novaGrammar();
  const lines = ['# a comment', '[libvirt]', 'cpu_mode = host-model', 'cpu_models = Haswell # not a comment', '  ,IvyBridge', 'use_x = True'];
  let state = vsctm.INITIAL;
  const scopesAt = new Map<string, string[]>();
  for (const line of lines) {
    const r = g.tokenizeLine(line, state);
    for (const t of r.tokens) scopesAt.set(`${line}@${line.slice(t.startIndex, t.endIndex)}`, t.scopes);
    state = r.ruleStack;
  }
  const has = (line: string, text: string, scope: string) => {
    const s = scopesAt.get(`${line}@${text}`) ?? [];
    assert.ok(s.some((x) => x.startsWith(scope)), `${JSON.stringify(text)} in ${JSON.stringify(line)}: ${s.join(' ')}`);
  };
  has('# a comment', '# a comment', 'comment.line');
  has('[libvirt]', 'libvirt', 'entity.name.section');
  has('cpu_mode = host-model', 'cpu_mode', 'variable.other.key');
  has('cpu_mode = host-model', 'host-model', 'constant.other.cpu-mode');
  // oslo.config has no inline comments: the grammar must not colour '# not a comment' as one.
  const tail = [...scopesAt.entries()].filter(([k]) => k.startsWith('cpu_models = Haswell # not a comment@')).flatMap(([, s]) => s);
  assert.ok(!tail.some((s) => s.startsWith('comment')), tail.join(' '));
  has('  ,IvyBridge', '  ,IvyBridge', 'string.unquoted.continuation');
  has('use_x = True', 'True', 'constant.language.boolean');
});
