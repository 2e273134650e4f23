/**
 * RFC 3161 time-stamp protocol with SM2/SM3 (GM/T 0033 practice): TimeStampReq, TimeStampResp and the token — a CMS
 * SignedData (RFC 5652) over TSTInfo whose signer info carries contentType, messageDigest (SM3) and
 * signingCertificateV2 (ESSCertIDv2 with SM3, RFC 5816); the signature is SM2 over DER(SET signedAttrs) with Z.
 */
import { sm2Verify, sm3, SM2_DEFAULT_ID } from '../gm/index.ts';
import { TAG, decodeOid, integerMagnitude, parseDer, bytesEqual, type Node } from '../pki/der.ts';
import { bool, explicit, generalizedTime, integer, octets, oid, seq, set, tlv } from '../pki/der-encode.ts';
import { OID } from '../pki/oids.ts';
import { parseCertificate } from '../pki/x509.ts';

export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
export const OID_CT_TSTINFO = '1.2.840.113549.1.9.16.1.4';
export const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
export const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
export const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';
export const OID_SIGNING_CERT_V2 = '1.2.840.113549.1.9.16.2.47';

export class TspError extends Error {
  constructor(message: string, readonly offset = 0) { super(message); }
}

const kids = (n: Node | undefined) => n?.children ?? [];
const hashAlg = (h: string) => seq(oid(h));

export function buildTimeStampReq(o: { digest: Uint8Array; hashOid?: string; nonce?: bigint; policy?: string; certReq?: boolean }): Uint8Array {
  return seq(integer(1), seq(hashAlg(o.hashOid ?? OID.sm3), octets(o.digest)), ...(o.policy ? [oid(o.policy)] : []),
    ...(o.nonce !== undefined ? [integer(o.nonce)] : []), ...(o.certReq ? [bool(true)] : []));
}

export interface TimeStampReq { hashOid: string; digest: Uint8Array; policy?: string; nonce?: bigint; certReq: boolean }

export function parseTimeStampReq(der: Uint8Array): TimeStampReq {
  let root: Node;
  try { root = parseDer(der); } catch (e) { throw new TspError(`TimeStampReq is not DER: ${(e as Error).message}`); }
  const k = kids(root);
  if (root.tag !== TAG.SEQUENCE || k[0]?.tag !== TAG.INTEGER || k[1]?.tag !== TAG.SEQUENCE) throw new TspError('TimeStampReq: expected SEQUENCE { version, messageImprint, … }');
  if (integerMagnitude(k[0].content) !== 1n) throw new TspError('TimeStampReq: version must be 1', k[0].start);
  const mi = kids(k[1]);
  const hashOid = decodeOid(kids(mi[0])[0]?.content ?? new Uint8Array()) ?? '';
  if (mi[1]?.tag !== TAG.OCTET_STRING) throw new TspError('messageImprint.hashedMessage missing', k[1].start);
  const r: TimeStampReq = { hashOid, digest: mi[1].content, certReq: false };
  for (const n of k.slice(2)) {
    if (n.tag === TAG.OID) r.policy = decodeOid(n.content) ?? undefined;
    else if (n.tag === TAG.INTEGER) r.nonce = integerMagnitude(n.content) ?? undefined;
    else if (n.tag === TAG.BOOLEAN) r.certReq = n.content[0] !== 0;
  }
  return r;
}

export interface TstInfoSpec { policy: string; hashOid: string; digest: Uint8Array; serial: bigint; genTime: Date; nonce?: bigint; accuracySeconds?: number }

export function encodeTstInfo(t: TstInfoSpec): Uint8Array {
  return seq(integer(1), oid(t.policy), seq(hashAlg(t.hashOid), octets(t.digest)), integer(t.serial), generalizedTime(t.genTime),
    ...(t.accuracySeconds ? [seq(integer(t.accuracySeconds))] : []), ...(t.nonce !== undefined ? [integer(t.nonce)] : []));
}

