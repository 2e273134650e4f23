/**
 * Benchmarks of lib/gm: the SM2 engine candidates (ops/s and which standard vectors each reproduces), and
 * SM3 / SM4-CBC / SM4-GCM throughput. Run: node --import tsx bench/gm.ts [--quick]
 * Figures only; nothing here asserts timings.
 */
import { createSign, createVerify, createPrivateKey, createPublicKey, createHash, createCipheriv, randomBytes } from 'node:crypto';
import { sm2 as smc } from 'sm-crypto-v2';
import {
  SM2_P256V1, Sm4Gcm, sm2Decrypt, sm2Encrypt, sm2GenerateKeyPair, sm2PrivateKeyToSec1Der, sm2PublicKeyFromPrivate, sm2PublicKeyToSpki,
  sm2Sign, sm2SignDigest, sm2Verify, sm2VerifyDigest, sm2Z, sm3, sm4Cbc,
} from '../lib/gm/index.ts';
import { Ghash, GhashKey } from '../lib/gm/ghash.ts';

const quick = process.argv.includes('--quick');
const BUDGET_MS = quick ? 300 : 1500;

function opsPerSec(fn: () => unknown): number {
  for (let i = 0; i < 5; i++) fn(); // warm-up (JIT, lazy tables)
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < BUDGET_MS) {
    fn();
    n++;
    t = performance.now();
  }
  return n / ((t - t0) / 1000);
}

function mbPerSec(bytes: number, fn: () => unknown): number {
  return (opsPerSec(fn) * bytes) / 1e6;
}

const H = (s: string) => Buffer.from(s, 'hex');
const fmt = (x: number | undefined) => (x === undefined ? '—' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));

// ---------- SM2 candidates ----------
const kp = sm2GenerateKeyPair();
const privHex = kp.privateKey.toString('hex');
const pubHex = kp.publicKey.toString('hex');
const msg = Buffer.from('gmeval benchmark message 32 bytes'.padEnd(32, '.'));
const z = sm2Z(kp.publicKey);
const e = sm3(z, msg);
const sigDer = sm2Sign(kp.privateKey, msg);
const ctDer = sm2Encrypt(kp.publicKey, msg);
const ctRaw = sm2Encrypt(kp.publicKey, msg, { format: 'raw' });

// (a) node:crypto / OpenSSL, keys loaded once from DER
const osslPriv = createPrivateKey({ key: sm2PrivateKeyToSec1Der(kp), format: 'der', type: 'sec1' });
const osslPub = createPublicKey({ key: sm2PublicKeyToSpki(kp.publicKey), format: 'der', type: 'spki' });
// (c) sm-crypto-v2 with a precomputed public-key point
const smcPoint = smc.precomputePublicKey(pubHex);

// Standard vectors (GB/T 32918.5 annexes) each candidate can reproduce.
const D = H('3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8');
const P = sm2PublicKeyFromPrivate(D);
const K = BigInt('0x59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21');
const RS = 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa';
const RS_DER = sm2Sign(D, Buffer.from('message digest'), { k: K });
const ANNEX_C = H('307C022004EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73022100E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0042059983C18F809E262923C53AEC295D30383B54E39D609D160AFCB1908D0BD8766041321886CA989CA9C7D58087307CA93092D651EFA');
const ANNEX_C_RAW_NO04 = sm2Encrypt(P, Buffer.from('encryption standard'), { k: K, format: 'raw' }).subarray(1).toString('hex');
const annexZ = sm2Z(P);

function vectors(name: string): string {
  const ok: string[] = [];
  const na: string[] = [];
  const test = (label: string, f: () => boolean | undefined) => {
    try {
      const r = f();
      if (r === undefined) na.push(label);
      else if (r) ok.push(label);
      else ok.push(`${label} ✗`);
    } catch {
      ok.push(`${label} ✗`);
    }
  };
  if (name === 'openssl') {
    test('A.verify', () => createVerify('sm3').update(annexZ).update(Buffer.from('message digest')).verify(createPublicKey({ key: sm2PublicKeyToSpki(P), format: 'der', type: 'spki' }), RS_DER));
    test('A.sign(k)', () => undefined);
    test('C.enc(k)', () => undefined);
    test('C.dec', () => undefined);
  } else if (name === 'noble') {
    test('A.verify', () => sm2VerifyDigest(P, sm3(annexZ, Buffer.from('message digest')), H(RS), { format: 'raw' }));
    test('A.sign(k)', () => sm2SignDigest(D, sm3(annexZ, Buffer.from('message digest')), { k: K, format: 'raw' }).toString('hex') === RS);
    test('C.enc(k)', () => sm2Encrypt(P, Buffer.from('encryption standard'), { k: K }).equals(ANNEX_C));
    test('C.dec', () => sm2Decrypt(D, ANNEX_C).toString() === 'encryption standard');
  } else {
    test('A.verify', () => smc.doVerifySignature('message digest', RS, P.toString('hex'), { hash: true }));
    test('A.sign(k)', () => {
      const x1 = SM2_P256V1.Point.BASE.multiply(K).x;
      return smc.doSignature('message digest', D.toString('hex'), { hash: true, pointPool: [{ k: K, x1 }] }) === RS;
    });
    test('C.enc(k)', () => undefined);
    test('C.dec', () => String(smc.doDecrypt(ANNEX_C_RAW_NO04, D.toString('hex'), 1)) === 'encryption standard');
  }
  return ok.join(', ') + (na.length ? ` (n/a: ${na.join(', ')})` : '');
}

