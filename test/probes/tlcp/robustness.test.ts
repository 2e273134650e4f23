import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTlcpProbe } from '../../../probes/tlcp/run.ts';
import { closeAtOnce, downPort, drip, flood, garbage, misbehavingServer, reset, silent, type Behaviour } from '../../fixtures/robustness/misbehaving-server.ts';

/**
 * The TLCP probe against misbehaving loopback servers: every check is not_tested or failed with a reason —
 * never passed (a refusal from a server that never spoke TLCP proves nothing) — within a bound set by the
 * configured timeouts, and nothing escapes the probe.
 */
const WAIT = 250;
const rec = (type: number, len: number) => Buffer.from([type, 1, 1, len >> 8, len & 0xff]);
const hugeServerHello = (s: Parameters<Behaviour>[0]) => {
  // a ServerHello claiming 16 MiB, then endless handshake fragments
  s.write(Buffer.concat([rec(22, 4), Buffer.from([2, 0xff, 0xff, 0xff])]));
  flood(s, Buffer.concat([rec(22, 16384), Buffer.alloc(16384, 0x41)]));
};

const cases: [string, Behaviour | 'down', number][] = [
  ['is down', 'down', 1],
  ['accepts and never answers', silent, 1],
  ['trickles a record one byte at a time', (s) => drip(s, Buffer.concat([rec(22, 200), Buffer.alloc(200, 2)]), 50), 1],
  ['resets every connection', reset, 14],
  ['closes every connection at once', closeAtOnce, 14],
  ['answers garbage', garbage(), 14],
  ['floods garbage', (s) => flood(s, Buffer.alloc(65536, 0xab)), 14],
  ['sends a truncated record and closes', (s) => s.end(Buffer.concat([rec(22, 200), Buffer.alloc(20, 2)])), 14],
  ['floods handshake records', (s) => flood(s, Buffer.concat([rec(22, 16384), Buffer.alloc(16384, 0)])), 14],
  ['announces a 16 MiB ServerHello and floods', hugeServerHello, 14],
];

for (const [name, behave] of cases) {
  test(`TLCP probe: a server that ${name} gives only not_tested/failed with reasons, in time`, async () => {
    const s = behave === 'down' ? undefined : await misbehavingServer(behave);
    const started = Date.now();
    try {
      const r = await runTlcpProbe({ host: '127.0.0.1', port: s?.port ?? await downPort(), answerTimeoutMs: WAIT, connectTimeoutMs: 500 });
      const ms = Date.now() - started;
      // silent servers: one sanity conversation (2 × WAIT) and the probe stops; others fail fast per conversation
      assert.ok(ms < 20 * WAIT, `took ${ms} ms with answerTimeoutMs ${WAIT}`);
      assert.ok(r.checks.length > 10);
      const passed = r.checks.filter((c) => c.status === 'passed');
      assert.deepEqual(passed.map((c) => `${c.id}: ${c.reason}`), [], 'a misbehaving server passed a check');
      for (const c of r.checks) assert.ok(c.reason.length > 5, `${c.id} has a reason`);
      assert.equal(r.certificates, null, 'no certificates to lint');
      if (behave === 'down') assert.equal(r.report.reachable, false);
    } finally {
      await s?.close();
    }
  });
}

test('TLCP probe: a silent server is given up after the sanity handshake, with the reason on every skipped conversation', async () => {
  const s = await misbehavingServer(silent);
  try {
    const r = await runTlcpProbe({ host: '127.0.0.1', port: s.port, answerTimeoutMs: WAIT, connectTimeoutMs: 500 });
    assert.equal(s.connections(), 1, 'only the sanity conversation dialled');
    const skipped = r.report.conversations.filter((c) => c.skipped);
    assert.ok(skipped.length >= 10);
    for (const c of skipped) assert.match(c.skipped!, /no complete TLCP record within 500 ms|client double certificate|the first handshake failed/);
    assert.equal(r.checks.find((c) => c.id === 'hello')!.status, 'failed');
  } finally {
    await s.close();
  }
});
