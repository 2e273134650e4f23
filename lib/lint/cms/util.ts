/** Helpers shared by the GM/T 0010 envelope lints: certificate lookup, SM2 algorithm sets, SM2Cipher shape checks. */
import { bytesToBigInt } from '../../gm/der.ts';
import type { IssuerAndSerial, RecipientInfo, SignerInfo } from '../../pki/cms.ts';
import { bytesEqual, integerMagnitude, isMinimalInteger, parseDer, TAG, type DerIssue, type Node } from '../../pki/der.ts';
import { OID } from '../../pki/oids.ts';
import { nameToString, type Certificate } from '../../pki/x509.ts';
import type { CmsContext } from '../types.ts';
import { SM2_P, sm2PointProblem } from '../util.ts';

/** The certificate an issuerAndSerialNumber names, among those embedded or supplied in the run. */
export function findCert(ctx: CmsContext, id: IssuerAndSerial): Certificate | undefined {
  return ctx.certs.find((c) => bytesEqual(c.serial.content, id.serial.content) && bytesEqual(c.issuer.node.bytes, id.issuer.node.bytes));
}

/** Key-encryption OIDs that mean "SM2" in deployed envelopes (the right one, .301.3, and the ones seen instead). */
export const SM2_KEY_ENC_OIDS: ReadonlySet<string> = new Set([OID.sm2Encrypt, OID.sm2KeyExchange, OID.sm2Sign, OID.sm2Curve]);
/** The recipients whose key is SM2-encrypted (under any of the OIDs seen for it), with their encryptedKey octets. */
export function sm2Recipients(cms: { recipientInfos: RecipientInfo[] }): RecipientInfo[] {
  return cms.recipientInfos.filter((r) => SM2_KEY_ENC_OIDS.has(r.keyEncryptionAlgorithm.oid));
}
/** digestEncryptionAlgorithm OIDs under which encryptedDigest is an SM2Signature. */
export const SM2_SIG_OIDS: ReadonlySet<string> = new Set([OID.sm2Sign, OID.sm2WithSm3, OID.sm2Curve]);

/** One line for the report header: content type, OID arc, and who the envelope is for / signed by. */
export function cmsSummary(ctx: CmsContext): string {
  const c = ctx.cms;
  const arc = c.family === 'gmt0010' ? 'GM/T 0010 OID' : c.family === 'pkcs7' ? 'PKCS#7 OID' : `OID ${c.contentType.oid}`;
  const who = (label: string, ids: IssuerAndSerial[]) => ids.map((id) => {
    const cert = findCert(ctx, id);
    const serial = Buffer.from(id.serial.content).toString('hex');
    return `${label} ${cert ? nameToString(cert.subject) : `issuer ${nameToString(id.issuer)}`} #${serial}`;
  });
  return [`${c.typeName} (${arc})`, ...who('recipient', c.recipientInfos.map((r) => r.rid)), ...who('signer', c.signerInfos.map((s) => s.sid))].join('; ');
}

/**
 * Why `b` is not a GM/T 0009 SM2Cipher (DER SEQUENCE { x INTEGER, y INTEGER, HASH OCTET STRING (32), CipherText
 * OCTET STRING } with (x, y) on the curve), or null when it is one.
 */
export function sm2CipherProblem(b: Uint8Array): string | null {
  let n: Node;
  const issues: DerIssue[] = [];
  try {
    n = parseDer(b, issues);
  } catch (e) {
    return `encryptedKey is not a DER SM2Cipher: ${(e as Error).message}`;
  }
  if (issues.length) return `encryptedKey SM2Cipher is not DER: ${issues[0]!.message}`;
  const k = n.children ?? [];
  const shape = [TAG.INTEGER, TAG.INTEGER, TAG.OCTET_STRING, TAG.OCTET_STRING];
  if (n.tag !== TAG.SEQUENCE || k.length !== 4 || k.some((x, i) => x.tag !== shape[i])) {
    return 'encryptedKey is not SEQUENCE { x INTEGER, y INTEGER, HASH OCTET STRING, CipherText OCTET STRING }';
  }
  for (const [name, node] of [['x', k[0]!], ['y', k[1]!]] as const) {
    if (!isMinimalInteger(node.content)) return `SM2Cipher.${name} is not a minimal INTEGER encoding`;
    const v = integerMagnitude(node.content);
    if (v === null || v >= SM2_P) return `SM2Cipher.${name} is outside [0, p−1]`;
  }
  if (k[2]!.len !== 32) {
    // GmSSL 1.x/2.x and some HSM SDKs wrote the C1C2C3 order into the same SEQUENCE: HASH last
    const hint = k[3]!.len === 32 ? ' (the last OCTET STRING is 32 octets: C1C2C3 order, HASH and CipherText swapped?)' : '';
    return `SM2Cipher.HASH is ${k[2]!.len} octets, expected 32${hint}`;
  }
  if (k[3]!.len === 0) return 'SM2Cipher.CipherText is empty';
  const c1 = new Uint8Array(65);
  c1[0] = 4;
  c1.set(pad32(k[0]!.content), 1);
  c1.set(pad32(k[1]!.content), 33);
  const bad = sm2PointProblem(c1);
  return bad ? `SM2Cipher C1 (x, y): ${bad.replace('public key', 'point')}` : null;
}

function pad32(c: Uint8Array): Uint8Array {
  const v = bytesToBigInt(c);
  const out = new Uint8Array(32);
  let x = v;
  for (let i = 31; i >= 0 && x > 0n; i--) { out[i] = Number(x & 0xffn); x >>= 8n; }
  return out;
}

/**
 * Recognises the raw octet forms legacy SM2 code puts where DER belongs: 04‖x‖y‖… and x‖y‖… with C1 on the curve.
 * C1C3C2 and C1C2C3 have the same length, so the order cannot be told without the recipient's private key.
 */
export function legacyRawCipher(b: Uint8Array): string | null {
  if (b.length >= 65 + 32 + 1 && b[0] === 4 && sm2PointProblem(b.subarray(0, 65)) === null) {
    return `encryptedKey is a raw ${b.length}-octet 04‖C1‖C3‖C2 (or C1C2C3) string, not a DER SM2Cipher`;
  }
  if (b.length >= 64 + 32 + 1) {
    const p = new Uint8Array(65);
    p[0] = 4;
    p.set(b.subarray(0, 64), 1);
    if (sm2PointProblem(p) === null) return `encryptedKey is a raw ${b.length}-octet C1‖C3‖C2 (or C1C2C3) string without the 04 prefix, not a DER SM2Cipher`;
  }
  return null;
}

/** The octets a SignerInfo's signature covers when that can be known without decrypting anything, else undefined. */
export function signedBytes(ctx: CmsContext, si: SignerInfo): Uint8Array | undefined {
  const a = si.authenticatedAttributesNode;
  if (a) {
    // RFC 2315 §9.3: the DER of the attributes with the SET OF tag, not the [0] IMPLICIT tag that carries them
    const out = Uint8Array.from(a.bytes);
    out[0] = TAG.SET;
    return out;
  }
  const body = ctx.cms.body;
  if (body?.type === 'signedData') {
    const c = body.contentInfo.content;
    if (c?.tag === TAG.OCTET_STRING) return c.content;
  }
  return undefined;
}
