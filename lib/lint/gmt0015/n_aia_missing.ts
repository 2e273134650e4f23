/*
 * GM/T 0015-2012 Annex C.3/C.4 (digest §4 [U]): authorityInfoAccess (OCSP, caIssuers) "S" for end-entity
 * certificates → notice when absent (many GM PKIs publish only CRLs).
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { hasExt } from '../util.ts';

export const lint = certLint({
  meta: {
    id: 'n_aia_missing', certTypes: ['sign', 'enc'],
    description: 'End-entity certificate has no authorityInfoAccess (OCSP / caIssuers)',
    descriptionZh: '终端实体证书未包含颁发机构信息访问扩展（OCSP/caIssuers）',
    citation: 'GM/T 0015-2012 附录C.3, C.4; RFC 5280 §4.2.2.1', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'unverified',
  },
  execute: (ctx) => hasExt(ctx.cert, OID.authorityInfoAccess) ? [] : [problem('authorityInfoAccess missing', { node: ctx.cert.tbs, path: 'tbsCertificate' })],
});
