import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  hmacSm3, sm2Decrypt, sm2Encrypt, sm2GenerateKeyPair, sm2KeyExchange, sm2Kdf, timingSafeEqualBytes, sm2SignDigest, sm2VerifyDigest, sm3, sm4Cbc, sm4Ecb,
  sm4GcmDecrypt, sm4GcmEncrypt, GcmAuthError, sm2CreateSigner, type Sm2Signer,
} from '../../lib/gm/index.ts';
import type { Db } from '../store/db.ts';
import type { MasterKey } from '../store/master-key.ts';
import type { Defects } from '../defects/registry.ts';
import { SdfError } from './sdr.ts';
import type { CryptoWorkers } from './crypto-workers.ts';

export type SlotKind = 'sm4' | 'sm2-sign' | 'sm2-enc' | 'hmac-sm3';
interface Slot { kind: SlotKind; material: Buffer; publicKey?: Buffer }

const EMPTY = Buffer.alloc(0);

/** Slot 0 of every device holds its internal SM2 encryption key (the ISK used to import wrapped keys). */
export const IMPORT_SLOT = 0;

export interface DeviceInfo { id: string; model: string; vendor: string; type: string; serial: string; state: string }

/** Injected failure modes (conformance hook): the device answers SDR_HARDFAIL / not at all. */
export type FaultMode = 'ERROR' | 'TIMEOUT' | 'OFF';

/**
 * A software cipher device with GM/T 0018 semantics: index-addressed key slots, keys that never leave
 * it in clear, `SDR_*` failures. Slot material is sealed with the device key, the device key with the
 * platform master key, so a copy of the database alone reveals no key.
 */
export class SoftSdfDevice {
  private readonly slots = new Map<number, Slot>();
  private readonly deviceKey: Buffer;
  /** set by the conformance failure hook; every function then fails like broken hardware */
  fault: FaultMode | undefined;
  /** operations served, for usage monitoring (§6.1.4 b) */
  calls = 0;

  private constructor(readonly info: DeviceInfo, deviceKey: Buffer, private readonly db: Db, private readonly defects: Defects) {
    this.deviceKey = deviceKey;
  }

  static enrol(db: Db, master: MasterKey, defects: Defects, model: string, vendor: string, type = 'server-cipher-machine'): SoftSdfDevice {
    const id = `dev-${randomUUID().slice(0, 8)}`;
    const info: DeviceInfo = { id, model, vendor, type, serial: randomBytes(8).toString('hex').toUpperCase(), state: 'ONLINE' };
    const deviceKey = randomBytes(16);
    db.prepare('INSERT INTO devices (id, model, vendor, type, serial, state, device_key_sealed, created_at) VALUES (?,?,?,?,?,?,?,?)')
      .run(id, model, vendor, info.type, info.serial, info.state, master.seal(deviceKey, `device:${id}`), new Date().toISOString());
    const dev = new SoftSdfDevice(info, deviceKey, db, defects);
    const isk = sm2GenerateKeyPair();
    dev.storeSlot(IMPORT_SLOT, { kind: 'sm2-enc', material: isk.privateKey, publicKey: isk.publicKey });
    return dev;
  }

  static loadAll(db: Db, master: MasterKey, defects: Defects): SoftSdfDevice[] {
    const rows = db.prepare('SELECT * FROM devices ORDER BY created_at, id').all() as Record<string, unknown>[];
    return rows.map((r) => {
      const info: DeviceInfo = { id: String(r.id), model: String(r.model), vendor: String(r.vendor), type: String(r.type), serial: String(r.serial), state: String(r.state) };
      const dev = new SoftSdfDevice(info, master.unseal(r.device_key_sealed as Buffer, `device:${info.id}`), db, defects);
      for (const s of db.prepare('SELECT * FROM device_slots WHERE device_id = ?').all(info.id) as Record<string, unknown>[]) {
        const slot = Number(s.slot);
        dev.slots.set(slot, {
          kind: s.kind as SlotKind,
          material: dev.unsealSlot(s.material_sealed as Buffer, slot),
          publicKey: s.public_key ? Buffer.from(s.public_key as Buffer) : undefined,
        });
      }
      return dev;
    });
  }

  private sealSlot(material: Buffer, slot: number): Buffer {
    const iv = randomBytes(12);
    const { ciphertext, tag } = sm4GcmEncrypt(this.deviceKey, iv, material, Buffer.from(`${this.info.id}/${slot}`));
    return Buffer.concat([iv, tag, ciphertext]);
  }

