/**
 * Cross-checks SM2 against the `openssl` command line (OpenSSL 3: pkeyutl with distid, GM/T 0009 DER ciphertexts),
 * in both directions. Skips, saying why, only when the binary is absent. The fixtures let one direction of each
 * check run even then.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sm2PrivateKeyFromPem, sm2PrivateKeyToPem, sm2PublicKeyFromPem, sm2PublicKeyToPem } from './sm2-keys.ts';
import { sm2Decrypt, sm2Encrypt, sm2GenerateKeyPair, sm2Sign, sm2Verify } from './sm2.ts';

const FIX = join(import.meta.dirname, '../../test/fixtures/gm');
const version = spawnSync('openssl', ['version']);
const skip = version.status === 0 ? false : 'openssl binary not found on PATH';

test('OpenSSL-made fixtures: its signature verifies here, its ciphertext decrypts here', () => {
  const kp = sm2PrivateKeyFromPem(readFileSync(join(FIX, 'openssl-sm2-pkcs8.pem'), 'utf8'));
  const pub = sm2PublicKeyFromPem(readFileSync(join(FIX, 'openssl-sm2-pub.pem'), 'utf8'));
  const msg = readFileSync(join(FIX, 'msg.txt'));
  assert.equal(sm2Verify(pub, msg, readFileSync(join(FIX, 'openssl-sm2-sig.der'))), true);
  assert.equal(sm2Verify(pub, Buffer.from('hello sm3'), readFileSync(join(FIX, 'openssl-sm2-sig.der'))), false);
  assert.deepEqual(sm2Decrypt(kp.privateKey, readFileSync(join(FIX, 'openssl-sm2-cipher.der'))), msg);
});

test('SM2 interop with the openssl binary, both directions', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-sm2-'));
  const f = (n: string) => join(dir, n);
  const ossl = (...args: string[]) => spawnSync('openssl', args, { encoding: 'buffer' });
  try {
    const kp = sm2GenerateKeyPair();
    writeFileSync(f('key.pem'), sm2PrivateKeyToPem(kp), { mode: 0o600 });
    writeFileSync(f('pub.pem'), sm2PublicKeyToPem(kp.publicKey));
    const msg = Buffer.from('gmeval ⇄ openssl 互操作');
    writeFileSync(f('msg'), msg);
    const distid = ['-pkeyopt', 'distid:1234567812345678'];

    // ours signs → openssl verifies (and rejects another message)
    writeFileSync(f('ours.sig'), sm2Sign(kp.privateKey, msg));
    let r = ossl('pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pubin', '-inkey', f('pub.pem'), ...distid, '-in', f('msg'), '-sigfile', f('ours.sig'));
    assert.equal(r.status, 0, r.stdout.toString() + r.stderr.toString());
    writeFileSync(f('msg2'), Buffer.concat([msg, Buffer.from('!')]));
    r = ossl('pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pubin', '-inkey', f('pub.pem'), ...distid, '-in', f('msg2'), '-sigfile', f('ours.sig'));
    assert.notEqual(r.status, 0);

    // openssl signs → ours verifies
    r = ossl('pkeyutl', '-sign', '-rawin', '-digest', 'sm3', '-inkey', f('key.pem'), ...distid, '-in', f('msg'), '-out', f('theirs.sig'));
    assert.equal(r.status, 0, r.stderr.toString());
    assert.equal(sm2Verify(kp.publicKey, msg, readFileSync(f('theirs.sig'))), true);

    // ours encrypts (GM/T 0009 DER) → openssl decrypts
    writeFileSync(f('ours.ct'), sm2Encrypt(kp.publicKey, msg));
    r = ossl('pkeyutl', '-decrypt', '-inkey', f('key.pem'), '-in', f('ours.ct'));
    assert.equal(r.status, 0, r.stderr.toString());
    assert.deepEqual(r.stdout, msg);

    // openssl encrypts → ours decrypts
    r = ossl('pkeyutl', '-encrypt', '-pubin', '-inkey', f('pub.pem'), '-in', f('msg'), '-out', f('theirs.ct'));
    assert.equal(r.status, 0, r.stderr.toString());
    assert.deepEqual(sm2Decrypt(kp.privateKey, readFileSync(f('theirs.ct'))), msg);

    // openssl reads our PKCS#8 and derives the same public key
    r = ossl('pkey', '-in', f('key.pem'), '-pubout');
    assert.deepEqual(sm2PublicKeyFromPem(r.stdout.toString()), kp.publicKey);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
