/**
 * The fuzz cases through the real server over stdio: every open and change gets its diagnostics,
 * requests at any position (in range or not) get an answer, and the server shuts down cleanly
 * afterwards — a crash or a stall shows up as a missing publish or a request that never returns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startClient } from '../support/lspClient';
import { fuzzCase, seedTexts, type FuzzKind } from '../support/fuzzCases';
import { below, rng } from '../support/prng';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 8);

/** A request must be answered within this long, whatever the document (a stalled server never answers). */
const within = <T>(p: Thenable<T>, what: string, ms = 15_000): Promise<T> =>
  Promise.race([Promise.resolve(p), new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`${what}: no answer within ${ms / 1000} s`)), ms))]);

test(`server fuzz: opens, edits and requests on mutated configs of both kinds (seed ${SEED}, ${SECONDS} s)`, { timeout: (SECONDS + 120) * 1000 }, async () => {
  const client = await startClient();
  const r = rng(SEED);
  const seeds = { 'nova-conf': seedTexts('nova-conf'), 'domain-xml': seedTexts('domain-xml') };
  const deadline = Date.now() + SECONDS * 1000;
  let i = 0;
  try {
    for (; Date.now() < deadline; i++) {
      const kind: FuzzKind = i % 2 ? 'domain-xml' : 'nova-conf';
      // Smaller cases than the in-process fuzz: here the protocol is under test, not the rules.
      const first = fuzzCase(SEED, 2 * i, kind, seeds[kind], 32 * 1024);
      const second = fuzzCase(SEED, 2 * i + 1, kind, seeds[kind], 32 * 1024);
      const uri = `file:///fuzz/${i}/${kind === 'nova-conf' ? 'nova.conf' : 'domain.xml'}`;
      const languageId = kind === 'nova-conf' ? 'nova-conf' : 'xml';
      await within(client.openAndWait(uri, languageId, first.text), `${first.name}: diagnostics after open`);
      const changed = client.diagnostics(uri, 2);
      client.change(uri, second.text, 2);
      await within(changed, `${second.name}: diagnostics after change`);
      const lines = second.text.split('\n');
      const line = below(r, lines.length + 2); // past the end too: clients send stale positions
      const position = { line, character: below(r, (lines[line]?.length ?? 0) + 3) };
      const textDocument = { uri };
      await within(client.connection.sendRequest('textDocument/hover', { textDocument, position }), `${second.name}: hover`);
      await within(client.connection.sendRequest('textDocument/completion', { textDocument, position }), `${second.name}: completion`);
      await within(client.connection.sendRequest('textDocument/codeAction', { textDocument, range: { start: position, end: position }, context: { diagnostics: [] } }), `${second.name}: codeAction`);
      await within(client.connection.sendRequest('textDocument/documentSymbol', { textDocument }), `${second.name}: documentSymbol`);
      client.connection.sendNotification('textDocument/didClose', { textDocument });
    }
    assert.ok(i >= 10, `only ${i} documents went through the server in ${SECONDS} s`);
    assert.equal(client.proc.exitCode, null, 'the server is still running');
  } finally {
    await within(client.close(), 'shutdown and exit');
  }
  assert.equal(client.proc.exitCode, 0, 'clean exit after shutdown');
});