  private unsealSlot(blob: Buffer, slot: number): Buffer {
    return sm4GcmDecrypt(this.deviceKey, blob.subarray(0, 12), blob.subarray(28), blob.subarray(12, 28), Buffer.from(`${this.info.id}/${slot}`));
  }

  private storeSlot(slot: number, s: Slot): void {
    this.db.prepare('INSERT INTO device_slots (device_id, slot, kind, material_sealed, public_key, created_at) VALUES (?,?,?,?,?,?)')
      .run(this.info.id, slot, s.kind, this.sealSlot(s.material, slot), s.publicKey ?? null, new Date().toISOString());
    this.slots.set(slot, s);
  }

  private nextSlot(): number {
    let n = 1;
    while (this.slots.has(n)) n++;
    return n;
  }

  private alive(): void {
    if (this.fault) throw new SdfError('SDR_HARDFAIL', `device ${this.info.id} does not answer (${this.fault})`);
    this.calls++;
  }

  private slot(index: number, kinds: SlotKind[]): Slot {
    this.alive();
    const s = this.slots.get(index);
    if (!s) throw new SdfError('SDR_KEYNOTEXIST', `no key at index ${index}`);
    if (!kinds.includes(s.kind)) throw new SdfError('SDR_KEYTYPEERR', `key at index ${index} is ${s.kind}, not ${kinds.join('/')}`);
    return s;
  }

  // --- GM/T 0018-style functions -------------------------------------------------------------

  /** SDF_GenerateRandom */
  generateRandom(length: number): Buffer {
    this.alive();
    if (!Number.isInteger(length) || length < 1 || length > 65536) throw new SdfError('SDR_INARGERR', `random length ${length} out of range 1..65536`);
    if (this.defects.has('weak-rng')) return weakLcgBytes(length, Date.now());
    return randomBytes(length);
  }

  /** SDF_GenerateKeyPair_ECC into an internal slot; returns the slot index. */
  generateEccKeyPair(kind: 'sm2-sign' | 'sm2-enc'): number {
    this.alive();
    const kp = sm2GenerateKeyPair();
    const idx = this.nextSlot();
    this.storeSlot(idx, { kind, material: kp.privateKey, publicKey: kp.publicKey });
    return idx;
  }

  /** SDF_GenerateKey for a symmetric or HMAC key kept inside the device. */
  generateSymmetricKey(kind: 'sm4' | 'hmac-sm3'): number {
    this.alive();
    const idx = this.nextSlot();
    this.storeSlot(idx, { kind, material: randomBytes(kind === 'sm4' ? 16 : 32) });
    return idx;
  }

  /** SDF_ExportSignPublicKey_ECC / SDF_ExportEncPublicKey_ECC */
  exportPublicKey(index: number): Buffer {
    const s = this.slot(index, ['sm2-sign', 'sm2-enc']);
    return Buffer.from(s.publicKey!);
  }

  /** SDF_ImportKeyWithISK_ECC: a key SM2-encrypted (GM/T 0009 DER) to the device's import key. */
  importWrappedKey(wrapped: Uint8Array, kind: 'sm4' | 'hmac-sm3'): number {
    this.alive();
    const isk = this.slot(IMPORT_SLOT, ['sm2-enc']);
    let material: Buffer;
    try {
      material = sm2Decrypt(isk.material, wrapped, { format: 'der' });
    } catch {
      throw new SdfError('SDR_ENCDATAERR', 'wrapped key does not decrypt under the device import key');
    }
    if (kind === 'sm4' && material.length !== 16) throw new SdfError('SDR_KEYERR', `SM4 key must be 16 bytes, unwrapped ${material.length}`);
    if (kind === 'hmac-sm3' && (material.length < 16 || material.length > 64)) throw new SdfError('SDR_KEYERR', `HMAC key must be 16..64 bytes`);
    const idx = this.nextSlot();
    this.storeSlot(idx, { kind, material });
    return idx;
  }