/** The signed token: `sign(e)` gets e = SM3(Z‖DER(signedAttrs as SET)) so the key can stay inside a device. */
export function buildTimeStampToken(t: TstInfoSpec, tsaCertDer: Uint8Array, signDigest: (e: Uint8Array) => Uint8Array, tsaPublicKey: Uint8Array, zOf: (pub: Uint8Array) => Uint8Array): Uint8Array {
  const tst = encodeTstInfo(t);
  const cert = parseCertificate(tsaCertDer);
  const issuerAndSerial = seq(cert.issuer.node.bytes, cert.serial.node.bytes);
  const essCertIdV2 = seq(hashAlg(OID.sm3), octets(sm3(tsaCertDer)), seq(seq(explicit(4, cert.issuer.node.bytes)), cert.serial.node.bytes));
  const attrs = [
    seq(oid(OID_CONTENT_TYPE), set(oid(OID_CT_TSTINFO))),
    seq(oid(OID_SIGNING_TIME), set(generalizedTime(t.genTime))),
    seq(oid(OID_MESSAGE_DIGEST), set(octets(sm3(tst)))),
    seq(oid(OID_SIGNING_CERT_V2), set(seq(seq(essCertIdV2)))),
  ];
  const signedAttrsSet = set(...sortDer(attrs));
  const signature = signDigest(sm3(zOf(tsaPublicKey), signedAttrsSet));
  const signerInfo = seq(integer(1), issuerAndSerial, hashAlg(OID.sm3), tlv(0xa0, signedAttrsSet.subarray(headerLength(signedAttrsSet))), seq(oid(OID.sm2Sign)), octets(signature));
  const signedData = seq(integer(3), set(hashAlg(OID.sm3)), seq(oid(OID_CT_TSTINFO), explicit(0, octets(tst))), tlv(0xa0, tsaCertDer), set(signerInfo));
  return seq(oid(OID_SIGNED_DATA), explicit(0, signedData));
}

function headerLength(der: Uint8Array): number {
  return der[1]! < 0x80 ? 2 : 2 + (der[1]! & 0x7f);
}

