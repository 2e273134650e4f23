import { randomBytes } from 'node:crypto';
import { Sm4Gcm, hmacSm3, sm4Cbc, timingSafeEqualBytes } from '../gm/index.ts';
import { concat, u16, u64 } from './bytes.ts';
import { ContentType, MAX_CIPHERTEXT, MAX_PLAINTEXT, TLCP_VERSION, type CipherSuiteInfo } from './constants.ts';
import { fatal } from './errors.ts';

export interface TlcpRecord {
  type: number;
  version: number;
  /** protected or plaintext fragment as it was on the wire */
  fragment: Uint8Array;
}

export function encodeRecord(type: number, fragment: Uint8Array, version = TLCP_VERSION): Uint8Array {
  const out = new Uint8Array(5 + fragment.length);
  out[0] = type;
  out[1] = version >>> 8;
  out[2] = version & 0xff;
  out[3] = fragment.length >>> 8;
  out[4] = fragment.length & 0xff;
  out.set(fragment, 5);
  return out;
}

const KNOWN_TYPES = new Set<number>([ContentType.change_cipher_spec, ContentType.alert, ContentType.handshake, ContentType.application_data]);

export interface RecordReaderOptions {
  /** accept any record version (a probe reading a peer's answer to a wrong version); default false */
  anyVersion?: boolean;
  /** accept unknown content types (left to the caller); default false */
  anyType?: boolean;
}

/**
 * Splits a TCP byte stream into records. Records are not aligned to reads: a read may hold several records
 * or part of one. Header problems are fatal alerts (record_overflow, protocol_version, unexpected_message).
 */
export class RecordReader {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private readonly opts: RecordReaderOptions = {}) {}

  feed(chunk: Uint8Array): void {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
  }

  /** bytes received but not yet forming a whole record (a truncated record at close) */
  get pendingBytes(): number {
    return this.buf.length;
  }

  next(): TlcpRecord | null {
    if (this.buf.length < 5) return null;
    const type = this.buf[0]!;
    const version = (this.buf[1]! << 8) | this.buf[2]!;
    const length = (this.buf[3]! << 8) | this.buf[4]!;
    if (!this.opts.anyType && !KNOWN_TYPES.has(type)) throw fatal('unexpected_message', `record of unknown content type ${type}`);
    if (!this.opts.anyVersion && version !== TLCP_VERSION) {
      throw fatal('protocol_version', `record version 0x${version.toString(16).padStart(4, '0')}, expected 0x0101`);
    }
    if (length > MAX_CIPHERTEXT) throw fatal('record_overflow', `record length ${length} exceeds ${MAX_CIPHERTEXT}`);
    if (this.buf.length < 5 + length) return null;
    const fragment = new Uint8Array(this.buf.subarray(5, 5 + length));
    this.buf = this.buf.subarray(5 + length);
    return { type, version, fragment };
  }
}

/** One direction's protection state. Sequence numbers start at 0 at each ChangeCipherSpec. */
export interface RecordProtection {
  readonly kind: 'CBC' | 'GCM';
  seq: bigint;
  seal(type: number, plaintext: Uint8Array): Uint8Array;
  open(type: number, fragment: Uint8Array): Uint8Array;
  /** what the last sealed/opened record carried in clear: CBC IV or GCM explicit nonce (for transcripts) */
  lastExplicit?: Uint8Array;
}

function header(seq: bigint, type: number, length: number): Uint8Array {
  const h = new Uint8Array(13);
  h.set(u64(seq), 0);
  h[8] = type;
  h[9] = TLCP_VERSION >>> 8;
  h[10] = TLCP_VERSION & 0xff;
  h.set(u16(length), 11);
  return h;
}

const MAC_LEN = 32;

/** TLS 1.1-style CBC: fragment = IV[16] ‖ SM4-CBC(plaintext ‖ HMAC-SM3 ‖ padding). */
export class CbcProtection implements RecordProtection {
  readonly kind = 'CBC' as const;
  seq = 0n;
  lastExplicit?: Uint8Array;
  constructor(
    private readonly macKey: Uint8Array,
    private readonly key: Uint8Array,
    /** IV source; tests may pin it, production uses fresh random IVs */
    private readonly ivSource: () => Uint8Array = () => randomBytes(16),
  ) {}

  seal(type: number, plaintext: Uint8Array): Uint8Array {
    if (plaintext.length > MAX_PLAINTEXT) throw new RangeError(`plaintext ${plaintext.length} > ${MAX_PLAINTEXT}`);
    const mac = hmacSm3(this.macKey, header(this.seq, type, plaintext.length), plaintext);
    const p = 15 - ((plaintext.length + MAC_LEN) % 16);
    const body = new Uint8Array(plaintext.length + MAC_LEN + p + 1);
    body.set(plaintext, 0);
    body.set(mac, plaintext.length);
    body.fill(p, plaintext.length + MAC_LEN);
    const iv = this.ivSource();
    this.lastExplicit = iv;
    this.seq++;
    return concat(iv, sm4Cbc('encrypt', this.key, iv, body, { padding: false }));
  }

