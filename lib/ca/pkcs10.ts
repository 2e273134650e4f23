/**
 * PKCS#10 certification requests (RFC 2986) with SM2/SM3: build (the subscriber side) and parse + verify (the RA
 * side). The signature is over DER(CertificationRequestInfo) with e = SM3(Z‖M), Z from the request's own public key
 * and the default ID (GM/T 0009 R06–R08): a request whose proof of possession does not verify must be refused.
 */
import { sm2Sign, sm2Verify, SM2_DEFAULT_ID } from '../gm/index.ts';
import { TAG, parseDer, decodeOid, type Node } from '../pki/der.ts';
import { bitString, integer, seq, tlv } from '../pki/der-encode.ts';
import { encodeName, encodeSpki, SM2_SM3_ALG, type NameSpec } from '../pki/builder.ts';
import { OID } from '../pki/oids.ts';

export class Pkcs10Error extends Error {
  constructor(message: string, readonly offset = 0) { super(message); }
}

export function buildCsr(keys: { privateKey: Uint8Array; publicKey: Uint8Array }, subject: NameSpec | Uint8Array, o: { signWith?: Uint8Array; noZ?: boolean } = {}): Uint8Array {
  const info = seq(integer(0), encodeName(subject), encodeSpki(keys.publicKey), tlv(0xa0));
  // signWith lets a test present a request whose signature was made by another key (no proof of possession)
  const sig = sm2Sign(o.signWith ?? keys.privateKey, info, { id: SM2_DEFAULT_ID, format: 'der' });
  return seq(info, SM2_SM3_ALG, bitString(sig));
}

export interface ParsedCsr {
  info: Uint8Array;
  subject: Uint8Array;
  publicKey: Uint8Array;
  signatureAlgorithm: string;
  signature: Uint8Array;
}

function child(n: Node | undefined, tag: number, what: string): Node {
  if (!n || n.tag !== tag) throw new Pkcs10Error(`${what}: expected tag 0x${tag.toString(16)}${n ? `, found 0x${n.tag.toString(16)}` : ', missing'}`, n?.start ?? 0);
  return n;
}

export function parseCsr(der: Uint8Array): ParsedCsr {
  let root: Node;
  try {
    root = parseDer(der);
  } catch (e) {
    throw new Pkcs10Error(`not DER: ${(e as Error).message}`);
  }
  if (root.end !== der.length) throw new Pkcs10Error('trailing bytes after the request', root.end);
  const top = child(root, TAG.SEQUENCE, 'CertificationRequest').children ?? [];
  const info = child(top[0], TAG.SEQUENCE, 'certificationRequestInfo');
  const ik = info.children ?? [];
  child(ik[0], TAG.INTEGER, 'version');
  const subject = child(ik[1], TAG.SEQUENCE, 'subject');
  const spki = child(ik[2], TAG.SEQUENCE, 'subjectPKInfo');
  const sk = spki.children ?? [];
  const alg = child(sk[0], TAG.SEQUENCE, 'subjectPKInfo.algorithm').children ?? [];
  const algOid = alg[0] ? decodeOid(alg[0].content) : null;
  const curve = alg[1]?.tag === TAG.OID ? decodeOid(alg[1].content) : null;
  if (algOid !== OID.ecPublicKey || curve !== OID.sm2Curve) throw new Pkcs10Error(`subjectPKInfo: not an SM2 key (${algOid} / ${curve})`, spki.start);
  const pk = child(sk[1], TAG.BIT_STRING, 'subjectPublicKey').content;
  const sigAlg = child(top[1], TAG.SEQUENCE, 'signatureAlgorithm').children ?? [];
  const sigOid = sigAlg[0] ? decodeOid(sigAlg[0].content) ?? '' : '';
  const sig = child(top[2], TAG.BIT_STRING, 'signature').content;
  return { info: info.bytes, subject: subject.bytes, publicKey: pk.subarray(1), signatureAlgorithm: sigOid, signature: sig.subarray(1) };
}

/** Proof of possession: SM2-with-SM3 over the request info with Z of the request's key and the default ID. */
export function verifyCsr(c: ParsedCsr): boolean {
  if (c.signatureAlgorithm !== OID.sm2WithSm3) return false;
  try {
    return sm2Verify(c.publicKey, c.info, c.signature, { id: SM2_DEFAULT_ID, format: 'der' });
  } catch {
    return false;
  }
}
