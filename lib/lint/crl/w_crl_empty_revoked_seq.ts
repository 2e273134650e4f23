/*
 * RFC 5280 §5.1.2.6: "When there are no revoked certificates, the revoked certificates list MUST be absent."
 * GM/T 0015-2012 §5.3 (digest R36 [U]) → warning (many parsers accept the empty SEQUENCE).
 */
import { crlLint, problem } from '../types.ts';

export const lint = crlLint({
  meta: {
    id: 'w_crl_empty_revoked_seq',
    description: 'An empty revokedCertificates list should be omitted, not encoded as an empty SEQUENCE',
    descriptionZh: '无吊销证书时宜省略 revokedCertificates，而不是编码为空 SEQUENCE',
    citation: 'GM/T 0015-2012 §5.3; RFC 5280 §5.1.2.6', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  execute: (ctx) => ctx.crl.revokedNode && ctx.crl.revoked.length === 0 ? [problem('revokedCertificates is an empty SEQUENCE', ctx.crl.revokedNode)] : [],
});
