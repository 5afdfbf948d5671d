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

/** Whether a when/enablement clause requires a trusted workspace: `isWorkspaceTrusted` as one of its top-level `&&` terms. */
function requiresTrust(clause: string | undefined): boolean {
  if (!clause || clause.includes('||')) return false;
  return clause.split('&&').map((t) => t.trim()).includes('isWorkspaceTrusted');
}

test('untrusted workspace: every host command is contributed disabled and hidden, the editor commands stay; host settings are restricted', () => {
  const { HOST_COMMAND_IDS, EDITOR_COMMAND_IDS } = require('../../client/src/commandIds') as typeof import('../../client/src/commandIds');
  const host = new Set<string>(HOST_COMMAND_IDS);
  const contributed = pkg.contributes.commands as Array<{ command: string; enablement?: string }>;
  // Exactly the commands the extension registers (commands/index.ts is typed by these lists).
  assert.deepEqual(contributed.map((c) => c.command).sort(), [...HOST_COMMAND_IDS, ...EDITOR_COMMAND_IDS].sort());
  for (const c of contributed) if (host.has(c.command)) assert.ok(requiresTrust(c.enablement), `${c.command}: enablement ${c.enablement}`);
  // Every menu entry naming a host command (palette, editor title, context menus) is shown only when trusted.
  const menus = pkg.contributes.menus as Record<string, Array<{ command: string; when?: string }>>;
  const entries = Object.entries(menus).flatMap(([menu, items]) => items.map((i) => ({ menu, ...i })));
  for (const id of HOST_COMMAND_IDS) assert.ok(entries.some((e) => e.menu === 'commandPalette' && e.command === id), `${id} has a commandPalette entry (its when clause)`);
  for (const e of entries) if (host.has(e.command)) assert.ok(requiresTrust(e.when), `${e.menu} ${e.command}: when ${e.when}`);
  for (const k of (pkg.contributes.keybindings ?? []) as Array<{ command: string; when?: string }>) if (host.has(k.command)) assert.ok(requiresTrust(k.when), `keybinding ${k.command}: when ${k.when}`);
  assert.equal(requiresTrust('!isWorkspaceTrusted'), false);
  assert.equal(requiresTrust('isWorkspaceTrusted || resourceLangId == nova-conf'), false);

  const trust = pkg.capabilities.untrustedWorkspaces;
  assert.equal(trust.supported, 'limited');
  assert.match(trust.description, /host commands are disabled/);
  const props = pkg.contributes.configuration.properties as Record<string, { scope?: string }>;
  for (const r of trust.restrictedConfigurations) assert.ok(props[r], `restricted ${r} is a setting`);
  // What names a host, a path, a program or how root is got; and every machine-level setting.
  const mustRestrict = ['hosts', 'service', 'libvirtUri', 'configDir', 'useSudo', 'cpuMapPath'].map((k) => `novaLibvirtCpu.${k}`);
  for (const [k, p] of Object.entries(props)) if (p.scope === 'machine-overridable' || p.scope === 'machine') mustRestrict.push(k);
  for (const k of mustRestrict) assert.ok(trust.restrictedConfigurations.includes(k), `${k} is restricted in untrusted workspaces`);
});
