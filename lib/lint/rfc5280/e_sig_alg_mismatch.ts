/*
 * RFC 5280 §4.1.1.2: signatureAlgorithm "MUST contain the same algorithm identifier as the signature field in the
 * sequence tbsCertificate"; §5.1.1.2 likewise for CRLs. GM/T 0015-2012 Annex A (digest R04 [S]).
 */
import { bytesEqual } from '../../pki/der.ts';
import { problem, signedLint } from '../types.ts';

export const lint = signedLint({
  meta: {
    id: 'e_sig_alg_mismatch', target: ['certificate', 'crl'],
    description: 'The outer signatureAlgorithm must be byte-identical to the signature field inside the signed data',
    descriptionZh: '外层签名算法标识应与待签数据中的签名算法字段完全一致',
    citation: 'RFC 5280 §4.1.1.2, §5.1.1.2; GM/T 0015-2012 附录A', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: (s) => s.innerSignature !== undefined,
  execute: (s) => bytesEqual(s.innerSignature!.node.bytes, s.signatureAlgorithm.node.bytes)
    ? [] : [problem(`signatureAlgorithm ${s.signatureAlgorithm.oid} differs from inner signature ${s.innerSignature!.oid}${s.signatureAlgorithm.oid === s.innerSignature!.oid ? ' (parameters differ)' : ''}`, s.signatureAlgorithm)],
});
