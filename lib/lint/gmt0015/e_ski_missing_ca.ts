/*
 * GM/T 0015-2012 Annex C.1/C.2 (digest §4 [U]); RFC 5280 §4.2.1.2: "this extension MUST appear in all conforming CA
 * certificates, that is, all certificates including the basic constraints extension where the value of cA is TRUE."
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { hasExt } from '../util.ts';

export const lint = certLint({
  meta: {
    id: 'e_ski_missing_ca', certTypes: ['root', 'sub'],
    description: 'CA certificates must have subjectKeyIdentifier',
    descriptionZh: 'CA 证书应包含主体密钥标识符扩展',
    citation: 'GM/T 0015-2012 附录C.1, C.2; RFC 5280 §4.2.1.2', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'unverified',
  },
  execute: (ctx) => hasExt(ctx.cert, OID.subjectKeyIdentifier) ? [] : [problem('subjectKeyIdentifier missing', { node: ctx.cert.tbs, path: 'tbsCertificate' })],
});
