import { test } from 'node:test';
import assert from 'node:assert/strict';
import type net from 'node:net';
import { EndpointSdf } from '../../../probes/sdf/endpoint.ts';
import { SdfLoadError, SdfTransportError } from '../../../probes/sdf/spec.ts';
import { runSuite } from '../../../probes/sdf/suite.ts';
import { ALL_KINDS } from '../../../probes/sdf/vectors.ts';
import { closeAtOnce, downPort, drip, flood, garbage, misbehavingServer, reset, silent, type Behaviour } from '../../fixtures/robustness/misbehaving-server.ts';

/**
 * The SDF endpoint transport (sdf://) against misbehaving loopback endpoints: opening fails with SdfLoadError,
 * the suite fails with SdfTransportError, or the suite runs and passes nothing — within the configured timeout
 * (a connection that timed out once is not used again), never a hang, never an exception escaping the transport.
 */
const TIMEOUT = 400;

/** Answers every request line with `answer(id)` (a device that lies). */
const answering = (answer: (id: number, fn: string) => string): Behaviour => (s: net.Socket, first: Buffer) => {
  let buf = '';
  const onData = (d: Buffer) => {
    buf += d.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      try {
        const m = JSON.parse(line) as { id: number; fn: string };
        s.write(answer(m.id, m.fn));
      } catch { /* ignore */ }
    }
  };
  onData(first);
  s.on('data', onData);
};

const cases: [string, Behaviour | 'down'][] = [
  ['is down', 'down'],
  ['never answers', silent],
  ['trickles an answer without ever ending the line', (s) => drip(s, Buffer.from('{"id":1,"rv":0,'), 50)],
  ['resets the connection', reset],
  ['closes at once', closeAtOnce],
  ['answers garbage', garbage()],
  ['answers the JSON line null', (s) => s.write('null\n')],
  ['answers a truncated JSON line and closes', (s) => s.end('{"id":1,"rv":0,"out":{"phDevi')],
  ['floods one endless line', (s) => flood(s, Buffer.alloc(1 << 16, 0x61))],
  ['answers with ids it was never asked', answering((id) => `{"id":${id + 1000},"rv":0}\n`)],
  ['answers without a return value', answering((id) => `{"id":${id},"out":{}}\n`)],
];

/**
 * Devices that lie (rv 0 to everything): the known-answer tests catch them. Only the tests whose single answer
 * is "accept a valid input" cannot be falsified by one lying call — their partner tests (reject the invalid
 * input) fail instead, so the suite as a whole never passes.
 */
const UNFALSIFIABLE_ALONE = /^(session\/|sm2-verify\/)/;
const liars: [string, Behaviour][] = [
  ['answers rv 0 and nothing else to every call', answering((id, fn) => `{"id":${id},"rv":0,"out":${fn === 'SDF_OpenDevice' ? '{"phDeviceHandle":"d"}' : fn === 'SDF_OpenSession' ? '{"phSessionHandle":"s"}' : '{}'}}\n`)],
  ['answers rv 0 with outputs of the wrong type', answering((id) => `{"id":${id},"rv":0,"out":{"phDeviceHandle":{"x":1},"phSessionHandle":[1],"pucRandom":"zz","pstDeviceInfo":12}}\n`)],
];

for (const [name, behave] of liars) {
  test(`SDF endpoint: a device that ${name} fails the suite`, async () => {
    const s = await misbehavingServer(behave);
    try {
      const t = await EndpointSdf.open(`sdf://127.0.0.1:${s.port}/0`, TIMEOUT);
      try {
        const r = await runSuite(t, { pin: 'not-a-real-pin', capabilities: ALL_KINDS });
        assert.ok(r.summary.failed >= r.summary.total - 3, `${r.summary.failed} of ${r.summary.total} failed`);
        assert.deepEqual(r.results.filter((x) => x.disposition === 'passed' && !UNFALSIFIABLE_ALONE.test(x.id)).map((x) => x.id), []);
        for (const k of ['random', 'device-info', 'export-public-key', 'sm2-sign', 'sm4']) {
          assert.ok(r.results.some((x) => x.kind === k && x.disposition === 'failed'), `${k} known answers fail`);
        }
      } finally {
        await t.close();
      }
    } finally {
      await s.close();
    }
  });
}

for (const [name, behave] of cases) {
  test(`SDF endpoint: a device that ${name} yields a transport error or no pass, in time`, async () => {
    const s = behave === 'down' ? undefined : await misbehavingServer(behave);
    const url = `sdf://127.0.0.1:${s?.port ?? await downPort()}/0`;
    const started = Date.now();
    let outcome: string;
    try {
      const t = await EndpointSdf.open(url, TIMEOUT);
      try {
        const r = await runSuite(t, { pin: 'not-a-real-pin', capabilities: ALL_KINDS });
        const passed = r.results.filter((x) => x.disposition === 'passed');
        assert.deepEqual(passed.map((x) => `${x.id}: ${x.reason}`), [], 'a misbehaving device passed a test');
        for (const x of r.results) assert.ok(x.reason.length > 5, `${x.id} has a reason`);
        outcome = `suite: ${r.summary.failed} failed, ${r.summary.unreceived} unreceived`;
      } catch (e) {
        assert.ok(e instanceof SdfTransportError, `unexpected ${(e as Error).name}: ${(e as Error).message}`);
        outcome = e.message;
      } finally {
        await t.close();
      }
    } catch (e) {
      if (!(e instanceof SdfLoadError)) throw e;
      outcome = e.message;
    } finally {
      await s?.close();
    }
    const ms = Date.now() - started;
    // a timeout is paid at most once: the connection is not used after it
    assert.ok(ms < 2 * TIMEOUT + 1500, `took ${ms} ms with a ${TIMEOUT} ms timeout (${outcome})`);
    assert.ok(outcome.length > 10);
  });
}

test('SDF endpoint: the reasons say what happened', async () => {
  const reason = async (b: Behaviour, timeoutMs = TIMEOUT) => {
    const s = await misbehavingServer(b);
    const t = await EndpointSdf.open(`sdf://127.0.0.1:${s.port}/0`, timeoutMs);
    try {
      await t.call('SDF_OpenDevice', {});
      return 'answered';
    } catch (e) {
      return (e as Error).message;
    } finally {
      await t.close();
      await s.close();
    }
  };
  assert.match(await reason(silent), /SDF_OpenDevice got no answer within 400 ms/);
  assert.match(await reason(garbage()), /not a JSON line/);
  assert.match(await reason((s) => s.write('null\n')), /not an object/);
  assert.match(await reason((s) => flood(s, Buffer.alloc(1 << 16, 0x61)), 5000), /exceeds \d+ characters/);
  assert.match(await reason(reset), /ECONNRESET|connection closed/);
});