  /** SDF_Encrypt with an internal key. Modes: ECB, CBC, GCM. SDF itself never pads; padding is the caller's choice. */
  encrypt(index: number, mode: string, iv: Buffer | undefined, data: Buffer, padding: boolean, aad?: Buffer): { ciphertext: Buffer; tag?: Buffer } {
    const key = this.slot(index, ['sm4']).material;
    switch (mode) {
      case 'ECB':
        return { ciphertext: this.blockMode('encrypt', 'ECB', key, undefined, data, padding) };
      case 'CBC': {
        if (!iv || iv.length !== 16) throw new SdfError('SDR_INARGERR', 'CBC needs a 16-byte IV');
        // defect weak-sm4-mode: bulk data silently falls back to ECB
        const effective = this.defects.has('weak-sm4-mode') && data.length > 16 ? 'ECB' : 'CBC';
        return { ciphertext: this.blockMode('encrypt', effective, key, iv, data, padding) };
      }
      case 'GCM': {
        if (!iv || iv.length < 12) throw new SdfError('SDR_INARGERR', 'GCM needs an IV of at least 12 bytes');
        return sm4GcmEncrypt(key, iv, data, aad);
      }
      default:
        throw new SdfError('SDR_ALGMODNOTSUPPORT', `SM4 mode ${mode}`);
    }
  }

  /** SDF_Decrypt with an internal key. */
  decrypt(index: number, mode: string, iv: Buffer | undefined, data: Buffer, padding: boolean, aad?: Buffer, tag?: Buffer): Buffer {
    const key = this.slot(index, ['sm4']).material;
    switch (mode) {
      case 'ECB':
        return this.blockMode('decrypt', 'ECB', key, undefined, data, padding);
      case 'CBC': {
        if (!iv || iv.length !== 16) throw new SdfError('SDR_INARGERR', 'CBC needs a 16-byte IV');
        const effective = this.defects.has('weak-sm4-mode') && data.length > 16 ? 'ECB' : 'CBC';
        return this.blockMode('decrypt', effective, key, iv, data, padding);
      }
      case 'GCM': {
        if (!iv || !tag) throw new SdfError('SDR_INARGERR', 'GCM needs an IV and a tag');
        try {
          return sm4GcmDecrypt(key, iv, data, tag, aad);
        } catch (e) {
          if (e instanceof GcmAuthError) throw new SdfError('SDR_MACERR', 'GCM tag does not verify');
          throw e;
        }
      }
      default:
        throw new SdfError('SDR_ALGMODNOTSUPPORT', `SM4 mode ${mode}`);
    }
  }

  private blockMode(op: 'encrypt' | 'decrypt', mode: 'ECB' | 'CBC', key: Buffer, iv: Buffer | undefined, data: Buffer, padding: boolean): Buffer {
    if (!padding && data.length % 16 !== 0) throw new SdfError('SDR_INARGERR', `data length ${data.length} is not a multiple of 16 and padding is off`);
    try {
      if (this.defects.has('sm4-word-order')) {
        const swap = (b: Buffer) => { const c = Buffer.from(b); if (c.length % 4 === 0) c.swap32(); return c; };
        return swap(mode === 'ECB' ? sm4Ecb(op, swap(key), swap(data), { padding }) : sm4Cbc(op, swap(key), swap(iv!), swap(data), { padding }));
      }
      return mode === 'ECB' ? sm4Ecb(op, key, data, { padding }) : sm4Cbc(op, key, iv!, data, { padding });
    } catch {
      throw new SdfError('SDR_SYMOPERR', `SM4-${mode} ${op} failed (bad padding or length)`);
    }
  }

  /** SDF_InternalSign_ECC over e = SM3(Z‖M) (computed by the caller, as SDF does). */
  signDigest(index: number, e: Buffer): Buffer {
    const s = this.slot(index, ['sm2-sign']);
    return sm2SignDigest(s.material, e, { format: 'der' });
  }

  /**
   * SDF_HashInit (with the signer's public key and ID, so the device computes Z) + SDF_HashUpdate(M) +
   * SDF_InternalSign_ECC in one call: e = SM3(Z‖M) is formed inside the device and signed there. The result is
   * the same signature a caller would get from signDigest(SM3(Z‖M)); it lets the device use OpenSSL's SM2, which
   * signs only from the message (about 3× the rate of signing a bare e). `omitZ` signs SM3(M) (defect sm2-wrong-z).
   */
  signMessage(index: number, message: Buffer, opts: { id?: string; omitZ?: boolean } = {}): Buffer {
    const signer = this.signer(index);
    return opts.omitZ ? signer.signWithPrefix(EMPTY, message) : signer.sign(message, opts.id);
  }