interface Row { candidate: string; sign?: number; verify?: number; encrypt?: number; decrypt?: number; vectors: string }
const rows: Row[] = [
  {
    candidate: '(a) node:crypto OpenSSL ' + process.versions.openssl + ' (createSign(sm3).update(Z).update(M))',
    sign: opsPerSec(() => createSign('sm3').update(z).update(msg).sign(osslPriv)),
    verify: opsPerSec(() => createVerify('sm3').update(z).update(msg).verify(osslPub, sigDer)),
    vectors: vectors('openssl'),
  },
  {
    candidate: '(b) @noble/curves 2 point arithmetic (lib/gm core)',
    sign: opsPerSec(() => sm2SignDigest(kp.privateKey, sm3(z, msg))),
    verify: opsPerSec(() => sm2VerifyDigest(kp.publicKey, sm3(z, msg), sigDer)),
    encrypt: opsPerSec(() => sm2Encrypt(kp.publicKey, msg)),
    decrypt: opsPerSec(() => sm2Decrypt(kp.privateKey, ctDer)),
    vectors: vectors('noble'),
  },
  {
    candidate: '(c) sm-crypto-v2 1.15 (hash:true, public key given as hex)',
    sign: opsPerSec(() => smc.doSignature(msg, privHex, { hash: true, der: true, publicKey: pubHex })),
    verify: opsPerSec(() => smc.doVerifySignature(msg, sigDer.toString('hex'), pubHex, { hash: true, der: true })),
    encrypt: opsPerSec(() => smc.doEncrypt(msg, pubHex, 1)),
    decrypt: opsPerSec(() => smc.doDecrypt(ctRaw.subarray(1).toString('hex'), privHex, 1, { output: 'array' })),
    vectors: vectors('smc'),
  },
  {
    candidate: '(c′) sm-crypto-v2, precomputed public-key point',
    verify: opsPerSec(() => smc.doVerifySignature(msg, sigDer.toString('hex'), smcPoint, { hash: true, der: true })),
    encrypt: opsPerSec(() => smc.doEncrypt(msg, smcPoint, 1)),
    vectors: 'as (c)',
  },
  {
    candidate: '→ lib/gm as shipped (sign/verify: OpenSSL; enc/dec: noble, recipient table cached; incl. Z, key checks, DER)',
    sign: opsPerSec(() => sm2Sign(kp.privateKey, msg, { publicKey: kp.publicKey })),
    verify: opsPerSec(() => sm2Verify(kp.publicKey, msg, sigDer)),
    encrypt: opsPerSec(() => sm2Encrypt(kp.publicKey, msg)),
    decrypt: opsPerSec(() => sm2Decrypt(kp.privateKey, ctDer)),
    vectors: 'all 17 selftest KATs',
  },
];

console.log(`SM2 ops/s (32-byte message; Node ${process.version}, OpenSSL ${process.versions.openssl}, ${BUDGET_MS} ms per cell)\n`);
console.log('| candidate | sign | verify | encrypt | decrypt | GB/T 32918.5 vectors reproduced |');
console.log('|---|---:|---:|---:|---:|---|');
for (const r of rows) console.log(`| ${r.candidate} | ${fmt(r.sign)} | ${fmt(r.verify)} | ${fmt(r.encrypt)} | ${fmt(r.decrypt)} | ${r.vectors} |`);

// ---------- symmetric throughput ----------
const MiB = 1 << 20;
const big = randomBytes(MiB);
const key = randomBytes(16);
const iv = randomBytes(16);
const iv12 = randomBytes(12);
const rec = randomBytes(16 * 1024);
const gcm = new Sm4Gcm(key);
const ghashKey = new GhashKey(randomBytes(16));
const sym: [string, number][] = [
  ['SM3 (node:crypto), 1 MiB', mbPerSec(MiB, () => sm3(big))],
  ['SM4-CBC encrypt (node:crypto), 1 MiB', mbPerSec(MiB, () => sm4Cbc('encrypt', key, iv, big))],
  ['SM4-CTR (node:crypto sm4-ctr), 1 MiB', mbPerSec(MiB, () => { const c = createCipheriv('sm4-ctr', key, iv); c.update(big); c.final(); })],
  ['GHASH alone (lib/gm, 64 KiB tables), 1 MiB', mbPerSec(MiB, () => new Ghash(ghashKey).updatePadded(big).digest())],
  ['SM4-GCM encrypt (lib/gm), 1 MiB', mbPerSec(MiB, () => gcm.encrypt(iv12, big))],
  ['SM4-GCM encrypt (lib/gm), 16 KiB records, one context', mbPerSec(rec.length, () => gcm.encrypt(iv12, rec, iv12))],
  ['SM4-GCM decrypt (lib/gm), 16 KiB records, one context', (() => { const { ciphertext, tag } = gcm.encrypt(iv12, rec, iv12); return mbPerSec(rec.length, () => gcm.decrypt(iv12, ciphertext, tag, iv12)); })()],
  ['SHA-256 for scale (node:crypto), 1 MiB', mbPerSec(MiB, () => createHash('sha256').update(big).digest())],
];
console.log('\nThroughput MB/s\n');
console.log('| operation | MB/s |');
console.log('|---|---:|');
for (const [name, v] of sym) console.log(`| ${name} | ${fmt(v)} |`);
