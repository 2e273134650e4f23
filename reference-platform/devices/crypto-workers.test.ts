import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sm2Verify, sm2VerifyDigest, sm3 } from '../../lib/gm/index.ts';
import { openDb } from '../store/db.ts';
import { MasterKey } from '../store/master-key.ts';
import { Defects } from '../defects/registry.ts';
import { SoftSdfDevice } from './soft-sdf.ts';
import { CryptoWorkers } from './crypto-workers.ts';

function device(): SoftSdfDevice {
  return SoftSdfDevice.enrol(openDb(':memory:'), MasterKey.openOrCreate(':memory:'), new Defects([]), 'TEST', 'test');
}

test('worker-thread signing and sealing give what the inline device functions give (verified independently of the path)', async () => {
  const dev = device();
  const workers = new CryptoWorkers(2);
  try {
    const slot = dev.generateEccKeyPair('sm2-sign');
    const pub = dev.exportPublicKey(slot);
    const msgs = Array.from({ length: 12 }, (_, i) => randomBytes(i * 7));
    const sigs = await Promise.all(msgs.map((m) => dev.signMessageAsync(slot, m, {}, workers)));
    sigs.forEach((s, i) => assert.ok(sm2Verify(pub, msgs[i]!, s), `worker signature ${i}`));
    assert.ok(sm2Verify(pub, msgs[3]!, await dev.signMessageAsync(slot, msgs[3]!, {})), 'inline signature');
    assert.ok(sm2Verify(pub, msgs[3]!, await dev.signMessageAsync(slot, msgs[3]!, { id: 'bob' }, workers), { id: 'bob' }));
    assert.ok(sm2VerifyDigest(pub, sm3(msgs[3]!), await dev.signMessageAsync(slot, msgs[3]!, { omitZ: true }, workers)));

    const sym = dev.generateSymmetricKey('sm4');
    const pt = randomBytes(4096 + 5);
    const aad = Buffer.from('aad');
    const blobs = await Promise.all([0, 1, 2, 3].map(() => dev.envelopeSealAsync(sym, 'csp:v1:', pt, aad, workers)));
    for (const b of blobs) assert.deepEqual(dev.envelopeOpen(sym, 'csp:v1:', b, aad), pt, 'a worker-sealed envelope opens inline');
    assert.notDeepEqual(blobs[0], blobs[1], 'fresh IV per envelope');
    assert.throws(() => dev.envelopeOpen(sym, 'csp:v2:', blobs[0]!, aad), /SDR_MACERR|MAC/, 'the header is bound');

    // SDF checks stay on the main thread: a wrong key type and a faulty device fail before any worker runs
    await assert.rejects(dev.signMessageAsync(sym, msgs[0]!, {}, workers), /SDR_KEYTYPEERR|not sm2-sign/);
    await assert.rejects(dev.envelopeSealAsync(slot, 'csp:v1:', pt, aad, workers), /SDR_KEYTYPEERR|not sm4/);
    // a destroyed slot's key is dropped from the workers too; a new key at the same index signs with its own key
    dev.destroySlot(slot);
    await assert.rejects(dev.signMessageAsync(slot, msgs[0]!, {}, workers), /SDR_KEYNOTEXIST|no key/);
    const again = dev.generateEccKeyPair('sm2-sign');
    assert.equal(again, slot, 'the index is reused');
    const pub2 = dev.exportPublicKey(again);
    const s2 = await Promise.all([0, 1, 2, 3].map(() => dev.signMessageAsync(again, msgs[1]!, {}, workers)));
    for (const s of s2) {
      assert.ok(sm2Verify(pub2, msgs[1]!, s), 'signed with the new key');
      assert.ok(!sm2Verify(pub, msgs[1]!, s), 'not with the destroyed one');
    }
    dev.fault = 'ERROR';
    await assert.rejects(dev.signMessageAsync(again, msgs[0]!, {}, workers), /SDR_HARDFAIL|does not answer/);
  } finally {
    await workers.close();
  }
});
