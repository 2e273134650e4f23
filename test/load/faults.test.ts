import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFaults, runFaults } from './faults.ts';

// The fault test at a reduced scale (bench/faults.ts runs 100 kills): the platform process is SIGKILLed at random
// moments during key lifecycle and PKI operations; after every restart each acknowledged operation persisted
// and the audit log verifies (platform verdict and the toolkit's own Merkle/consistency/signature checks).
test('faults: 5 random SIGKILLs during key lifecycle and PKI operations lose nothing acknowledged; the audit log verifies', { timeout: 120_000 }, async () => {
  const f = await runFaults({ kills: 5, minRunMs: 400, maxRunMs: 1200 });
  console.log(formatFaults(f));
  assert.deepEqual(f.problems, []);
  assert.equal(f.killsSurvived, 5);
  assert.ok(f.operationsAcknowledged > 20, `only ${f.operationsAcknowledged} operations acknowledged`);
  assert.ok(f.checksVerified > f.operationsAcknowledged / 2);
  assert.ok(f.auditRecords > 0);
});
