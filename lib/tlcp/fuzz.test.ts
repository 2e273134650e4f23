/**
 * Property: whatever mutated records or handshake messages reach either role, the engine answers with an alert
 * or keeps waiting — receive() never throws and never ends in internal_error. Modest run here; the ≥100,000
 * iteration campaign is bench/tlcp-fuzz.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { caseArb, recordConversation, runCase, type Outcome } from '../../test/fixtures/tlcp/fuzz-harness.ts';

describe('TLCP fuzz (mutated records and handshake messages, both roles)', () => {
  const convs = [0xe013, 0xe053, 0xe011, 0xe051].map(recordConversation);

  it('2,000 mutated conversations end in an alert or a clean state', () => {
    const seen = new Map<Outcome, number>();
    fc.assert(
      fc.property(caseArb, (k) => {
        const o = runCase(convs, k);
        seen.set(o, (seen.get(o) ?? 0) + 1);
      }),
      { numRuns: 2000, seed: 20261123 },
    );
    // the campaign must actually reach rejections, not only pass through
    assert.ok((seen.get('alert_sent') ?? 0) > 500, JSON.stringify([...seen]));
  });

  it('regression: a synchronous peer answering inside error handling no longer recurses (campaign seed 20261124, case 40264)', () => {
    const k = {
      target: 'live' as const, conv: 62617555, role: 'client' as const, cuts: [1402332070, 1523629063, 1324892293],
      muts: [{ op: 'flip' as const, rec: 677529796, pos: 1692528499, bit: 5 }, { op: 'split' as const, rec: 231923799, at: 224354849 }, { op: 'garbage' as const, bytes: Uint8Array.from([205, 198, 14]) }],
      garbage: Uint8Array.from([158, 120, 0, 197, 167, 62, 102, 55, 215]),
    };
    assert.equal(runCase(convs, k), 'alert_sent');
  });

  it('the unmutated flights complete the handshake (the harness itself is sound)', () => {
    for (const conv of convs) {
      const o = runCase(convs, { target: 'server-hello', conv: convs.indexOf(conv), muts: [{ op: 'split', rec: 0, at: 10 }], cuts: [], role: 'server', garbage: new Uint8Array(0) });
      assert.equal(o, 'open', 'a re-fragmented ClientHello is accepted and the server waits for the client');
    }
  });
});
