// Helpers for tests running inside the VS Code extension host (CommonJS, loaded by mocha via require).
// Add new assertions in *.test.js files next to index.js; they are picked up automatically.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const repoRoot = path.resolve(__dirname, '../../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;
const SOURCE = 'nova-libvirt-cpu';
const WORKSPACE = path.resolve(__dirname, '../workspace');

// Record every URI the client published diagnostics for, even an empty list (set() still fires the event).
// Registered at require time, i.e. before any test opens a document.
const published = new Map(); // uri string -> count of publish events
vscode.languages.onDidChangeDiagnostics((e) => {
  for (const uri of e.uris) published.set(uri.toString(), (published.get(uri.toString()) || 0) + 1);
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Poll `fn` until it returns a truthy value; throw `describe()` text on timeout. */
async function waitFor(fn, { timeout = 30000, interval = 100, describe = () => '' } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms ${describe()}`);
    await sleep(interval);
  }
}

/** vscode.Uri of a file in test/e2e/vscode/workspace (the folder the test window opens). */
const workspaceUri = (rel) => vscode.Uri.file(path.join(WORKSPACE, rel));

/** Open (and show) a document; accepts a Uri or a workspace-relative path. */
async function openDoc(uriOrRel) {
  const uri = typeof uriOrRel === 'string' ? workspaceUri(uriOrRel) : uriOrRel;
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** Open an untitled document with the given language and text (for edits without touching the fixtures). */
async function openUntitled(language, content) {
  const doc = await vscode.workspace.openTextDocument({ language, content });
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** The extension under test, activated (waits for activation triggered by e.g. opening a nova.conf). */
async function activeExtension({ timeout = 30000 } = {}) {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  await waitFor(() => ext.isActive, { timeout, describe: () => `waiting for ${EXTENSION_ID} to activate` });
  return ext;
}

/** Our diagnostics (source nova-libvirt-cpu) for uri, right now. */
const ourDiagnostics = (uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);

const fmtDiag = (d) => `${d.range.start.line}:${d.range.start.character} [${typeof d.code === 'object' ? d.code.value : d.code}] ${d.message}`;

/**
 * Wait until our diagnostics for uri satisfy predicate(diags) and return them.
 * Default predicate: at least one diagnostic. Example: waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'nova/x')).
 */
async function waitForDiagnostics(uri, predicate = (ds) => ds.length > 0, { timeout = 30000 } = {}) {
  let last = [];
  return waitFor(() => { last = ourDiagnostics(uri); return predicate(last) ? last : undefined; }, {
    timeout, describe: () => `waiting for diagnostics on ${uri.fsPath}; last: [${last.map(fmtDiag).join('; ')}]`,
  });
}

/** Wait until the language client published diagnostics for uri at least once (possibly an empty list). */
async function waitForPublish(uri, { timeout = 30000 } = {}) {
  await waitFor(() => published.has(uri.toString()), { timeout, describe: () => `waiting for any publishDiagnostics on ${uri.fsPath}` });
  return ourDiagnostics(uri);
}

/** Diagnostic code as a string (LSP codes may arrive as {value, target}). */
const codeOf = (d) => String(typeof d.code === 'object' && d.code !== null ? d.code.value : d.code);

/** Completion items at a position (labels via labelOf). */
async function completionAt(uri, line, character, triggerCharacter) {
  const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', uri, new vscode.Position(line, character), triggerCharacter);
  return list ? list.items : [];
}
const labelOf = (item) => (typeof item.label === 'string' ? item.label : item.label.label);

/** Hovers at a position; hoverText() flattens them to one markdown/plain string. */
async function hoverAt(uri, line, character) {
  return (await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(line, character))) || [];
}
const hoverText = (hovers) => hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');

/**
 * Quick fixes (code actions of kind quickfix) for a vscode.Range (or [sl, sc, el, ec]).
 * By default only ours: code-server also offers Copilot "Fix"/"Explain" actions (kinds quickfix.copilot,
 * quickfix.explain.copilot) on every diagnostic; our server uses plain `quickfix`. (The command API does not
 * return an action's diagnostics, so we cannot filter by source.)
 */
async function quickFixesAt(uri, range, { onlyOurs = true } = {}) {
  const r = Array.isArray(range) ? new vscode.Range(...range) : range;
  const actions = (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, r, vscode.CodeActionKind.QuickFix.value)) || [];
  return actions.filter((a) => a.kind && (onlyOurs ? a.kind.value === 'quickfix' : vscode.CodeActionKind.QuickFix.contains(a.kind)));
}

/** Apply a code action's edit (and command) so a test can assert the resulting text. */
async function applyCodeAction(action) {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `applyEdit failed for "${action.title}"`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments || []));
}

/**
 * A test for a feature that has not landed yet: it runs, but a failure marks it pending instead of failing
 * the suite. When it starts passing, turn it into a plain it().
 */
function todo(title, reason, fn) {
  it(`${title} (todo: ${reason})`, async function () {
    try {
      await fn.call(this);
    } catch (e) {
      console.log(`      todo, not counted: ${String(e.message).split('\n')[0]}`);
      this.skip();
    }
  });
}

module.exports = {
  vscode, SOURCE, EXTENSION_ID, WORKSPACE, sleep, waitFor, workspaceUri, openDoc, openUntitled, activeExtension,
  ourDiagnostics, fmtDiag, waitForDiagnostics, waitForPublish, codeOf, completionAt, labelOf, hoverAt, hoverText,
  quickFixesAt, applyCodeAction, todo,
};
