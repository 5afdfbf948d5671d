// Workbench UI check in real VS Code (code-server + headless chromium): what a user sees, not just the API.
// Opens nova.conf from the Explorer, expects our finding in the Problems panel, a squiggle, a hover, the quick
// fixes and the language status (release, libvirt version); clicks the finding's code link (its doc opens),
// hovers a domain's <cpu (its element name rendered), and leaves screenshots in test/e2e/.cache/
// (vscode-ui.png; readme-*.png are the README's pictures, copied into images/ when the UI changes). Run: node --test test/e2e/vscode-ui.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { repoRoot, codeServerPaths, vscodeOracleProblems, requireOracles } from './env.mjs';

const require = createRequire(import.meta.url);
const { startCodeServer, workbenchUrl, launchChromium } = require('./vscode/code-server.js');

const problems = vscodeOracleProblems();
if (!fs.existsSync(path.join(repoRoot, 'dist/client.js'))) problems.push('dist/client.js missing: run npm run build');
if (problems.length && requireOracles) throw new Error(`CI_REQUIRE_ORACLES=1 but: ${problems.join(', ')}`);
const skip = problems.length ? `skipped: ${problems.join(', ')}` : false;
const shotDir = path.join(repoRoot, 'test/e2e/.cache');

test('vscode UI: nova.conf finding shows in the Problems panel, as a squiggle, in the hover and with its quick fixes; the language status names the release; the code link opens its doc; the hover on <cpu renders <cpu>', { skip, timeout: 180000 }, async () => {
  const cs0 = codeServerPaths();
  const cs = await startCodeServer({ node: cs0.node, entry: cs0.entry, verbose: process.env.CODE_SHIM_VERBOSE === '1' });
  let ctx;
  try {
    ctx = await launchChromium(path.join(cs.tmp, 'chromium'), { viewport: { width: 1400, height: 850 } });
    const page = ctx.pages()[0] || await ctx.newPage();
    // On a loaded machine the workbench's first load alone can take longer than Playwright's default 30 s.
    await page.goto(workbenchUrl(cs.host, { folder: path.join(repoRoot, 'test/e2e/vscode/workspace'), devPaths: [repoRoot] }), { timeout: 120000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    // Quick Open did not open files reliably in code-server; the Explorer does.
    await (await page.waitForSelector('.explorer-folders-view .monaco-list-row :text-is("nova.conf")', { timeout: 60000 })).click();
    await page.waitForSelector('.monaco-editor .view-line', { timeout: 30000 });
    await page.keyboard.press('Control+Shift+M');
    // The markers list re-renders its rows (each publish of diagnostics, layout, the multi-line message
    // toggle), so an element handle taken from it can be detached a moment later: find the row and read
    // its text in one step, through a locator that is resolved afresh on every call.
    const row = page.locator('.markers-panel .monaco-list-row', { has: page.locator(':text("cpu_models")') }).first();
    await row.waitFor({ timeout: 60000 });
    assert.match(await row.textContent({ timeout: 30000 }), /nova-libvirt-cpu/);
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30000 });
    // hover: put the cursor on the key of line 3 (cpu_models = Haswell), ask for the hover with Ctrl+K Ctrl+I.
    // The hover opens with the diagnostic's part (.marker, which names cpu_models too) before our hover
    // provider answers, so wait for a part that is not the marker's: that one is our server's.
    await page.click('.monaco-editor .view-line >> nth=2', { position: { x: 12, y: 5 } });
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const ours = page.locator('.monaco-hover:visible .hover-contents:not(.marker)', { hasText: 'cpu_models' }).first();
    await ours.waitFor({ timeout: 30000 });
    const hoverText = await ours.textContent({ timeout: 30000 });
    fs.mkdirSync(shotDir, { recursive: true });
    await page.screenshot({ path: path.join(shotDir, 'vscode-ui.png') });
    // The README's pictures (copied into images/ by hand when the UI changes): editor and panel, no chrome.
    const clip = { x: 305, y: 30, width: 900, height: 400 };
    await page.screenshot({ path: path.join(shotDir, 'readme-hover.png'), clip });
    assert.match(hoverText, /cpu_models/);

    // The quick fix: Ctrl+. on the squiggle lists our fixes for the finding.
    // On a loaded machine a Ctrl+. that lands while the editor is still settling after the hover
    // opens nothing (seen once in CI at load ~5, never alone): ask again, up to three times.
    const menu = page.locator('.action-widget .monaco-list-row', { hasText: /cpu_mode|cpu_models/ }).first();
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Escape');
      await page.click('.monaco-editor .view-line >> nth=2', { position: { x: 12, y: 5 } });
      await page.keyboard.press('Control+.');
      try {
        await menu.waitFor({ timeout: 15000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
    const fixText = await page.locator('.action-widget').first().textContent({ timeout: 30000 });
    await page.screenshot({ path: path.join(shotDir, 'readme-quickfix.png'), clip });
    assert.match(fixText, /cpu_mode|cpu_models/);
    await page.keyboard.press('Escape');

    // The Problems panel with the finding, and the language status: the release and cpu_map in effect.
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.statusbar-item[id*="languageStatus"]').first().click({ timeout: 30000 });
    const status = page.getByText(/Nova .+ · libvirt \d+\.\d+/).first();
    await status.waitFor({ timeout: 30000 });
    await page.screenshot({ path: path.join(shotDir, 'readme-problems.png'), clip: { x: 350, y: 530, width: 1050, height: 320 } });
    assert.match(await status.textContent(), /Hibiscus \(34\) · libvirt 12\.8/);
    await page.keyboard.press('Escape');

    // The code in the Problems row is a link: a click opens its entry in the shipped rules reference
    // (docs/rules/nova.md, a file: link, offline) in an editor, scrolled to the code's heading.
    await row.locator('.monaco-link', { hasText: 'nova/cpu-models-without-custom' }).click({ timeout: 30000 });
    await page.locator('.tabs-container .tab.active', { hasText: 'nova.md' }).waitFor({ timeout: 30000 });
    await page.locator('.monaco-editor .view-line', { hasText: '## nova/cpu-models-without-custom' }).first().waitFor({ timeout: 30000 });

    // The hover on <cpu in a domain: element names survive the markdown renderer (they were swallowed
    // as raw HTML before), read from the rendered DOM, not from the markdown the server sent.
    await (await page.waitForSelector('.explorer-folders-view .monaco-list-row :text-is("domain.xml")', { timeout: 60000 })).click();
    const cpuLine = page.locator('.monaco-editor .view-line', { hasText: "<cpu mode='custom'" }).first();
    await cpuLine.waitFor({ timeout: 30000 });
    await cpuLine.click({ position: { x: 28, y: 5 } });
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const cpuHover = page.locator('.monaco-hover:visible .hover-contents:not(.marker)', { hasText: 'The guest CPU' }).first();
    await cpuHover.waitFor({ timeout: 30000 });
    const rendered = await cpuHover.textContent({ timeout: 30000 });
    await page.screenshot({ path: path.join(shotDir, 'readme-hover-domain.png'), clip });
    assert.match(rendered, /^<cpu> — The guest CPU/, rendered);
    assert.ok(!/see rules\.md|item_type|String\(/.test(rendered), rendered);
  } finally {
    await ctx?.close().catch(() => {});
    cs.kill();
  }
});