  /**
   * signMessage on a worker thread when `workers` is given (the API passes them when requests queue up), else
   * inline. Every SDF check (fault, slot, key type) happens here first; the worker only computes the signature.
   */
  async signMessageAsync(index: number, message: Buffer, opts: { id?: string; omitZ?: boolean } = {}, workers?: CryptoWorkers): Promise<Buffer> {
    const entry = this.signerEntry(index);
    if (!workers || !entry.signer.keyObject) return opts.omitZ ? entry.signer.signWithPrefix(EMPTY, message) : entry.signer.sign(message, opts.id);
    this.workersUsed.add(workers);
    return workers.sign(entry.ref, entry.signer.keyObject, opts.omitZ ? EMPTY : entry.signer.z(opts.id), message);
  }

  /** Prepared signers per slot, rebuilt when the slot's material changes (rotation defect, a reused index). */
  private readonly signerCache = new Map<number, { material: Buffer; signer: Sm2Signer; ref: string }>();
  private signerGeneration = 0;
  private readonly workersUsed = new Set<CryptoWorkers>();

  private signer(index: number): Sm2Signer {
    return this.signerEntry(index).signer;
  }

  private signerEntry(index: number): { signer: Sm2Signer; ref: string } {
    const s = this.slot(index, ['sm2-sign']);
    const hit = this.signerCache.get(index);
    if (hit && hit.material === s.material) return hit;
    if (hit) this.forgetSigner(index);
    const entry = { material: s.material, signer: sm2CreateSigner(s.material, s.publicKey), ref: `${this.info.id}/${index}/${++this.signerGeneration}` };
    this.signerCache.set(index, entry);
    return entry;
  }

  private forgetSigner(index: number): void {
    const hit = this.signerCache.get(index);
    if (!hit) return;
    this.signerCache.delete(index);
    for (const w of this.workersUsed) w.forget(hit.ref);
  }

  /** SDF_InternalVerify_ECC */
  verifyDigest(index: number, e: Buffer, signature: Buffer): boolean {
    const s = this.slot(index, ['sm2-sign']);
    return sm2VerifyDigest(s.publicKey!, e, signature, { format: 'der' });
  }

  /** HMAC-SM3 with an internal key (GM/T 0018-2023 SDF_HMAC). */
  hmac(index: number, data: Buffer): Buffer {
    return hmacSm3(this.slot(index, ['hmac-sm3']).material, data);
  }

  /** SDF_Hash (SM3). The hash-not-sm3 defect substitutes SHA-256. */
  hash(algorithm: string, data: Buffer): Buffer {
    this.alive();
    if (algorithm !== 'SM3') throw new SdfError('SDR_ALGNOTSUPPORT', `hash algorithm ${algorithm}`);
    if (this.defects.has('hash-not-sm3')) return createHash('sha256').update(data).digest();
    return sm3(data);
  }

  /** SDF_InternalDecrypt_ECC: only an encryption key pair decrypts (a signing key refuses: SDR_KEYTYPEERR). */
  decryptEcc(index: number, ciphertext: Buffer): Buffer {
    // defect sign-key-decrypts: the key-usage check lets signing keys decrypt too
    const s = this.slot(index, this.defects.has('sign-key-decrypts') ? ['sm2-enc', 'sm2-sign'] : ['sm2-enc']);
    try {
      return sm2Decrypt(s.material, ciphertext, { format: 'der' });
    } catch {
      throw new SdfError('SDR_ENCDATAERR', 'SM2 ciphertext does not decrypt under this key');
    }
  }

  /**
   * SDF_GenerateKeyWithECC / SDF_GenerateAgreementDataAndKeyWithECC: the GB/T 32918.3 shared key computed with
   * the encryption key pair at `index` (its private key stays inside); the caller supplies this run's ephemeral pair.
   */
  keyExchangeEcc(index: number, p: { role: 'initiator' | 'responder'; selfId: Buffer; peerId: Buffer; ephemeral: { privateKey: Buffer; publicKey: Buffer }; peerStaticPublic: Buffer; peerEphemeralPublic: Buffer; klen: number }): Buffer {
    const s = this.slot(index, ['sm2-enc']);
    try {
      return sm2KeyExchange({ role: p.role, selfId: p.selfId, peerId: p.peerId, selfStatic: { privateKey: s.material, publicKey: s.publicKey! }, selfEphemeral: p.ephemeral, peerStaticPublic: p.peerStaticPublic, peerEphemeralPublic: p.peerEphemeralPublic, klen: p.klen }).key;
    } catch {
      throw new SdfError('SDR_PKOPERR', 'key agreement failed (peer point invalid)');
    }
  }

