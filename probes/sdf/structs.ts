/**
 * Exact byte layouts of the GM/T 0018 structures (§5.3, §5.6–5.8): 1-byte packing, `unsigned int` fields in the
 * machine's byte order (little-endian on every platform gmeval supports), 256-bit SM2 values big-endian and
 * right-aligned in the 64-byte ECCref arrays. The same bytes travel over the native FFI and the network endpoint,
 * so one codec serves both transports.
 */
import { ECCREF_MAX_LEN, SIZEOF, type Edition } from './constants.ts';

export class StructError extends Error {
  constructor(readonly struct: string, message: string) {
    super(`${struct}: ${message}`);
    this.name = 'StructError';
  }
}

/** SM2 public key as 04‖x‖y (65 bytes) → ECCrefPublicKey. */
export function encodeEccPublicKey(uncompressed: Uint8Array, bits = 256): Buffer {
  if (uncompressed.length !== 65 || uncompressed[0] !== 4) throw new StructError('ECCrefPublicKey', 'expected an uncompressed 65-byte SM2 point');
  const b = Buffer.alloc(SIZEOF.ECCrefPublicKey);
  b.writeUInt32LE(bits, 0);
  Buffer.from(uncompressed.subarray(1, 33)).copy(b, 4 + ECCREF_MAX_LEN - 32);
  Buffer.from(uncompressed.subarray(33, 65)).copy(b, 4 + ECCREF_MAX_LEN + ECCREF_MAX_LEN - 32);
  return b;
}

export interface DecodedPublicKey {
  bits: number;
  /** 04‖x‖y built from the right-aligned coordinates */
  point: Buffer;
  /** the 32 leading bytes of x and y are zero, as right-alignment requires */
  rightAligned: boolean;
}

export function decodeEccPublicKey(b: Uint8Array): DecodedPublicKey {
  if (b.length < SIZEOF.ECCrefPublicKey) throw new StructError('ECCrefPublicKey', `${b.length} bytes, expected ${SIZEOF.ECCrefPublicKey}`);
  const buf = Buffer.from(b);
  const bits = buf.readUInt32LE(0);
  const x = buf.subarray(4, 4 + ECCREF_MAX_LEN);
  const y = buf.subarray(4 + ECCREF_MAX_LEN, 4 + 2 * ECCREF_MAX_LEN);
  return {
    bits,
    point: Buffer.concat([Buffer.from([4]), x.subarray(32), y.subarray(32)]),
    rightAligned: isZero(x.subarray(0, 32)) && isZero(y.subarray(0, 32)),
  };
}

/** Raw r‖s (64 bytes) → ECCSignature. */
export function encodeEccSignature(rs: Uint8Array): Buffer {
  if (rs.length !== 64) throw new StructError('ECCSignature', 'expected r‖s of 64 bytes');
  const b = Buffer.alloc(SIZEOF.ECCSignature);
  Buffer.from(rs.subarray(0, 32)).copy(b, 32);
  Buffer.from(rs.subarray(32)).copy(b, 96);
  return b;
}

export function decodeEccSignature(b: Uint8Array): { rs: Buffer; rightAligned: boolean } {
  if (b.length < SIZEOF.ECCSignature) throw new StructError('ECCSignature', `${b.length} bytes, expected ${SIZEOF.ECCSignature}`);
  const buf = Buffer.from(b);
  return {
    rs: Buffer.concat([buf.subarray(32, 64), buf.subarray(96, 128)]),
    rightAligned: isZero(buf.subarray(0, 32)) && isZero(buf.subarray(64, 96)),
  };
}

/**
 * Bytes to allocate for an ECCCipher carrying `l` bytes of C2. The header is the same in both editions; 2012
 * declares `C[1]` (sizeof 165, so a 1-byte ciphertext still needs 165), 2023 a flexible array (164 + L).
 */
export function eccCipherSize(edition: Edition, l: number): number {
  return edition === '2012' ? Math.max(SIZEOF.ECCCipherHeader + 1, SIZEOF.ECCCipherHeader + l) : SIZEOF.ECCCipherHeader + l;
}

export interface CipherParts { x: Buffer; y: Buffer; c3: Buffer; c2: Buffer }

/** Ciphertext parts (32-byte x, y, C3 and C2) → ECCCipher. */
export function encodeEccCipher(p: CipherParts, edition: Edition = '2023'): Buffer {
  const b = Buffer.alloc(eccCipherSize(edition, p.c2.length));
  p.x.copy(b, ECCREF_MAX_LEN - 32);
  p.y.copy(b, 2 * ECCREF_MAX_LEN - 32);
  p.c3.copy(b, 2 * ECCREF_MAX_LEN);
  b.writeUInt32LE(p.c2.length, 2 * ECCREF_MAX_LEN + 32);
  p.c2.copy(b, SIZEOF.ECCCipherHeader);
  return b;
}

