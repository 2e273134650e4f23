import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sm2 as smc } from 'sm-crypto-v2';
import { sm2KeyExchange } from './sm2-exchange.ts';
import { Sm2KeyError, sm2GenerateKeyPair, sm2PublicKeyFromPrivate } from './sm2.ts';

const H = (s: string) => Buffer.from(s, 'hex');
const pair = (d: string) => ({ privateKey: H(d), publicKey: sm2PublicKeyFromPrivate(H(d)) });

// GB/T 32918.5-2017 key-exchange example (recommended curve, default IDs).
const A = pair('81EB26E941BB5AF16DF116495F90695272AE2CD63D6C4AE1678418BE48230029');
const B = pair('785129917D45A9EA5437A59356B82338EAADDA6CEB199088F14AE10DEFA229B5');
const RA = pair('D4DE15474DB74D06491C440D305E012400990F3E390C7E87153C12DB2EA60BB3');
const RB = pair('7E07124814B309489125EAED101113164EBF0F3458C5BD88335C1F9D596243D6');

test('GB/T 32918.5 key exchange example: K, S_B/S_1 and S_A/S_2 on both sides', () => {
  assert.equal(RA.publicKey.toString('hex').toUpperCase(), '0464CED1BDBC99D590049B434D0FD73428CF608A5DB8FE5CE07F15026940BAE40E376629C7AB21E7DB260922499DDB118F07CE8EAAE3E7720AFEF6A5CC062070C0');
  const a = sm2KeyExchange({ role: 'initiator', selfStatic: A, selfEphemeral: RA, peerStaticPublic: B.publicKey, peerEphemeralPublic: RB.publicKey, klen: 16 });
  const b = sm2KeyExchange({ role: 'responder', selfStatic: B, selfEphemeral: RB, peerStaticPublic: A.publicKey, peerEphemeralPublic: RA.publicKey, klen: 16 });
  assert.equal(a.key.toString('hex').toUpperCase(), '6C89347354DE2484C60B4AB1FDE4C6E5');
  assert.deepEqual(b.key, a.key);
  assert.equal(b.s1.toString('hex').toUpperCase(), 'D3A0FE15DEE185CEAE907A6B595CC32A266ED7B3367E9983A896DC32FA20F8EB');
  assert.deepEqual(a.s1, b.s1);
  assert.equal(a.s2.toString('hex').toUpperCase(), '18C7894B3816DF16CF07B05C5EC0BEF5D655D58F779CC1B400A4F3884644DB88');
  assert.deepEqual(b.s2, a.s2);
});

test('key exchange: random parties agree for several key lengths; a different ID or ephemeral breaks agreement', () => {
  const a = sm2GenerateKeyPair(), b = sm2GenerateKeyPair();
  for (const klen of [1, 16, 32, 33, 48, 100]) {
    const ra = sm2GenerateKeyPair(), rb = sm2GenerateKeyPair();
    const ka = sm2KeyExchange({ role: 'initiator', selfId: 'alice', peerId: 'bob', selfStatic: a, selfEphemeral: ra, peerStaticPublic: b.publicKey, peerEphemeralPublic: rb.publicKey, klen });
    const kb = sm2KeyExchange({ role: 'responder', selfId: 'bob', peerId: 'alice', selfStatic: b, selfEphemeral: rb, peerStaticPublic: a.publicKey, peerEphemeralPublic: ra.publicKey, klen });
    assert.equal(ka.key.length, klen);
    assert.deepEqual(ka, kb);
    const wrongId = sm2KeyExchange({ role: 'responder', selfId: 'bob', peerId: 'mallory', selfStatic: b, selfEphemeral: rb, peerStaticPublic: a.publicKey, peerEphemeralPublic: ra.publicKey, klen: 16 });
    assert.notDeepEqual(wrongId.key, ka.key.subarray(0, 16));
  }
});

test('key exchange agrees with sm-crypto-v2 calculateSharedKey (independent implementation)', () => {
  const a = sm2GenerateKeyPair(), b = sm2GenerateKeyPair(), ra = sm2GenerateKeyPair(), rb = sm2GenerateKeyPair();
  const hex = (k: { privateKey: Buffer; publicKey: Buffer }) => ({ privateKey: k.privateKey.toString('hex'), publicKey: k.publicKey.toString('hex') });
  const ours = sm2KeyExchange({ role: 'initiator', selfStatic: a, selfEphemeral: ra, peerStaticPublic: b.publicKey, peerEphemeralPublic: rb.publicKey, klen: 32 });
  const theirsA = smc.calculateSharedKey(hex(a), hex(ra), b.publicKey.toString('hex'), rb.publicKey.toString('hex'), 32, false, '1234567812345678', '1234567812345678');
  const theirsB = smc.calculateSharedKey(hex(b), hex(rb), a.publicKey.toString('hex'), ra.publicKey.toString('hex'), 32, true, '1234567812345678', '1234567812345678');
  assert.deepEqual(Buffer.from(theirsA), ours.key);
  assert.deepEqual(Buffer.from(theirsB), ours.key);
});

test('key exchange rejects a peer point off the curve and a mismatched own key pair', () => {
  const bad = Buffer.from(RB.publicKey);
  bad[64] = bad[64]! ^ 1;
  assert.throws(() => sm2KeyExchange({ role: 'initiator', selfStatic: A, selfEphemeral: RA, peerStaticPublic: B.publicKey, peerEphemeralPublic: bad, klen: 16 }), (e: Error) => e instanceof Sm2KeyError && /not a point on the curve/.test(e.message));
  assert.throws(() => sm2KeyExchange({ role: 'initiator', selfStatic: { privateKey: A.privateKey, publicKey: B.publicKey }, selfEphemeral: RA, peerStaticPublic: B.publicKey, peerEphemeralPublic: RB.publicKey, klen: 16 }), /does not match/);
  assert.throws(() => sm2KeyExchange({ role: 'initiator', selfStatic: A, selfEphemeral: RA, peerStaticPublic: B.publicKey, peerEphemeralPublic: RB.publicKey, klen: 0 }), /klen/);
});
