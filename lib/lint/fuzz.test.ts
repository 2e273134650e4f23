/** Property: no mutation of a valid (or broken) certificate, CRL or OCSP response makes an exception escape the linter. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { lintGuarded, seedCorpus } from './fuzz-support.ts';
import { mutation } from '../../test/fixtures/lint/mutations.ts';

const corpus = seedCorpus();
const issuerPem = corpus[0]!;


test('seed corpus is large and lints cleanly', () => {
  assert.ok(corpus.length > 100);
  for (const d of corpus) assert.deepEqual(lintGuarded(d), []);
});

test('fuzz: 2,000 mutated objects, nothing escapes and no lint crashes', () => {
  let n = 0;
  fc.assert(fc.property(mutation(corpus), fc.boolean(), (bytes, withIssuer) => {
    n++;
    const crashes = lintGuarded(bytes, withIssuer ? issuerPem : undefined);
    assert.deepEqual(crashes, []);
  }), { numRuns: 2000, seed: 20261123 });
  assert.equal(n >= 2000, true);
});
