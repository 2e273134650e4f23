/*
 * GM/T 0015-2012 Annex C.1–C.4 (digest §4 [V] bits): keyUsage is mandatory for every certificate type — CA
 * (keyCertSign, cRLSign), signing (digitalSignature, nonRepudiation), encryption (keyEncipherment/dataEncipherment).
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { hasExt } from '../util.ts';

export const lint = certLint({
  meta: {
    id: 'e_ku_missing',
    description: 'keyUsage must be present',
    descriptionZh: '证书应包含密钥用法扩展',
    citation: 'GM/T 0015-2012 附录C.1–C.4', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  execute: (ctx) => hasExt(ctx.cert, OID.keyUsage) ? [] : [problem('keyUsage missing', { node: ctx.cert.tbs, path: 'tbsCertificate' })],
});
