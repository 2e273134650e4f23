/*
 * GM/T 0015-2012 Annex C.3/C.4 (digest §4 [U]): subjectKeyIdentifier "S" (should) in end-entity certificates;
 * RFC 5280 §4.2.1.2 "SHOULD be included in all end entity certificates".
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { hasExt } from '../util.ts';

export const lint = certLint({
  meta: {
    id: 'w_ski_missing_ee', certTypes: ['sign', 'enc', 'ocsp', 'tsa'],
    description: 'End-entity certificates should have subjectKeyIdentifier',
    descriptionZh: '终端实体证书宜包含主体密钥标识符扩展',
    citation: 'GM/T 0015-2012 附录C.3, C.4; RFC 5280 §4.2.1.2', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'unverified',
  },
  execute: (ctx) => hasExt(ctx.cert, OID.subjectKeyIdentifier) ? [] : [problem('subjectKeyIdentifier missing', { node: ctx.cert.tbs, path: 'tbsCertificate' })],
});