  /**
   * Authenticated envelope with an internal SM4 key: iv ‖ SM4-CBC-PKCS7 ‖ HMAC-SM3, with encryption and
   * MAC subkeys derived from the slot key by the SM3 KDF; `header` (e.g. "csp:v2:") and `aad` are MACed.
   */
  envelopeSeal(index: number, header: string, plaintext: Buffer, aad: Buffer = Buffer.alloc(0)): Buffer {
    const { enc, mac } = this.subkeys(index);
    const iv = randomBytes(16);
    const ct = sm4Cbc('encrypt', enc, iv, plaintext, { padding: true });
    const tag = hmacSm3(mac, Buffer.from(header, 'utf8'), iv, ct, aad);
    return Buffer.concat([iv, ct, tag]);
  }

  /** envelopeSeal on a worker thread when `workers` is given; checks (fault, slot kind) and subkeys stay here. */
  async envelopeSealAsync(index: number, header: string, plaintext: Buffer, aad: Buffer = Buffer.alloc(0), workers?: CryptoWorkers): Promise<Buffer> {
    if (!workers) return this.envelopeSeal(index, header, plaintext, aad);
    const { enc, mac } = this.subkeys(index);
    return workers.seal(enc, mac, header, plaintext, aad);
  }

  envelopeOpen(index: number, header: string, blob: Buffer, aad: Buffer = Buffer.alloc(0)): Buffer {
    const { enc, mac } = this.subkeys(index);
    if (blob.length < 16 + 16 + 32 || (blob.length - 48) % 16 !== 0) throw new SdfError('SDR_ENCDATAERR', 'ciphertext has the wrong length');
    const iv = blob.subarray(0, 16);
    const ct = blob.subarray(16, blob.length - 32);
    const tag = blob.subarray(blob.length - 32);
    if (!timingSafeEqualBytes(hmacSm3(mac, Buffer.from(header, 'utf8'), iv, ct, aad), tag)) throw new SdfError('SDR_MACERR', 'ciphertext MAC does not verify under this key version');
    return sm4Cbc('decrypt', enc, iv, ct, { padding: true });
  }

  private readonly subkeyCache = new Map<number, { material: Buffer; enc: Buffer; mac: Buffer }>();

  private subkeys(index: number): { enc: Buffer; mac: Buffer } {
    const k = this.slot(index, ['sm4']).material;
    const hit = this.subkeyCache.get(index);
    if (hit && hit.material === k) return hit;
    const okm = sm2Kdf(Buffer.concat([k, Buffer.from('gmeval envelope v1')]), 48);
    const sub = { material: k, enc: okm.subarray(0, 16), mac: okm.subarray(16, 48) };
    this.subkeyCache.set(index, sub);
    return sub;
  }

  /** SDF_ExportKeyWithEPK-style: the key material SM2-encrypted (GM/T 0009 DER) to a caller's public key. */
  exportWrapped(index: number, recipientPublicKey: Buffer): Buffer {
    const s = this.slot(index, ['sm4', 'hmac-sm3', 'sm2-sign', 'sm2-enc']);
    // defect plaintext-key-export: the "wrapped" key is the key itself
    if (this.defects.has('plaintext-key-export')) return Buffer.from(s.material);
    return sm2Encrypt(recipientPublicKey, s.material, { format: 'der' });
  }

  /**
   * Device-to-device transfer of an internal key (a group KEK joining a new member): SM2-encrypted (GM/T 0009)
   * to the receiving device's import key, so the key exists in clear only inside the two devices.
   */
  wrapToDevice(index: number, peerImportPublicKey: Buffer): Buffer {
    const s = this.slot(index, ['sm4']);
    return sm2Encrypt(peerImportPublicKey, s.material, { format: 'der' });
  }

  /**
   * Group key synchronisation (T/TCGIA 0003-2023 §6.1.2 d): the key at `index` wrapped under the group KEK at
   * `kekIndex` — SM4-CBC for confidentiality, HMAC-SM3 over `header` (group, key, version) for integrity.
   */
  wrapForSync(index: number, kekIndex: number, header: string): Buffer {
    const s = this.slot(index, ['sm4', 'hmac-sm3', 'sm2-sign', 'sm2-enc']);
    const payload = Buffer.from(JSON.stringify({ kind: s.kind, material: s.material.toString('base64'), publicKey: s.publicKey?.toString('base64') }));
    try {
      return this.envelopeSeal(kekIndex, header, payload);
    } finally {
      payload.fill(0);
    }
  }

  /** Verifies a sync envelope under the group KEK without keeping its key (the member already holds a copy). */
  checkSync(kekIndex: number, header: string, blob: Buffer): void {
    this.envelopeOpen(kekIndex, header, blob).fill(0);
  }

