/**
 * SM2 key containers: PKCS#8 (as `openssl genpkey -algorithm SM2` writes), SEC1 ECPrivateKey
 * ("EC PRIVATE KEY", or "SM2 PRIVATE KEY" as `openssl ec` labels it), and SubjectPublicKeyInfo.
 * Algorithm id-ecPublicKey (1.2.840.10045.2.1) with namedCurve sm2p256v1 (1.2.156.10197.1.301).
 * Parsing is strict DER; errors name the structure and byte offset. Encrypted PKCS#8 is not supported.
 */
import {
  DerError, TAG, derBitString, derOctetString, derOid, derSequence, derUnsignedInteger, expectTlv, oidToString,
  readChildren, readSingle, readUnsignedInteger, tlv, type Tlv,
} from './der.ts';
import { type Sm2KeyPair, Sm2KeyError, parsePrivateKey, sm2DecompressPublicKey, sm2PublicKeyFromPrivate } from './sm2.ts';

export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_SM2P256V1 = '1.2.156.10197.1.301';

function pem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** Extracts the first PEM block whose label is one of `labels`; returns its label and DER. */
function fromPem(text: string, labels: string[]): { label: string; der: Buffer } {
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  const seen: string[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const label = m[1]!;
    seen.push(label);
    if (!labels.includes(label)) continue;
    const body = m[2]!.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new Sm2KeyError(`PEM block "${label}" is not valid base64`);
    return { label, der: Buffer.from(body, 'base64') };
  }
  if (seen.includes('ENCRYPTED PRIVATE KEY')) throw new Sm2KeyError('encrypted PKCS#8 private keys are not supported; decrypt first (openssl pkey)');
  throw new Sm2KeyError(`no PEM block labelled ${labels.join(' / ')} found${seen.length ? ` (found ${seen.join(', ')})` : ''}`);
}

function sec1Body(kp: Sm2KeyPair, withCurve: boolean): Buffer {
  const parts = [derUnsignedInteger(1n), derOctetString(kp.privateKey)];
  if (withCurve) parts.push(tlv(0xa0, derOid(OID_SM2P256V1)));
  parts.push(tlv(0xa1, derBitString(kp.publicKey)));
  return derSequence(...parts);
}

function checkPair(kp: Sm2KeyPair): Sm2KeyPair {
  const derived = sm2PublicKeyFromPrivate(kp.privateKey);
  if (!derived.equals(sm2DecompressPublicKey(kp.publicKey))) throw new Sm2KeyError('public key does not match private key');
  return { privateKey: Buffer.from(kp.privateKey), publicKey: derived };
}

/** PKCS#8 PrivateKeyInfo DER. */
export function sm2PrivateKeyToPkcs8Der(kp: Sm2KeyPair): Buffer {
  const k = checkPair(kp);
  return derSequence(derUnsignedInteger(0n), derSequence(derOid(OID_EC_PUBLIC_KEY), derOid(OID_SM2P256V1)), derOctetString(sec1Body(k, false)));
}

/** PKCS#8 "PRIVATE KEY" PEM, the form `openssl genpkey -algorithm SM2` writes. */
export function sm2PrivateKeyToPem(kp: Sm2KeyPair): string {
  return pem('PRIVATE KEY', sm2PrivateKeyToPkcs8Der(kp));
}

/** SEC1 ECPrivateKey DER (with the namedCurve parameter). */
export function sm2PrivateKeyToSec1Der(kp: Sm2KeyPair): Buffer {
  return sec1Body(checkPair(kp), true);
}

/** SEC1 "EC PRIVATE KEY" PEM. */
export function sm2PrivateKeyToSec1Pem(kp: Sm2KeyPair): string {
  return pem('EC PRIVATE KEY', sm2PrivateKeyToSec1Der(kp));
}

function expectCurveOid(buf: Uint8Array, t: Tlv, where: string): void {
  if (t.tag !== TAG.OID) throw new DerError(`${where}: expected namedCurve OID (explicit curve parameters are not supported)`, t.start);
  const oid = oidToString(t.content);
  if (oid !== OID_SM2P256V1) throw new DerError(`${where}: curve ${oid} is not sm2p256v1 (${OID_SM2P256V1})`, t.start);
}

