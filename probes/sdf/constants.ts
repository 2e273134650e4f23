/**
 * GM/T 0018 constants: Annex A return codes and the GM/T 0006 algorithm identifiers the suite uses.
 * Codes are compared by value, never by name (vendors spell the names differently).
 */
export { SDR, sdrLabel, isAnnexACode, type SdrName, type Edition } from '../../lib/sdf/codes.ts';
import type { Edition } from '../../lib/sdf/codes.ts';

/** GM/T 0006 algorithm identifiers (values as in the GM/T 0018 headers, not the GmSSL-v2 branch). */
export const SGD = {
  SGD_SM4_ECB: 0x00000401,
  SGD_SM4_CBC: 0x00000402,
  SGD_SM4_CFB: 0x00000404,
  SGD_SM4_OFB: 0x00000408,
  SGD_SM4_MAC: 0x00000410,
  SGD_SM2: 0x00020100,
  SGD_SM2_1: 0x00020200,
  SGD_SM2_2: 0x00020400,
  SGD_SM2_3: 0x00020800,
  SGD_SM3: 0x00000001,
  SGD_SHA256: 0x00000004,
} as const;

/** Struct sizes with ECCref_MAX_LEN = 64, 1-byte packing and a 4-byte ULONG (GM/T 0018 §5). */
export const ECCREF_MAX_LEN = 64;
export const SIZEOF = {
  DEVICEINFO: 100,
  ECCrefPublicKey: 132,
  ECCrefPrivateKey: 68,
  ECCSignature: 128,
  /** ECCCipher without its C2 bytes: x[64] y[64] M[32] L */
  ECCCipherHeader: 164,
} as const;