  /** Opens a sync envelope under the group KEK (SDR_MACERR if it was altered or wrapped under another KEK) into a new slot. */
  unwrapFromSync(kekIndex: number, header: string, blob: Buffer): number {
    const payload = this.envelopeOpen(kekIndex, header, blob);
    let p: { kind?: string; material?: string; publicKey?: string };
    try { p = JSON.parse(payload.toString('utf8')); } catch { throw new SdfError('SDR_ENCDATAERR', 'sync envelope does not hold a key'); } finally { payload.fill(0); }
    if (!p.kind || !['sm4', 'hmac-sm3', 'sm2-sign', 'sm2-enc'].includes(p.kind) || typeof p.material !== 'string') throw new SdfError('SDR_ENCDATAERR', 'sync envelope does not hold a key');
    return this.importMaterial(p.kind as SlotKind, Buffer.from(p.material, 'base64'), p.publicKey ? Buffer.from(p.publicKey, 'base64') : undefined);
  }

  /** Material for a backup; the caller encrypts it at once under a split backup key and forgets it. */
  materialForBackup(index: number): { kind: SlotKind; material: Buffer; publicKey?: Buffer } {
    const s = this.slot(index, ['sm4', 'hmac-sm3', 'sm2-sign', 'sm2-enc']);
    return { kind: s.kind, material: Buffer.from(s.material), publicKey: s.publicKey ? Buffer.from(s.publicKey) : undefined };
  }

  /** Stores restored material in a new slot. */
  importMaterial(kind: SlotKind, material: Buffer, publicKey?: Buffer): number {
    this.alive();
    const idx = this.nextSlot();
    this.storeSlot(idx, { kind, material: Buffer.from(material), publicKey });
    return idx;
  }

  /** Replaces the material at an index (only the rotation-breaks-old-ciphertext defect does this). */
  overwriteSlot(index: number): void {
    const s = this.slot(index, ['sm4', 'hmac-sm3', 'sm2-sign', 'sm2-enc']);
    const fresh = s.kind === 'sm4' ? randomBytes(16) : s.kind === 'hmac-sm3' ? randomBytes(32) : sm2GenerateKeyPair().privateKey;
    this.db.prepare('UPDATE device_slots SET material_sealed = ? WHERE device_id = ? AND slot = ?').run(this.sealSlot(fresh, index), this.info.id, index);
    s.material = fresh;
    this.subkeyCache.delete(index);
    this.forgetSigner(index);
  }

  /** SDF_DestroyKey: zeroises the slot and deletes its sealed copy. */
  destroySlot(index: number): void {
    const s = this.slots.get(index);
    if (s) s.material.fill(0);
    this.subkeyCache.get(index)?.enc.fill(0);
    this.subkeyCache.delete(index);
    this.forgetSigner(index);
    this.db.prepare('DELETE FROM device_slots WHERE device_id = ? AND slot = ?').run(this.info.id, index);
    this.slots.delete(index);
  }

  hasSlot(index: number): boolean {
    return this.slots.has(index);
  }

  /** Device self-test used at enrolment and by health checks: random + SM3/SM4 known answers. */
  selfTest(): { ok: boolean; detail: string } {
    try {
      if (this.fault) return { ok: false, detail: `device does not answer (${this.fault})` };
      if (this.generateRandom(32).length !== 32) return { ok: false, detail: 'random length' };
      if (sm3(Buffer.from('abc')).toString('hex') !== '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0') return { ok: false, detail: 'SM3 KAT' };
      const k = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
      if (sm4Ecb('encrypt', k, k).toString('hex') !== '681edf34d206965e86b3e94f536e4246') return { ok: false, detail: 'SM4 KAT' };
      return { ok: true, detail: 'random, SM3 and SM4 known answers' };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    }
  }
}

/**
 * Defect weak-rng: the classic `rand() % 256` on a generator that exposes its whole state. A 32-bit linear
 * congruential generator (Numerical Recipes' "quick and dirty" constants a = 1664525, c = 1013904223) is reseeded
 * from the millisecond clock on every call, and the low byte of each state is returned. Anyone who knows the
 * time can reproduce the output, two calls in the same millisecond return the same bytes, and bit k of the
 * state has period 2^(k+1): the low byte repeats every 256 outputs (e.g. its lowest bit alternates 0, 1, 0, …).
 */
function weakLcgBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state & 0xff;
  }
  return out;
}