export interface DecodedCipher extends CipherParts { l: number; rightAligned: boolean }

export function decodeEccCipher(b: Uint8Array): DecodedCipher {
  if (b.length < SIZEOF.ECCCipherHeader) throw new StructError('ECCCipher', `${b.length} bytes, shorter than the ${SIZEOF.ECCCipherHeader}-byte header`);
  const buf = Buffer.from(b);
  const l = buf.readUInt32LE(2 * ECCREF_MAX_LEN + 32);
  if (SIZEOF.ECCCipherHeader + l > buf.length) throw new StructError('ECCCipher', `L = ${l} runs past the ${buf.length - SIZEOF.ECCCipherHeader} bytes of C`);
  const xf = buf.subarray(0, ECCREF_MAX_LEN);
  const yf = buf.subarray(ECCREF_MAX_LEN, 2 * ECCREF_MAX_LEN);
  return {
    x: Buffer.from(xf.subarray(32)),
    y: Buffer.from(yf.subarray(32)),
    c3: Buffer.from(buf.subarray(2 * ECCREF_MAX_LEN, 2 * ECCREF_MAX_LEN + 32)),
    c2: Buffer.from(buf.subarray(SIZEOF.ECCCipherHeader, SIZEOF.ECCCipherHeader + l)),
    l,
    rightAligned: isZero(xf.subarray(0, 32)) && isZero(yf.subarray(0, 32)),
  };
}

/** ECCCipher parts → GM/T 0009 raw form 04‖x‖y‖C3‖C2 (what lib/gm decrypts with format 'raw'). */
export function cipherToRaw(p: CipherParts): Buffer {
  return Buffer.concat([Buffer.from([4]), p.x, p.y, p.c3, p.c2]);
}

export function rawToCipherParts(raw: Uint8Array): CipherParts {
  const b = Buffer.from(raw);
  if (b[0] !== 4 || b.length < 98) throw new StructError('SM2 ciphertext', 'expected raw 04‖x‖y‖C3‖C2');
  return { x: b.subarray(1, 33), y: b.subarray(33, 65), c3: b.subarray(65, 97), c2: b.subarray(97) };
}

export interface DeviceInfo {
  issuerName: string;
  deviceName: string;
  deviceSerial: string;
  deviceVersion: number;
  standardVersion: number;
  asymAlgAbility: [number, number];
  symAlgAbility: number;
  hashAlgAbility: number;
  bufferSize: number;
}

export function decodeDeviceInfo(b: Uint8Array): DeviceInfo {
  if (b.length < SIZEOF.DEVICEINFO) throw new StructError('DEVICEINFO', `${b.length} bytes, expected ${SIZEOF.DEVICEINFO}`);
  const buf = Buffer.from(b);
  const str = (o: number, n: number) => buf.subarray(o, o + n).toString('latin1').replace(/\0.*$/s, '');
  return {
    issuerName: str(0, 40),
    deviceName: str(40, 16),
    deviceSerial: str(56, 16),
    deviceVersion: buf.readUInt32LE(72),
    standardVersion: buf.readUInt32LE(76),
    asymAlgAbility: [buf.readUInt32LE(80), buf.readUInt32LE(84)],
    symAlgAbility: buf.readUInt32LE(88),
    hashAlgAbility: buf.readUInt32LE(92),
    bufferSize: buf.readUInt32LE(96),
  };
}

export function encodeDeviceInfo(d: DeviceInfo): Buffer {
  const b = Buffer.alloc(SIZEOF.DEVICEINFO);
  b.write(d.issuerName.slice(0, 40), 0, 'latin1');
  b.write(d.deviceName.slice(0, 16), 40, 'latin1');
  b.write(d.deviceSerial.slice(0, 16), 56, 'latin1');
  b.writeUInt32LE(d.deviceVersion, 72);
  b.writeUInt32LE(d.standardVersion, 76);
  b.writeUInt32LE(d.asymAlgAbility[0], 80);
  b.writeUInt32LE(d.asymAlgAbility[1], 84);
  b.writeUInt32LE(d.symAlgAbility, 88);
  b.writeUInt32LE(d.hashAlgAbility, 92);
  b.writeUInt32LE(d.bufferSize, 96);
  return b;
}

function isZero(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}