/** DER SET OF: elements sorted by their encodings. */
function sortDer(items: Uint8Array[]): Uint8Array[] {
  return [...items].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** PKIStatus: 0 granted, 2 rejection; failInfo bits per RFC 3161 (badAlg 0, badRequest 2, badDataFormat 5, unacceptedPolicy 15). */
export function buildTimeStampResp(status: number, token?: Uint8Array, failBit?: number, text?: string): Uint8Array {
  const info: Uint8Array[] = [integer(status)];
  if (text) info.push(seq(tlv(TAG.UTF8String, Buffer.from(text, 'utf8'))));
  if (failBit !== undefined) {
    const bytes = new Uint8Array(Math.floor(failBit / 8) + 1);
    bytes[Math.floor(failBit / 8)] = 0x80 >> (failBit % 8);
    info.push(tlv(TAG.BIT_STRING, Uint8Array.of(7 - (failBit % 8)), bytes));
  }
  return seq(seq(...info), ...(token ? [token] : []));
}

export interface TimeStampToken {
  tstInfo: Uint8Array;
  policy: string;
  hashOid: string;
  digest: Uint8Array;
  serial: bigint;
  genTime: string;
  nonce?: bigint;
  certificates: Uint8Array[];
  signedAttrs: Uint8Array;
  signature: Uint8Array;
  signatureAlgorithm: string;
  digestAlgorithm: string;
  messageDigest?: Uint8Array;
  contentType?: string;
  essCertHash?: { hashOid: string; hash: Uint8Array };
}

export interface TimeStampResp { status: number; statusText?: string; token?: TimeStampToken }

export function parseTimeStampResp(der: Uint8Array): TimeStampResp {
  let root: Node;
  try { root = parseDer(der); } catch (e) { throw new TspError(`TimeStampResp is not DER: ${(e as Error).message}`); }
  const k = kids(root);
  const si = k[0];
  if (root.tag !== TAG.SEQUENCE || si?.tag !== TAG.SEQUENCE || kids(si)[0]?.tag !== TAG.INTEGER) throw new TspError('TimeStampResp: expected SEQUENCE { PKIStatusInfo, token? }');
  const status = Number(integerMagnitude(kids(si)[0]!.content) ?? -1);
  const txt = kids(kids(si)[1])[0];
  const r: TimeStampResp = { status, statusText: txt ? Buffer.from(txt.content).toString('utf8') : undefined };
  if (k[1]) r.token = parseToken(k[1]);
  return r;
}

function parseToken(ci: Node): TimeStampToken {
  const [ctype, wrap] = kids(ci);
  if (decodeOid(ctype?.content ?? new Uint8Array()) !== OID_SIGNED_DATA) throw new TspError('timeStampToken: contentType is not signedData', ci.start);
  const sd = kids(kids(wrap)[0]);
  const digestAlgorithm = decodeOid(kids(kids(sd[1])[0])[0]?.content ?? new Uint8Array()) ?? '';
  const eci = kids(sd[2]);
  if (decodeOid(eci[0]?.content ?? new Uint8Array()) !== OID_CT_TSTINFO) throw new TspError('encapContentInfo is not id-ct-TSTInfo', sd[2]?.start ?? 0);
  const tstOctets = kids(eci[1])[0];
  if (!tstOctets) throw new TspError('TSTInfo missing', sd[2]!.start);
  const tstInfo = tstOctets.content;
  const t = kids(parseDer(tstInfo));
  const certificates: Uint8Array[] = [];
  let signerSet: Node | undefined;
  for (const n of sd.slice(3)) {
    if (n.ctx === 0) for (const c of kids(n)) certificates.push(c.bytes);
    else if (n.tag === TAG.SET) signerSet = n;
  }
  const sInfo = kids(kids(signerSet)[0]);
  const attrsNode = sInfo.find((n) => n.ctx === 0);
  if (!attrsNode) throw new TspError('signerInfo has no signedAttrs', signerSet?.start ?? 0);
  // the signature covers the attributes re-tagged as a SET (RFC 5652 §5.4)
  const signedAttrs = Uint8Array.from(attrsNode.bytes);
  signedAttrs[0] = 0x31;
  const after = sInfo.slice(sInfo.indexOf(attrsNode) + 1);
  const tok: TimeStampToken = {
    tstInfo, policy: decodeOid(t[1]?.content ?? new Uint8Array()) ?? '',
    hashOid: decodeOid(kids(kids(t[2])[0])[0]?.content ?? new Uint8Array()) ?? '',
    digest: kids(t[2])[1]?.content ?? new Uint8Array(),
    serial: integerMagnitude(t[3]?.content ?? new Uint8Array()) ?? -1n,
    genTime: Buffer.from(t[4]?.content ?? []).toString('latin1'),
    certificates, signedAttrs,
    signatureAlgorithm: decodeOid(kids(after[0])[0]?.content ?? new Uint8Array()) ?? '',
    signature: after[1]?.content ?? new Uint8Array(),
    digestAlgorithm,
  };
  const nonceNode = t.slice(5).find((n) => n.tag === TAG.INTEGER);
  if (nonceNode) tok.nonce = integerMagnitude(nonceNode.content) ?? undefined;
  for (const a of kids(attrsNode)) {
    const [o, vals] = kids(a);
    const id = decodeOid(o?.content ?? new Uint8Array());
    const v = kids(vals)[0];
    if (id === OID_MESSAGE_DIGEST) tok.messageDigest = v?.content;
    if (id === OID_CONTENT_TYPE) tok.contentType = decodeOid(v?.content ?? new Uint8Array()) ?? undefined;
    if (id === OID_SIGNING_CERT_V2) {
      const certId = kids(kids(v)[0])[0];
      const ck = kids(certId);
      // hashAlgorithm DEFAULT sha256 may be absent
      if (ck[0]?.tag === TAG.SEQUENCE) tok.essCertHash = { hashOid: decodeOid(kids(ck[0])[0]?.content ?? new Uint8Array()) ?? '', hash: ck[1]?.content ?? new Uint8Array() };
      else if (ck[0]) tok.essCertHash = { hashOid: OID.sha256, hash: ck[0].content };
    }
  }
  return tok;
}

/** Checks a token against the TSA public key: messageDigest = SM3(TSTInfo), content type, SM2 signature with Z. */
export function verifyTimeStampToken(tok: TimeStampToken, tsaPublicKey: Uint8Array): { ok: boolean; problems: string[] } {
  const problems: string[] = [];
  if (tok.contentType !== OID_CT_TSTINFO) problems.push('signed attribute contentType is not id-ct-TSTInfo');
  if (!tok.messageDigest || !bytesEqual(tok.messageDigest, sm3(tok.tstInfo))) problems.push('messageDigest ≠ SM3(TSTInfo)');
  let sigOk = false;
  try { sigOk = sm2Verify(tsaPublicKey, tok.signedAttrs, tok.signature, { id: SM2_DEFAULT_ID, format: 'der' }); } catch { sigOk = false; }
  if (!sigOk) problems.push('SM2 signature over signedAttrs does not verify with the TSA public key');
  return { ok: problems.length === 0, problems };
}
