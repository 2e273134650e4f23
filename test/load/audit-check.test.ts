import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sm3 } from '../../lib/gm/index.ts';
import { startPlatform } from '../../reference-platform/index.ts';
import { AdminClient, merkleRoot, verifyAudit } from './harness.ts';

// The audit check the fault test relies on can fail: a tampered record, a forged earlier state and a wrong root
// are each reported. Its Merkle root is RFC 6962's (checked against a hand-computed tree).
test('merkleRoot follows RFC 6962: MTH of 3 leaves is H(1 ‖ H(1 ‖ a ‖ b) ‖ c)', () => {
  const [a, b, c] = ['a', 'b', 'c'].map((x) => sm3(Buffer.from([0]), Buffer.from(x)));
  assert.deepEqual(merkleRoot([a!, b!, c!]), sm3(Buffer.from([1]), sm3(Buffer.from([1]), a!, b!), c!));
  assert.deepEqual(merkleRoot([a!]), a);
});

test('verifyAudit: a clean log verifies; tampering, a forged earlier root and a shrunken log are reported', { timeout: 30_000 }, async () => {
  const p = await startPlatform({ conformance: true, console: false });
  try {
    const auditor = await AdminClient.login(p.listening.http, p.provisionAdmin('check-auditor', ['auditor']));
    const sup = await AdminClient.login(p.listening.http, p.provisionAdmin('check-super', ['super_admin']));
    const clean = await verifyAudit(auditor);
    assert.deepEqual(clean.problems, []);
    const again = await verifyAudit(auditor, clean.state);
    assert.deepEqual(again.problems, [], 'a grown log is consistent with its earlier state');
    assert.ok((await verifyAudit(auditor, { size: clean.state.size, rootHash: Buffer.alloc(32, 1) })).problems.some((x) => /consistency/.test(x)));
    assert.ok((await verifyAudit(auditor, { size: again.state.size + 1000, rootHash: again.state.rootHash })).problems.some((x) => /shrank/.test(x)));
    const seq = again.state.size - 2;
    assert.equal((await sup.request('POST', '/sys/test/audit/tamper', { seq })).status, 200);
    const tampered = await verifyAudit(auditor, again.state);
    assert.ok(tampered.problems.some((x) => /\/audit\/verify/.test(x)), tampered.problems.join('; '));
    assert.ok(tampered.problems.some((x) => /Merkle root recomputed/.test(x)), tampered.problems.join('; '));
  } finally {
    await p.close();
  }
});
