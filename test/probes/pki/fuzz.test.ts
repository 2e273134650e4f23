import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PkiFuzzHarness, pkiSeeds } from '../../fixtures/robustness/pki-fuzz.ts';
import { mutation } from '../../fixtures/lint/mutations.ts';

/**
 * Property-based fuzzing of the OCSP (RFC 6960) and time-stamp (RFC 3161) response readers the probes run on a
 * responder's bytes: any mutation of a real response, or any byte string, is read without an exception, and an
 * answer whose signed content was altered never comes back as validly signed with the altered facts.
 * GMEVAL_FUZZ_RUNS scales the run (bench/fuzz.ts).
 */
const runs = Number(process.env.GMEVAL_FUZZ_RUNS ?? 300);
const h = new PkiFuzzHarness(pkiSeeds());

test('the seeds are real: valid answers read as validly signed, and one flipped signed byte breaks them', () => {
  const good = h.readOcsp(h.seeds.ocsp[0]!);
  assert.equal(good.responseStatus, 'successful');
  assert.equal(good.signatureValid, true);
  assert.equal(good.certStatus, 'good');
  assert.equal(good.nonceReturned, '07'.repeat(16));
  assert.equal(h.readOcsp(h.seeds.ocsp[3]!).signer, 'delegated');
  const tsp = h.readTsp(h.seeds.tsp[0]!);
  assert.equal(tsp.status, 0);
  assert.equal(tsp.signatureValid, true, tsp.problems.join('; '));
  // the serial (inside the signed ResponseData / TSTInfo) changed by one bit: the signature must fail
  const forged = Uint8Array.from(h.seeds.ocsp[0]!);
  const at = Buffer.from(forged).indexOf(Buffer.from([0x02, 0x02, 0x12, 0x34]));
  assert.ok(at > 0);
  forged[at + 3] ^= 1;
  assert.equal(h.readOcsp(forged).signatureValid, false);
});

test(`OCSP responses: ${runs} mutations of real responses are read safely, no forged answer verifies`, () => {
  let stillValid = 0;
  fc.assert(fc.property(mutation(h.seeds.ocsp), (b) => { if (h.guardOcsp(b)) stillValid++; }), { numRuns: runs });
  assert.ok(stillValid < runs, 'mutations reached the signed content');
});

test(`OCSP responses: ${runs} arbitrary byte strings are read safely`, () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (b) => { assert.equal(h.guardOcsp(b), false); }), { numRuns: runs });
});

test(`RFC 3161 replies: ${runs} mutations of real replies are read safely, no forged token verifies`, () => {
  fc.assert(fc.property(mutation(h.seeds.tsp), fc.boolean(), (b, withCert) => { h.guardTsp(b, withCert); }), { numRuns: runs });
});

test(`RFC 3161 replies: ${runs} arbitrary byte strings are read safely`, () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (b) => { assert.equal(h.guardTsp(b, true), false); }), { numRuns: runs });
});
