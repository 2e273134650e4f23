/**
 * Fuzz test of the probe's reading of server answers: transcripts of real handshakes (lib/tlcp engines back to back,
 * all four suites) are mutated — bytes flipped, cut, extended, types and directions changed, entries dropped,
 * duplicated or swapped — and fed to parseServerFlight and judgeTlcpProbe. Nothing may throw; the parser reports
 * what it could not read in `problems`. Modest iterations here; the seed is fixed so a failure is reproducible.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { TlcpEngine, type TranscriptEntry } from '../../../lib/tlcp/index.ts';
import { judgeTlcpProbe } from '../../../probes/tlcp/judge.ts';
import { parseServerFlight } from '../../../probes/tlcp/parse.ts';
import type { Conversation, TlcpProbeReport } from '../../../probes/tlcp/probe.ts';
import { clientCredentials, serverCredentials, ROOT_CA } from '../../fixtures/tlcp/keys.ts';

function handshakeTranscript(suite: number): TranscriptEntry[] {
  const s = new TlcpEngine({ role: 'server', serverCredentials: serverCredentials(), transcript: false, caCerts: [ROOT_CA()] });
  const c = new TlcpEngine({ role: 'client', suites: [suite], clientCredentials: clientCredentials() });
  s.on('write', (b) => c.receive(b));
  c.on('write', (b) => s.receive(b));
  c.start();
  assert.ok(c.handshakeComplete, `suite ${suite.toString(16)} handshake`);
  c.write(new TextEncoder().encode('ping'));
  s.write(new TextEncoder().encode('pong'));
  return c.transcript;
}

const base = [0xe013, 0xe053, 0xe011, 0xe051].map(handshakeTranscript);

const hexMut = fc.oneof(
  fc.record({ k: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ k: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ k: fc.constant('extend' as const), bytes: fc.uint8Array({ maxLength: 40 }) }),
  fc.record({ k: fc.constant('garbage' as const), s: fc.string({ maxLength: 12 }) }),
);
const entryMut = fc.oneof(
  fc.record({ k: fc.constant('hex' as const), i: fc.nat(), m: hexMut }),
  fc.record({ k: fc.constant('type' as const), i: fc.nat(), type: fc.integer({ min: -2, max: 260 }) }),
  fc.record({ k: fc.constant('dir' as const), i: fc.nat() }),
  fc.record({ k: fc.constant('kind' as const), i: fc.nat(), kind: fc.constantFrom('record', 'handshake', 'note') }),
  fc.record({ k: fc.constant('drop' as const), i: fc.nat() }),
  fc.record({ k: fc.constant('dup' as const), i: fc.nat() }),
  fc.record({ k: fc.constant('swap' as const), i: fc.nat(), j: fc.nat() }),
);

function mutateHex(hex: string, m: fc.Arbitrary<unknown> extends never ? never : { k: string; at?: number; bit?: number; bytes?: Uint8Array; s?: string }): string {
  const b = Buffer.from(hex.replace('…', ''), 'hex');
  switch (m.k) {
    case 'flip': {
      if (!b.length) return hex;
      const i = m.at! % b.length;
      b[i] = b[i]! ^ (1 << m.bit!);
      return b.toString('hex');
    }
    case 'cut':
      return b.subarray(0, b.length ? m.at! % b.length : 0).toString('hex');
    case 'extend':
      return Buffer.concat([b, Buffer.from(m.bytes!)]).toString('hex');
    default:
      return m.s!;
  }
}

function applyMutations(entries: TranscriptEntry[], muts: { k: string; i?: number; j?: number; type?: number; kind?: string; m?: { k: string } }[]): TranscriptEntry[] {
  const out = entries.map((e) => ({ ...e }));
  for (const u of muts) {
    if (!out.length) break;
    const i = (u.i ?? 0) % out.length;
    const e = out[i]!;
    if (u.k === 'hex') e.hex = mutateHex(e.hex, u.m as never);
    else if (u.k === 'type') e.type = u.type!;
    else if (u.k === 'dir') e.dir = e.dir === 'in' ? 'out' : 'in';
    else if (u.k === 'kind') e.kind = u.kind as TranscriptEntry['kind'];
    else if (u.k === 'drop') out.splice(i, 1);
    else if (u.k === 'dup') out.splice(i, 0, { ...e });
    else if (u.k === 'swap') {
      const j = (u.j ?? 0) % out.length;
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
  }
  return out;
}

it('the clean transcripts parse completely (server hello, two certificates, signature, protected records)', () => {
  for (const t of base) {
    const f = parseServerFlight(t);
    assert.deepEqual(f.problems, []);
    assert.equal(f.serverHello?.version, 0x0101);
    assert.equal(f.certificates?.length, 3);
    assert.ok(f.ske && f.ske.signatureHex.length > 0);
    assert.ok(f.explicit.length >= 2, 'Finished and the application data record');
  }
});

it('mutated transcripts never make the parser throw (3,000 cases)', () => {
  fc.assert(
    fc.property(fc.nat({ max: base.length - 1 }), fc.array(entryMut, { minLength: 1, maxLength: 8 }), (which, muts) => {
      const f = parseServerFlight(applyMutations(base[which]!, muts));
      assert.ok(Array.isArray(f.problems) && Array.isArray(f.explicit) && Array.isArray(f.lateHandshake));
    }),
    { numRuns: 3000, seed: 38636 },
  );
});

it('reports built from mutated transcripts never make the judge throw (150 cases: each verifies signatures)', () => {
  fc.assert(
    fc.property(fc.nat({ max: base.length - 1 }), fc.array(entryMut, { minLength: 1, maxLength: 8 }), (which, muts) => {
      const t = applyMutations(base[which]!, muts);
      const conv = (id: string): Conversation => ({ id, title: id, sent: [], notes: [], transcript: t, outcome: { handshake: true, closed: false, timedOut: false, negotiated: { suite: 0xe013, suiteName: 'x', sessionId: '', resumed: false, clientAuthForm: null, ecdheCkeFormat: null } } });
      const report: TlcpProbeReport = { endpoint: 'fuzz:1', startedAt: new Date(0).toISOString(), durationMs: 0, reachable: true, hadClientCredentials: true,
        conversations: ['sanity-first', 'tampered-finished', 'renegotiation', 'resume-garbage', 'sanity-last'].map(conv) };
      const checks = judgeTlcpProbe(report, { trustAnchors: [ROOT_CA()], at: new Date('2027-01-01T00:00:00Z') });
      assert.ok(checks.length > 10 && checks.every((c) => ['passed', 'failed', 'not_tested', 'not_applicable'].includes(c.status)));
    }),
    { numRuns: 150, seed: 38636 },
  );
});