function bitStringBytes(buf: Uint8Array, t: Tlv, where: string): Buffer {
  if (t.tag !== TAG.BIT_STRING) throw new DerError(`${where}: expected BIT STRING`, t.start);
  if (t.content.length < 1 || t.content[0] !== 0) throw new DerError(`${where}: BIT STRING must have 0 unused bits`, t.contentStart);
  return Buffer.from(t.content.subarray(1));
}

/** Parses SEC1 ECPrivateKey; `curveKnown` when an outer PKCS#8 already named the curve. */
function parseSec1(der: Uint8Array, curveKnown: boolean): Sm2KeyPair {
  const seq = readSingle(der, TAG.SEQUENCE, 'ECPrivateKey');
  const kids = readChildren(der, seq);
  if (kids.length < 2) throw new DerError('ECPrivateKey: too few elements', seq.start);
  if (readUnsignedInteger(der, kids[0]!, 'ECPrivateKey.version') !== 1n) throw new DerError('ECPrivateKey.version must be 1', kids[0]!.start);
  const dT = expectTlv(der, kids[1]!.start, TAG.OCTET_STRING, 'ECPrivateKey.privateKey');
  let publicKey: Buffer | undefined;
  let sawCurve = false;
  for (const k of kids.slice(2)) {
    if (k.tag === 0xa0) {
      expectCurveOid(der, readTlv1(der, k), 'ECPrivateKey.parameters');
      sawCurve = true;
    } else if (k.tag === 0xa1) {
      publicKey = bitStringBytes(der, readTlv1(der, k), 'ECPrivateKey.publicKey');
    } else {
      throw new DerError(`ECPrivateKey: unexpected tag 0x${k.tag.toString(16)}`, k.start);
    }
  }
  if (!curveKnown && !sawCurve) throw new DerError('ECPrivateKey: no curve parameters; cannot tell it is SM2', seq.start);
  const d = dT.content;
  if (d.length !== 32) throw new DerError(`ECPrivateKey.privateKey must be 32 bytes, got ${d.length}`, dT.start);
  parsePrivateKey(d);
  const derived = sm2PublicKeyFromPrivate(d);
  if (publicKey && !sm2DecompressPublicKey(publicKey).equals(derived)) throw new Sm2KeyError('ECPrivateKey: embedded public key does not match the private key');
  return { privateKey: Buffer.from(d), publicKey: derived };
}

/** The single child of an explicit context tag. */
function readTlv1(der: Uint8Array, outer: Tlv): Tlv {
  const kids = readChildren(der, outer);
  if (kids.length !== 1) throw new DerError('explicit tag must hold exactly one element', outer.start);
  return kids[0]!;
}

function parsePkcs8(der: Uint8Array): Sm2KeyPair {
  const seq = readSingle(der, TAG.SEQUENCE, 'PrivateKeyInfo');
  const kids = readChildren(der, seq);
  if (kids.length < 3) throw new DerError('PrivateKeyInfo: too few elements', seq.start);
  const version = readUnsignedInteger(der, kids[0]!, 'PrivateKeyInfo.version');
  if (version !== 0n && version !== 1n) throw new DerError(`PrivateKeyInfo.version ${version} unsupported`, kids[0]!.start);
  const alg = expectTlv(der, kids[1]!.start, TAG.SEQUENCE, 'PrivateKeyInfo.privateKeyAlgorithm');
  const algKids = readChildren(der, alg);
  const algOid = algKids[0] && algKids[0].tag === TAG.OID ? oidToString(algKids[0].content) : '';
  if (algOid !== OID_EC_PUBLIC_KEY) throw new DerError(`PrivateKeyInfo.privateKeyAlgorithm ${algOid || '?'} is not id-ecPublicKey`, alg.start);
  if (!algKids[1]) throw new DerError('PrivateKeyInfo.privateKeyAlgorithm: missing namedCurve', alg.start);
  expectCurveOid(der, algKids[1], 'PrivateKeyInfo.privateKeyAlgorithm.parameters');
  const inner = expectTlv(der, kids[2]!.start, TAG.OCTET_STRING, 'PrivateKeyInfo.privateKey');
  try {
    return parseSec1(inner.content, true);
  } catch (e) {
    if (e instanceof DerError) throw new DerError(`inside PrivateKeyInfo.privateKey: ${e.message.replace(/ at byte \d+$/, '')}`, inner.contentStart + e.offset);
    throw e;
  }
}

