import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { queryOcsp } from '../../../probes/ocsp/probe.ts';
import { fetchCrl } from '../../../probes/crl/probe.ts';
import { requestTimestamp } from '../../../probes/tsa/probe.ts';
import { MemoryEvidenceSink } from '../../../probes/evidence.ts';
import type { Observation } from '../../../probes/observation.ts';
import { certificatesFromPem } from '../../../lib/tlcp/index.ts';
import {
  closeAtOnce, downPort, garbage, httpAnswer, httpDrip, httpFlood, misbehavingServer, reset, silent, type Behaviour,
} from '../../fixtures/robustness/misbehaving-server.ts';
import { ROOT } from '../../cli.ts';

/**
 * The OCSP, CRL and RFC 3161 probes against misbehaving loopback servers: each answer is not_tested (could not
 * test) or data that no Then-step can read as a pass — within the configured timeout, never a hang, never an
 * exception out of the probe.
 */
const TIMEOUT = 700;
const issuerDer = certificatesFromPem(readFileSync(resolve(ROOT, 'test/fixtures/tlcp/certs/sm2_root_ca_cert.pem'), 'utf8'))[0]!;
const object = { id: 'x', name: 'x' };

const cases: [string, Behaviour | 'down'][] = [
  ['is down', 'down'],
  ['never answers', silent],
  ['resets the connection', reset],
  ['closes without an answer', closeAtOnce],
  ['answers garbage instead of HTTP', garbage()],
  ['answers HTTP 200 with a garbage body', httpAnswer(Buffer.from('30820fff0201', 'hex'))],
  ['answers HTTP 200 with an empty body', httpAnswer('')],
  ['answers HTTP 500 with HTML', httpAnswer('<html>oops</html>', { status: '500 Internal Server Error', type: 'text/html' })],
  ['truncates the body', httpAnswer(Buffer.from('3082', 'hex'), { declaredLength: 4096 })],
  ['floods a never-ending body', httpFlood()],
  ['floods a chunked body', httpFlood({ chunked: true })],
  ['drips the body one byte at a time', httpDrip()],
];

type Probe = 'ocsp' | 'crl' | 'tsa';
async function run(probe: Probe, url: string): Promise<Observation<unknown>> {
  const evidence = new MemoryEvidenceSink();
  if (probe === 'ocsp') return queryOcsp({ url, issuerDer, serial: 0x1234n, timeoutMs: TIMEOUT, object, evidence, name: 'ocsp' });
  if (probe === 'crl') return fetchCrl({ url, issuerDer, timeoutMs: TIMEOUT, object, evidence, name: 'crl' });
  return requestTimestamp({ url, data: Buffer.from('abc'), timeoutMs: TIMEOUT, object, evidence, name: 'tsa' });
}

/** What a passing Then-step would need; none of it may appear in an answer from a misbehaving server. */
function assertNoPass(probe: Probe, obs: Observation<unknown>): void {
  if (obs.notTested) {
    assert.equal(obs.notTested.reason, 'could_not_test');
    assert.ok(obs.notTested.detail.length > 10, 'a reason is given');
    return;
  }
  const d = obs.data as Record<string, unknown>;
  assert.ok(d, 'either data or not_tested');
  if (probe === 'ocsp') {
    assert.notEqual(d.responseStatus, 'successful');
    assert.equal(d.certStatus, undefined);
    assert.notEqual(d.signatureValid, true);
  } else if (probe === 'crl') {
    assert.ok(typeof d.problem === 'string' && d.problem.length > 0, 'the CRL problem is stated');
    assert.notEqual(d.signatureValid, true);
  } else {
    assert.equal(d.status, undefined);
    assert.notEqual(d.signatureValid, true);
    assert.ok((d.problems as string[]).length > 0, 'the problem is stated');
  }
}

for (const probe of ['ocsp', 'crl', 'tsa'] as const) {
  for (const [name, behave] of cases) {
    test(`${probe} probe: a responder that ${name} gives not_tested or an unreadable answer, in time`, async () => {
      const s = behave === 'down' ? undefined : await misbehavingServer(behave);
      const url = `http://127.0.0.1:${s?.port ?? await downPort()}/${probe}`;
      const started = Date.now();
      try {
        const obs = await run(probe, url);
        const ms = Date.now() - started;
        assert.ok(ms < TIMEOUT + 1500, `took ${ms} ms with a ${TIMEOUT} ms timeout`);
        assertNoPass(probe, obs);
      } finally {
        await s?.close();
      }
    });
  }
}

test('ocsp probe: an unreadable issuer certificate from the target gives not_tested, not an exception', async () => {
  const obs = await queryOcsp({ url: 'http://127.0.0.1:9/ocsp', issuerDer: new Uint8Array(0), serial: 1n, timeoutMs: TIMEOUT, object, evidence: new MemoryEvidenceSink(), name: 'ocsp' });
  assert.equal(obs.notTested?.reason, 'could_not_test');
  assert.match(obs.notTested!.detail, /issuer certificate cannot be read/);
});

test('the reasons name what went wrong: flood → size cap, trickle → deadline, refused → ECONNREFUSED', async () => {
  const detail = async (b: Behaviour | 'down') => {
    const s = b === 'down' ? undefined : await misbehavingServer(b);
    try {
      const obs = await run('crl', `http://127.0.0.1:${s?.port ?? await downPort()}/crl`);
      return obs.notTested?.detail ?? '';
    } finally {
      await s?.close();
    }
  };
  assert.match(await detail(httpFlood({ chunked: true })), /exceeds \d+ bytes|no complete answer within/);
  assert.match(await detail(httpFlood()), /exceeds \d+ bytes/);
  assert.match(await detail(httpDrip()), /no complete answer within 700 ms/);
  assert.match(await detail('down'), /ECONNREFUSED/);
});
