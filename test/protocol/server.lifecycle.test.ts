/**
 * The LSP lifecycle and transport over stdio (run `npm run build` first): errors for requests
 * before initialize and after shutdown, exit statuses, and framing errors, which end the server
 * (a client sees the exit and restarts it) instead of leaving it deaf.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, ErrorCodes, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import { SERVER } from '../support/lspClient';

interface Raw { proc: ChildProcess; connection: ProtocolConnection; exited: Promise<number | null>; stderr: () => string }

/** The server with a connection but no initialize sent. */
function rawServer(): Raw {
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => { err += d; });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  connection.listen();
  return { proc, connection, exited, stderr: () => err };
}

const hover = { textDocument: { uri: 'file:///tmp/nova.conf' }, position: { line: 0, character: 0 } };
const initialize = { processId: process.pid, rootUri: null, capabilities: {} };

async function errorCode(p: Promise<unknown>): Promise<number | string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return (e as { code: number }).code;
  }
}

test('requests before initialize get ServerNotInitialized (-32002); exit without shutdown exits 1', async () => {
  const s = rawServer();
  try {
    assert.equal(await errorCode(s.connection.sendRequest('textDocument/hover', hover)), ErrorCodes.ServerNotInitialized);
    assert.equal(await errorCode(s.connection.sendRequest('textDocument/documentSymbol', { textDocument: hover.textDocument })), ErrorCodes.ServerNotInitialized);
    assert.equal(await errorCode(s.connection.sendRequest('workspace/frobnicate', {})), ErrorCodes.ServerNotInitialized);
    // After initialize the same request is served.
    await s.connection.sendRequest('initialize', initialize);
    assert.equal(await s.connection.sendRequest('textDocument/hover', hover), null);
    assert.equal(await errorCode(s.connection.sendRequest('initialize', initialize)), ErrorCodes.InvalidRequest, 'a second initialize');
    assert.equal(await errorCode(s.connection.sendRequest('workspace/frobnicate', {})), ErrorCodes.MethodNotFound);
    void s.connection.sendNotification('exit');
    assert.equal(await s.exited, 1);
  } finally {
    s.proc.kill();
    s.connection.dispose();
  }
});

test('requests after shutdown get InvalidRequest (-32600); exit after shutdown exits 0', async () => {
  const s = rawServer();
  try {
    await s.connection.sendRequest('initialize', initialize);
    void s.connection.sendNotification('initialized', {});
    assert.equal(await s.connection.sendRequest('shutdown'), null);
    assert.equal(await errorCode(s.connection.sendRequest('textDocument/hover', hover)), ErrorCodes.InvalidRequest);
    assert.equal(await errorCode(s.connection.sendRequest('textDocument/completion', hover)), ErrorCodes.InvalidRequest);
    assert.equal(await errorCode(s.connection.sendRequest('shutdown')), ErrorCodes.InvalidRequest, 'a second shutdown');
    void s.connection.sendNotification('exit');
    assert.equal(await s.exited, 0);
  } finally {
    s.proc.kill();
    s.connection.dispose();
  }
});

/** A server we write raw bytes to. */
function byteServer() {
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => { out += d; });
  proc.stderr!.on('data', (d) => { err += d; });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  return { proc, exited, frame, out: () => out, err: () => err };
}

/** Resolves once the server's output holds the result for request `id`. */
function answered(out: () => string, id: number): Promise<void> {
  return new Promise((res) => {
    const t = setInterval(() => { if (out().includes(`"id":${id},"result"`)) { clearInterval(t); res(); } }, 20);
  });
}

const initFrame = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: initialize });

for (const [name, bytes] of [
  ['a Content-Length that is not a number', 'Content-Length: abc\r\n\r\n{}'],
  ['a header without Content-Length', 'Content-Type: application/json\r\n\r\n{}'],
  ['garbage where a header belongs', 'hello world\r\n\r\n'],
] as const) {
  test(`a framing error (${name}) ends the server with status 1 and a reason on stderr`, async () => {
    const s = byteServer();
    try {
      s.proc.stdin!.write(s.frame(initFrame));
      await answered(s.out, 1);
      s.proc.stdin!.write(bytes);
      assert.equal(await s.exited, 1);
      assert.match(s.err(), /cannot read the LSP stream, exiting/);
    } finally {
      s.proc.kill();
    }
  });
}

test('a well-framed body that is not JSON is skipped; the server keeps answering', async () => {
  const s = byteServer();
  try {
    s.proc.stdin!.write(s.frame('{ not json'));
    s.proc.stdin!.write(s.frame(initFrame));
    await answered(s.out, 1);
    assert.match(s.err(), /ignoring a message that is not JSON/);
    s.proc.stdin!.end();
    // The client went away without shutdown.
    assert.equal(await s.exited, 1);
  } finally {
    s.proc.kill();
  }
});
