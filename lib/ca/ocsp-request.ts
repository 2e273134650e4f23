/**
 * RFC 6960 OCSPRequest: build (client/probe side) and parse (responder side), plus a reader for the revocation
 * details of a SingleResponse (time and CRLReason) that the generic response view leaves as a node.
 */
import { createHash } from 'node:crypto';
import { sm3 } from '../gm/index.ts';
import { TAG, decodeOid, integerMagnitude, parseDer, type Node } from '../pki/der.ts';
import { encodeExtensions } from '../pki/builder.ts';
import { explicit, integer, nullDer, octets, oid, seq } from '../pki/der-encode.ts';
import { OID } from '../pki/oids.ts';

export class OcspRequestError extends Error {
  constructor(message: string, readonly offset = 0) { super(message); }
}

export type CertIdHash = 'sm3' | 'sha1';
export interface CertIdSpec { hash: CertIdHash; issuerNameHash: Uint8Array; issuerKeyHash: Uint8Array; serial: bigint }

export function hashFor(alg: CertIdHash, data: Uint8Array): Buffer {
  return alg === 'sm3' ? sm3(data) : createHash('sha1').update(data).digest();
}

/** CertID of a certificate from its issuer's DER Name and public key (04‖x‖y, the subjectPublicKey bits). */
export function certIdFor(issuerName: Uint8Array, issuerPublicKey: Uint8Array, serial: bigint, hash: CertIdHash = 'sm3'): CertIdSpec {
  return { hash, issuerNameHash: hashFor(hash, issuerName), issuerKeyHash: hashFor(hash, issuerPublicKey), serial };
}

export function buildOcspRequest(ids: CertIdSpec[], nonce?: Uint8Array): Uint8Array {
  const reqs = ids.map((c) => seq(seq(seq(oid(c.hash === 'sm3' ? OID.sm3 : OID.sha1), ...(c.hash === 'sha1' ? [nullDer()] : [])), octets(c.issuerNameHash), octets(c.issuerKeyHash), integer(c.serial))));
  const exts = nonce ? [explicit(2, encodeExtensions([{ oid: OID.ocspNonce, value: octets(nonce) }]))] : [];
  return seq(seq(seq(...reqs), ...exts));
}

export interface ParsedOcspRequest { certIds: CertIdSpec[]; nonce?: Uint8Array; signed: boolean }

const kids = (n: Node | undefined) => n?.children ?? [];

export function parseOcspRequest(der: Uint8Array): ParsedOcspRequest {
  let root: Node;
  try { root = parseDer(der); } catch (e) { throw new OcspRequestError(`not DER: ${(e as Error).message}`); }
  if (root.tag !== TAG.SEQUENCE || root.end !== der.length) throw new OcspRequestError('OCSPRequest: not one SEQUENCE');
  const tbs = kids(root)[0];
  if (!tbs || tbs.tag !== TAG.SEQUENCE) throw new OcspRequestError('tbsRequest missing');
  let list: Node | undefined;
  let extsNode: Node | undefined;
  for (const k of kids(tbs)) {
    if (k.tag === TAG.SEQUENCE && !list) list = k;
    else if (k.ctx === 2) extsNode = k;
  }
  if (!list) throw new OcspRequestError('requestList missing', tbs.start);
  const certIds = kids(list).map((r) => {
    const id = kids(r)[0];
    const f = kids(id);
    if (!id || f.length !== 4 || f[3]!.tag !== TAG.INTEGER) throw new OcspRequestError('CertID malformed', r.start);
    const h = decodeOid(kids(f[0])[0]?.content ?? new Uint8Array());
    const hash: CertIdHash | undefined = h === OID.sm3 ? 'sm3' : h === OID.sha1 ? 'sha1' : undefined;
    if (!hash) throw new OcspRequestError(`CertID hashAlgorithm ${h} not supported (SM3 or SHA-1)`, f[0]!.start);
    const serial = integerMagnitude(f[3]!.content);
    if (serial === null) throw new OcspRequestError('CertID serialNumber malformed', f[3]!.start);
    return { hash, issuerNameHash: f[1]!.content, issuerKeyHash: f[2]!.content, serial };
  });
  let nonce: Uint8Array | undefined;
  for (const e of kids(kids(extsNode)[0])) {
    const [o, v] = [kids(e)[0], kids(e).at(-1)];
    if (o && v && decodeOid(o.content) === OID.ocspNonce) {
      // RFC 8954: the nonce value is an OCTET STRING inside extnValue; accept a bare value too
      try { const inner = parseDer(v.content); nonce = inner.tag === TAG.OCTET_STRING && inner.end === v.content.length ? inner.content : v.content; } catch { nonce = v.content; }
    }
  }
  return { certIds, nonce, signed: kids(root).length > 1 };
}

/** revoked [1] IMPLICIT RevokedInfo { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL } */
export function revokedInfo(statusNode: Node): { revokedAt?: Date; reason?: number } {
  if (statusNode.ctx !== 1) return {};
  const [t, r] = kids(statusNode);
  const s = t ? Buffer.from(t.content).toString('latin1') : '';
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  const revokedAt = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
  const reason = r ? kids(r)[0]?.content[0] : undefined;
  return { revokedAt, reason };
}

/** The nonce of a BasicOCSPResponse's responseExtensions (OCTET STRING inside extnValue; a bare value tolerated). */
export function responseNonce(exts: { oid: string; valueNode: Node }[]): Uint8Array | undefined {
  const e = exts.find((x) => x.oid === OID.ocspNonce);
  if (!e) return undefined;
  const v = e.valueNode.content;
  try { const inner = parseDer(v); return inner.tag === TAG.OCTET_STRING && inner.end === v.length ? inner.content : v; } catch { return v; }
}
