import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { resolve } from 'node:path';
import { createAdapter, type Adapter } from '../../../probes/adapters/index.ts';
import { observeCall } from '../../../probes/api/call.ts';
import { MemoryEvidenceSink } from '../../../probes/evidence.ts';
import { ROOT } from '../../cli.ts';

/**
 * A misbehaving target must yield not_tested (or a refusal) with a reason within the timeout —
 * never a pass, never a hang, never an exception out of the probe.
 */
type Behaviour = (socket: net.Socket) => void;

async function server(behave: Behaviour): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.once('data', () => behave(s));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); srv.close(() => r()); }),
  };
}

async function adapterFor(url: string): Promise<Adapter> {
  return createAdapter({ type: 'http', name: 'misbehaving', mappingFile: resolve(ROOT, 'profiles/adapters/reference.yaml'), baseUrl: url, accessKey: 'AKTEST', secret: 'test-secret', timeoutMs: 800 });
}

const target = (adapter: Adapter) => ({ adapter, object: { id: 'x', name: 'x' }, evidence: new MemoryEvidenceSink() });

const cases: [string, Behaviour, RegExp, string][] = [
  ['slow (never answers)', () => {}, /no complete answer within 800 ms/, 'could_not_test'],
  ['resets the connection', (s) => s.resetAndDestroy(), /ECONNRESET|socket hang up/, 'could_not_test'],
  ['answers garbage instead of HTTP', (s) => s.end('\x16\x03\x01garbage\r\n\r\n'), /Parse Error|HPE_|Expected HTTP/i, 'could_not_test'],
  ['truncates the body', (s) => s.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"digest":"ab'), /aborted|ECONNRESET|socket hang up|terminated/i, 'could_not_test'],
  ['answers 200 with non-JSON', (s) => s.end('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello'), /response has no body\.digest/, 'inconclusive'],
  ['answers 200 with a wrongly typed field', (s) => s.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 14\r\n\r\n{"digest":123}'), /response has no body\.digest|must decode to bytes/, 'inconclusive'],
];

for (const [name, behave, reason, code] of cases) {
  test(`a target that ${name} gives not_tested (${code}), in time`, async () => {
    const s = await server(behave);
    try {
      const started = Date.now();
      const obs = await observeCall(target(await adapterFor(s.url)), 'hash', { algorithm: 'SM3', data: Buffer.from('abc') });
      assert.ok(Date.now() - started < 5000, 'took too long');
      assert.equal(obs.data, undefined, 'a misbehaving target produced data');
      assert.equal(obs.notTested?.reason, code);
      assert.match(obs.notTested!.detail, reason);
    } finally {
      await s.close();
    }
  });
}

test('a huge answer is cut off, not buffered without limit', async () => {
  const s = await server((sock) => {
    sock.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 40000000\r\n\r\n');
    const chunk = Buffer.alloc(1 << 20, 0x41);
    let sent = 0;
    const pump = () => { while (sent < 40 && sock.write(chunk)) sent++; if (sent < 40) sock.once('drain', pump); };
    pump();
  });
  try {
    const a = await createAdapter({ type: 'http', name: 'huge', mappingFile: resolve(ROOT, 'profiles/adapters/reference.yaml'), baseUrl: s.url, accessKey: 'AK', secret: 's', timeoutMs: 10_000 });
    const obs = await observeCall(target(a), 'hash', { algorithm: 'SM3', data: Buffer.from('abc') });
    assert.equal(obs.notTested?.reason, 'could_not_test');
    assert.match(obs.notTested!.detail, /exceeds \d+ bytes/);
  } finally {
    await s.close();
  }
});

test('a refused connection gives not_tested (could_not_test)', async () => {
  const obs = await observeCall(target(await adapterFor('http://127.0.0.1:9/api/v1')), 'hash', { algorithm: 'SM3', data: Buffer.from('abc') });
  assert.equal(obs.notTested?.reason, 'could_not_test');
  assert.match(obs.notTested!.detail, /ECONNREFUSED/);
});

test('an operation missing from the mapping gives not_tested (not_offered)', async () => {
  const obs = await observeCall(target(await adapterFor('http://127.0.0.1:9/api/v1')), 'noSuchOperation', {});
  assert.equal(obs.notTested?.reason, 'not_offered');
});
