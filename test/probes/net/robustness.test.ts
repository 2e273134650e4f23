import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identifyService } from '../../../probes/net/identify.ts';
import { tlcpHandshake } from '../../../probes/net/tlcp.ts';
import { connectScan } from '../../../probes/net/scan.ts';
import {
  closeAtOnce, downPort, drip, flood, garbage, httpAnswer, httpDrip, httpFlood, misbehavingServer, reset, silent, type Behaviour,
} from '../../fixtures/robustness/misbehaving-server.ts';

/**
 * The network-zone probe's service identification (HTTP, TLS, TLCP, banners) against misbehaving loopback
 * servers: every port is identified (or reported unknown) within the timeout — a trickling or flooding server
 * cannot hold the scan, an odd redirect cannot throw — and no TLCP handshake is ever reported on them.
 */
const TIMEOUT = 600;
const tlcp = (h: string, p: number) => tlcpHandshake(h, p, [], TIMEOUT);

const cases: [string, Behaviour, RegExp][] = [
  ['never answers', silent, /^unknown$/],
  ['resets', reset, /^unknown$/],
  ['closes at once', closeAtOnce, /^unknown$/],
  ['answers garbage', garbage(), /^(unknown|http)$/],
  ['floods garbage', (s) => flood(s, Buffer.alloc(1 << 16, 0xab)), /^(unknown|http)$/],
  ['answers HTTP and trickles the body forever', httpDrip(), /^http$/],
  ['answers HTTP with an endless body', httpFlood(), /^http$/],
  ['answers HTTP with an endless chunked body', httpFlood({ chunked: true }), /^http$/],
  ['truncates an HTTP answer', httpAnswer('<html>', { declaredLength: 5000 }), /^(http|unknown)$/],
  ['redirects to an unparseable login Location', (s) => s.end('HTTP/1.1 302 Found\r\nlocation: http://[bad/login\r\ncontent-length: 0\r\n\r\n'), /^http$/],
  ['redirects to a login path the HTTP client refuses', (s) => s.end('HTTP/1.1 302 Found\r\nlocation: /login here\r\ncontent-length: 0\r\n\r\n'), /^http$/],
];

for (const [name, behave, protocol] of cases) {
  test(`net probe: a port that ${name} is identified in time, never as TLCP`, async () => {
    const s = await misbehavingServer(behave);
    const started = Date.now();
    try {
      const f = await identifyService(s.host, s.port, { timeoutMs: TIMEOUT, tlcp });
      const ms = Date.now() - started;
      assert.ok(ms < 3 * TIMEOUT + 1000, `took ${ms} ms with a ${TIMEOUT} ms timeout`);
      assert.match(f.protocol, protocol);
      assert.notEqual(f.tlcp?.handshake, true);
      assert.ok(!f.tls?.versions.some((v) => v.accepted), 'no TLS version accepted');
    } finally {
      await s.close();
    }
  });
}

test('net probe: a server that speaks first and then floods is read as a banner, briefly', async () => {
  const s = await misbehavingServer(silent, { onConnect: (sock) => flood(sock, Buffer.from('220 ftp ready\r\n'.repeat(4096))) });
  try {
    const started = Date.now();
    const f = await identifyService(s.host, s.port, { timeoutMs: TIMEOUT, tlcp });
    assert.equal(f.protocol, 'ftp');
    assert.ok(f.banner!.length <= 120);
    assert.ok(Date.now() - started < 1000);
  } finally {
    await s.close();
  }
});

test('net probe: TLCP handshakes with silent, trickling and garbage servers fail with a reason in time', async () => {
  for (const b of [silent, garbage(), (s: Parameters<Behaviour>[0]) => drip(s, Buffer.from([22, 1, 1, 0, 200, 2]), 50), reset]) {
    const s = await misbehavingServer(b);
    try {
      const started = Date.now();
      const r = await tlcpHandshake(s.host, s.port, [], TIMEOUT);
      assert.ok(Date.now() - started < TIMEOUT + 1000, `took ${Date.now() - started} ms`);
      assert.equal(r.handshake, false);
      assert.ok((r.error ?? '').length > 5, 'a reason');
    } finally {
      await s.close();
    }
  }
  const r = await tlcpHandshake('127.0.0.1', await downPort(), [], TIMEOUT);
  assert.equal(r.handshake, false);
  assert.match(r.error!, /ECONNREFUSED|unreachable/);
});

test('net probe: the built-in scan reports a down port closed and a silent one open, within its timeout', async () => {
  const s = await misbehavingServer(silent);
  try {
    const down = await downPort();
    const started = Date.now();
    const open = await connectScan(['127.0.0.1'], [down, s.port], 10, TIMEOUT);
    assert.deepEqual(open['127.0.0.1'], [s.port]);
    assert.ok(Date.now() - started < TIMEOUT + 500);
  } finally {
    await s.close();
  }
});
