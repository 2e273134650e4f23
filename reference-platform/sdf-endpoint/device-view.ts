/**
 * GM/T 0018 semantics over one pool device: key indices 1..N (each an SM2 signature pair, an SM2 encryption pair and
 * an SM4 KEK, kept in the device's sealed slots), per-session access rights, session keys, hash contexts and user
 * files. Private-key operations run inside the soft device; session keys live only in this process's memory, like
 * an HSM's volatile key store. Structures are encoded here independently of the toolkit's probe.
 */
import { randomBytes } from 'node:crypto';
import {
  decodeSm2Signature, encodeSm2Cipher, sm2Encrypt, sm2GenerateKeyPair, sm2ValidatePublicKey, sm2VerifyDigest, sm2Z, sm3, sm4Cbc, sm4Ecb,
} from '../../lib/gm/index.ts';
import type { Db } from '../store/db.ts';
import type { SoftSdfDevice } from '../devices/soft-sdf.ts';
import { SdfError } from '../devices/sdr.ts';
import { C, SdfCode } from './codes.ts';

export interface KeyIndex { sign: number; enc: number; kek: number }

const SGD_SM2_1 = 0x00020200;
const SGD_SM2_3 = 0x00020800;
const SGD_SM3 = 0x1;
const SGD_SM4_ECB = 0x401;
const SGD_SM4_CBC = 0x402;
const SGD_SM4_MAC = 0x410;
const MAX_FILE = 65536;

/** Throws a GM/T 0018 code (the server turns it into the call's return value). */
export function fail(code: number, detail: string): never {
  throw new SdfCode(code, detail);
}

export class SdfDeviceView {
  readonly files = new Map<string, Buffer>();
  readonly enrolledAt: string;

  constructor(readonly device: SoftSdfDevice, readonly indices: Map<number, KeyIndex>, readonly pin: string, readonly position: number) {
    this.enrolledAt = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  }

  /** Key indices of a device, created on first use and remembered in the platform database. */
  static open(db: Db, device: SoftSdfDevice, pin: string, position: number, count = 2): SdfDeviceView {
    db.exec('CREATE TABLE IF NOT EXISTS sdf_key_indices (device_id TEXT NOT NULL, key_index INTEGER NOT NULL, sign_slot INTEGER NOT NULL, enc_slot INTEGER NOT NULL, kek_slot INTEGER NOT NULL, PRIMARY KEY (device_id, key_index))');
    const indices = new Map<number, KeyIndex>();
    for (const r of db.prepare('SELECT * FROM sdf_key_indices WHERE device_id = ?').all(device.info.id) as Record<string, number>[]) {
      if (device.hasSlot(r.sign_slot!) && device.hasSlot(r.enc_slot!) && device.hasSlot(r.kek_slot!)) indices.set(r.key_index!, { sign: r.sign_slot!, enc: r.enc_slot!, kek: r.kek_slot! });
    }
    for (let i = 1; i <= count; i++) {
      if (indices.has(i)) continue;
      const k = { sign: device.generateEccKeyPair('sm2-sign'), enc: device.generateEccKeyPair('sm2-enc'), kek: device.generateSymmetricKey('sm4') };
      db.prepare('INSERT OR REPLACE INTO sdf_key_indices (device_id, key_index, sign_slot, enc_slot, kek_slot) VALUES (?,?,?,?,?)').run(device.info.id, i, k.sign, k.enc, k.kek);
      indices.set(i, k);
    }
    return new SdfDeviceView(device, indices, pin, position);
  }

  index(i: number): KeyIndex {
    const k = this.indices.get(i);
    if (!k) fail(C.SDR_KEYNOTEXIST, `no key at index ${i}`);
    return k;
  }

  /** DEVICEINFO (GM/T 0018 §5.3): serial = enrolment date (8) + batch (3) + serial (5). */
  deviceInfo(edition2023: boolean): Buffer {
    const b = Buffer.alloc(100);
    b.write(this.device.info.vendor.slice(0, 40), 0, 'latin1');
    b.write(this.device.info.model.slice(0, 16), 40, 'latin1');
    const serial = `${this.enrolledAt}001${String(parseInt(this.device.info.serial.slice(-4), 16) % 100000).padStart(5, '0')}`;
    b.write(serial, 56, 'latin1');
    b.writeUInt32LE(0x00010000, 72);
    b.writeUInt32LE(edition2023 ? 2 : 1, 76);
    b.writeUInt32LE(0x00020200 | 0x00020400 | 0x00020800, 80);
    b.writeUInt32LE(256, 84);
    b.writeUInt32LE(SGD_SM4_ECB | SGD_SM4_CBC | SGD_SM4_MAC, 88);
    b.writeUInt32LE(SGD_SM3, 92);
    b.writeUInt32LE(MAX_FILE, 96);
    return b;
  }

  random(n: number): Buffer {
    if (n < 1 || n > MAX_FILE) fail(C.SDR_INARGERR, `random length ${n}`);
    return dev(() => this.device.generateRandom(n));
  }