/**
 * Reads an SM2 private key from PEM ("PRIVATE KEY" PKCS#8, "EC PRIVATE KEY" / "SM2 PRIVATE KEY" SEC1) or DER bytes
 * (PKCS#8 tried first, then SEC1). Checks d's range and that any embedded public key matches.
 */
export function sm2PrivateKeyFromPem(pemOrDer: string | Uint8Array): Sm2KeyPair {
  try {
    if (typeof pemOrDer === 'string') {
      const { label, der } = fromPem(pemOrDer, ['PRIVATE KEY', 'EC PRIVATE KEY', 'SM2 PRIVATE KEY']);
      return label === 'PRIVATE KEY' ? parsePkcs8(der) : parseSec1(der, false);
    }
    try {
      return parsePkcs8(pemOrDer);
    } catch (first) {
      try {
        return parseSec1(pemOrDer, false);
      } catch {
        throw first;
      }
    }
  } catch (e) {
    if (e instanceof DerError) throw new Sm2KeyError(`SM2 private key: ${e.message}`);
    throw e;
  }
}

/** DER SubjectPublicKeyInfo for an SM2 public key (accepts 04‖x‖y or compressed; writes uncompressed). */
export function sm2PublicKeyToSpki(publicKey: Uint8Array): Buffer {
  const pub = sm2DecompressPublicKey(publicKey);
  return derSequence(derSequence(derOid(OID_EC_PUBLIC_KEY), derOid(OID_SM2P256V1)), derBitString(pub));
}

/** "PUBLIC KEY" PEM. */
export function sm2PublicKeyToPem(publicKey: Uint8Array): string {
  return pem('PUBLIC KEY', sm2PublicKeyToSpki(publicKey));
}

/** Parses a DER SubjectPublicKeyInfo; returns the validated key as 04‖x‖y. */
export function sm2PublicKeyFromSpki(der: Uint8Array): Buffer {
  try {
    const seq = readSingle(der, TAG.SEQUENCE, 'SubjectPublicKeyInfo');
    const kids = readChildren(der, seq);
    if (kids.length !== 2) throw new DerError(`SubjectPublicKeyInfo: expected 2 elements, got ${kids.length}`, seq.start);
    const alg = expectTlv(der, kids[0]!.start, TAG.SEQUENCE, 'SubjectPublicKeyInfo.algorithm');
    const algKids = readChildren(der, alg);
    const algOid = algKids[0] && algKids[0].tag === TAG.OID ? oidToString(algKids[0].content) : '';
    if (algOid !== OID_EC_PUBLIC_KEY) throw new DerError(`SubjectPublicKeyInfo.algorithm ${algOid || '?'} is not id-ecPublicKey`, alg.start);
    if (!algKids[1]) throw new DerError('SubjectPublicKeyInfo.algorithm: missing namedCurve', alg.start);
    expectCurveOid(der, algKids[1], 'SubjectPublicKeyInfo.algorithm.parameters');
    const bits = bitStringBytes(der, kids[1]!, 'SubjectPublicKeyInfo.subjectPublicKey');
    return sm2DecompressPublicKey(bits);
  } catch (e) {
    if (e instanceof DerError) throw new Sm2KeyError(`SM2 public key: ${e.message}`);
    throw e;
  }
}

/** Reads an SM2 public key from "PUBLIC KEY" PEM. */
export function sm2PublicKeyFromPem(text: string): Buffer {
  return sm2PublicKeyFromSpki(fromPem(text, ['PUBLIC KEY']).der);
}

