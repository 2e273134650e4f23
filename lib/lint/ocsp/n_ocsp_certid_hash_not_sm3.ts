/*
 * GM practice (digest §2, GM/T 0015 profile): hashes in a GM PKI are SM3; RFC 6960 CertIDs default to SHA-1.
 * A non-SM3 CertID works only with clients that compute that hash → notice.
 */
import { OID, oidName } from '../../pki/oids.ts';
import { ocspLint, problem } from '../types.ts';

export const lint = ocspLint({
  meta: {
    id: 'n_ocsp_certid_hash_not_sm3',
    description: 'OCSP CertID uses a hash other than SM3',
    descriptionZh: 'OCSP CertID 使用了非 SM3 的摘要算法',
    citation: 'RFC 6960 §4.1.1; GM/T 0015 profile practice', source: 'practice', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => ctx.basic.responses.length > 0,
  execute: (ctx) => ctx.basic.responses.filter((r) => r.certId.hashAlgorithm.oid !== OID.sm3)
    .map((r) => problem(`CertID hash is ${oidName(r.certId.hashAlgorithm.oid)}`, r.certId.hashAlgorithm)),
});
