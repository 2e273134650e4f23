/*
 * RFC 6960 §4.1.1: issuerNameHash and issuerKeyHash are hashes with hashAlgorithm; their length must match it (SHA-1 20,
 * SM3 32, SHA-256 32 octets), otherwise no client can match the CertID.
 */
import { OID, oidName } from '../../pki/oids.ts';
import { ocspLint, problem } from '../types.ts';

const LEN: Record<string, number> = { [OID.sha1]: 20, [OID.sm3]: 32, [OID.sha256]: 32 };

export const lint = ocspLint({
  meta: {
    id: 'e_ocsp_certid_hash_length',
    description: 'CertID hashes must have the length of their hash algorithm',
    descriptionZh: 'CertID 中的颁发者名称/公钥摘要长度应与摘要算法一致',
    citation: 'RFC 6960 §4.1.1', source: 'RFC 6960', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => ctx.basic.responses.some((r) => LEN[r.certId.hashAlgorithm.oid] !== undefined),
  execute: (ctx) => ctx.basic.responses.flatMap((r) => {
    const want = LEN[r.certId.hashAlgorithm.oid];
    if (want === undefined) return [];
    const bad = [];
    if (r.certId.issuerNameHash.length !== want) bad.push(problem(`issuerNameHash is ${r.certId.issuerNameHash.length} octets, ${oidName(r.certId.hashAlgorithm.oid)} gives ${want}`, r.certId));
    if (r.certId.issuerKeyHash.length !== want) bad.push(problem(`issuerKeyHash is ${r.certId.issuerKeyHash.length} octets, ${oidName(r.certId.hashAlgorithm.oid)} gives ${want}`, r.certId));
    return bad;
  }),
});