  publicKey(i: number, which: 'sign' | 'enc'): Buffer {
    return dev(() => this.device.exportPublicKey(this.index(i)[which]));
  }

  signDigest(i: number, e: Buffer): Buffer {
    if (e.length !== 32) fail(C.SDR_INARGERR, `e must be 32 bytes, got ${e.length}`);
    const der = dev(() => this.device.signDigest(this.index(i).sign, e));
    const { r, s } = decodeSm2Signature(der, 'der');
    return Buffer.concat([be32(r), be32(s)]);
  }

  /** SM2 decryption with the encryption pair; `raw` is 04‖x‖y‖C3‖C2. */
  decrypt(i: number, raw: Buffer): Buffer {
    const der = encodeSm2Cipher({ c1: { x: big(raw.subarray(1, 33)), y: big(raw.subarray(33, 65)) }, c3: raw.subarray(65, 97), c2: raw.subarray(97) }, 'der');
    return dev(() => this.device.decryptEcc(this.index(i).enc, der));
  }

  kekWrap(kekIndex: number, key: Buffer): Buffer {
    return dev(() => this.device.encrypt(this.index(kekIndex).kek, 'ECB', undefined, key, false).ciphertext);
  }

  kekUnwrap(kekIndex: number, wrapped: Buffer): Buffer {
    if (wrapped.length !== 16) fail(C.SDR_INARGERR, `wrapped key must be 16 bytes, got ${wrapped.length}`);
    return dev(() => this.device.decrypt(this.index(kekIndex).kek, 'ECB', undefined, wrapped, false));
  }

  exchange(i: number, p: Omit<Parameters<SoftSdfDevice['keyExchangeEcc']>[1], 'klen'>): Buffer {
    return dev(() => this.device.keyExchangeEcc(this.index(i).enc, { ...p, klen: 16 }));
  }
}

/** Software operations that need no device key. */
export const soft = {
  verify(pub: Buffer, e: Buffer, rs: Buffer): boolean {
    if (!sm2ValidatePublicKey(pub)) fail(C.SDR_INARGERR, 'public key not on the curve');
    if (e.length !== 32) fail(C.SDR_INARGERR, 'e must be 32 bytes');
    return sm2VerifyDigest(pub, e, rs, { format: 'raw' });
  },
  encrypt(pub: Buffer, m: Buffer): Buffer {
    if (!sm2ValidatePublicKey(pub)) fail(C.SDR_INARGERR, 'public key not on the curve');
    if (m.length < 1 || m.length > 4096) fail(C.SDR_INARGERR, `plaintext length ${m.length}`);
    return sm2Encrypt(pub, m, { format: 'raw' });
  },
  ephemeral: () => sm2GenerateKeyPair(),
  sessionKey: () => randomBytes(16),
  sm4(op: 'encrypt' | 'decrypt', key: Buffer, alg: number, iv: Buffer | null, data: Buffer): { out: Buffer; iv?: Buffer } {
    if ((alg & 0xffffff00) !== 0x400) fail(C.SDR_ALGNOTSUPPORT, `algorithm 0x${alg.toString(16)}`);
    if (alg !== SGD_SM4_ECB && alg !== SGD_SM4_CBC) fail(C.SDR_ALGMODNOTSUPPORT, `SM4 mode 0x${alg.toString(16)}`);
    if (data.length === 0 || data.length % 16) fail(C.SDR_INARGERR, `data length ${data.length} is not a positive multiple of 16 (SDF does not pad)`);
    if (alg === SGD_SM4_ECB) return { out: sm4Ecb(op, key, data) };
    if (!iv || iv.length !== 16) fail(C.SDR_INARGERR, 'CBC needs a 16-byte IV');
    const out = sm4Cbc(op, key, iv, data);
    return { out, iv: Buffer.from((op === 'encrypt' ? out : data).subarray(-16)) };
  },
  mac(key: Buffer, alg: number, iv: Buffer | null, data: Buffer): Buffer {
    if ((alg & 0xffffff00) !== 0x400) fail(C.SDR_ALGNOTSUPPORT, `algorithm 0x${alg.toString(16)}`);
    if (alg !== SGD_SM4_MAC) fail(C.SDR_ALGMODNOTSUPPORT, `MAC mode 0x${alg.toString(16)}`);
    if (!iv || iv.length !== 16 || data.length === 0 || data.length % 16) fail(C.SDR_INARGERR, 'MAC needs a 16-byte IV and whole blocks');
    return sm4Cbc('encrypt', key, iv, data).subarray(-16);
  },
  z: (pub: Buffer, id: Buffer) => sm2Z(pub, id),
  sm3,
  SGD: { SGD_SM2_1, SGD_SM2_3, SGD_SM3, SGD_SM4_ECB, MAX_FILE },
};

/** Runs a soft-device function, mapping its SdfError to the code it carries. */
function dev<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SdfError) fail(e.code, e.message);
    throw e;
  }
}

function be32(x: bigint): Buffer {
  return Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
}

function big(b: Buffer): bigint {
  return BigInt(`0x${b.toString('hex') || '0'}`);
}