  open(type: number, fragment: Uint8Array): Uint8Array {
    // Every failure below is the same alert; the MAC is computed even when padding is bad so that
    // timing does not tell padding errors from MAC errors (Lucky13-style residue remains, as in TLS 1.1).
    if (fragment.length < 16 + 16 + MAC_LEN || (fragment.length - 16) % 16 !== 0) {
      throw fatal('bad_record_mac', `CBC fragment length ${fragment.length} is not IV + whole blocks holding a MAC`);
    }
    const iv = fragment.subarray(0, 16);
    this.lastExplicit = iv;
    const body = sm4Cbc('decrypt', this.key, iv, fragment.subarray(16), { padding: false });
    const n = body.length;
    const p = body[n - 1]!;
    let good = p + 1 + MAC_LEN <= n ? 1 : 0;
    const limit = Math.min(256, n);
    for (let i = 1; i <= limit; i++) {
      const inPad = i <= p + 1 ? 1 : 0;
      good &= ~(inPad & (body[n - i] === p ? 0 : 1)) & 1;
    }
    const dataLen = good ? n - MAC_LEN - (p + 1) : n - MAC_LEN;
    const data = body.subarray(0, dataLen);
    const mac = hmacSm3(this.macKey, header(this.seq, type, dataLen), data);
    const macOk = timingSafeEqualBytes(mac, body.subarray(dataLen, dataLen + MAC_LEN));
    if (!(macOk && good)) throw fatal('bad_record_mac', 'CBC record MAC or padding check failed');
    if (dataLen > MAX_PLAINTEXT) throw fatal('record_overflow', `decrypted fragment ${dataLen} > ${MAX_PLAINTEXT}`);
    this.seq++;
    return new Uint8Array(data);
  }
}

/** RFC 5288-style GCM: nonce = salt[4] ‖ explicit[8]; fragment = explicit ‖ ciphertext ‖ tag[16]. */
export class GcmProtection implements RecordProtection {
  readonly kind = 'GCM' as const;
  seq = 0n;
  lastExplicit?: Uint8Array;
  /** bound to the key once per direction, so the GHASH tables are built once per connection, not per record */
  private readonly gcm: Sm4Gcm;
  constructor(
    key: Uint8Array,
    private readonly salt: Uint8Array,
    /** explicit nonce for the next record; default: the sequence number, never repeated under a key */
    private readonly nonceSource: (seq: bigint) => Uint8Array = (seq) => u64(seq),
  ) {
    this.gcm = new Sm4Gcm(key);
  }

  seal(type: number, plaintext: Uint8Array): Uint8Array {
    if (plaintext.length > MAX_PLAINTEXT) throw new RangeError(`plaintext ${plaintext.length} > ${MAX_PLAINTEXT}`);
    const explicit = this.nonceSource(this.seq);
    this.lastExplicit = explicit;
    const { ciphertext, tag } = this.gcm.encrypt(concat(this.salt, explicit), plaintext, header(this.seq, type, plaintext.length));
    this.seq++;
    return concat(explicit, ciphertext, tag);
  }

  open(type: number, fragment: Uint8Array): Uint8Array {
    if (fragment.length < 8 + 16) throw fatal('bad_record_mac', `GCM fragment length ${fragment.length} < explicit nonce + tag`);
    const explicit = fragment.subarray(0, 8);
    this.lastExplicit = explicit;
    const ct = fragment.subarray(8, fragment.length - 16);
    const tag = fragment.subarray(fragment.length - 16);
    if (ct.length > MAX_PLAINTEXT) throw fatal('record_overflow', `GCM ciphertext ${ct.length} > ${MAX_PLAINTEXT}`);
    let pt: Uint8Array;
    try {
      pt = this.gcm.decrypt(concat(this.salt, explicit), ct, tag, header(this.seq, type, ct.length));
    } catch {
      throw fatal('bad_record_mac', 'GCM tag check failed');
    }
    this.seq++;
    return new Uint8Array(pt);
  }
}

export interface DirectionKeys {
  macKey: Uint8Array;
  key: Uint8Array;
  iv: Uint8Array;
}

/** `staticExplicit` makes every record reuse an all-zero IV / nonce: a defect for the reference platform only. */
export function createProtection(suite: CipherSuiteInfo, keys: DirectionKeys, staticExplicit = false): RecordProtection {
  if (staticExplicit) {
    return suite.bulk === 'CBC' ? new CbcProtection(keys.macKey, keys.key, () => new Uint8Array(16)) : new GcmProtection(keys.key, keys.iv, () => new Uint8Array(8));
  }
  return suite.bulk === 'CBC' ? new CbcProtection(keys.macKey, keys.key) : new GcmProtection(keys.key, keys.iv);
}
