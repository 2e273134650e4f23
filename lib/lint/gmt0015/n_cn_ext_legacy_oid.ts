/*
 * Digest §2 [S]: pre-2012 e-government CA practice used 1.2.156.11.7.x and 1.2.86.11.7.x (ID number, USCC
 * 1.2.86.11.7.4, tax number); read but not GM/T 0015 → notice, in extensions and in the subject DN.
 */
import { isLegacyCnOid } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'n_cn_ext_legacy_oid',
    description: 'Pre-GM/T 0015 e-government OID (1.2.156.11.7.x / 1.2.86.11.7.x) in use',
    descriptionZh: '使用了 GM/T 0015 之前的电子政务 OID（1.2.156.11.7.x / 1.2.86.11.7.x）',
    citation: 'GM/T 0015-2012 §5 (legacy practice)', source: 'practice', editions: ['2012', '2023'], basis: 'single-source',
  },
  execute: (ctx) => [
    ...ctx.cert.extensions.filter((e) => isLegacyCnOid(e.oid)).map((e) => problem(`extension ${e.oid}`, e)),
    ...ctx.cert.subject.attrs.filter((a) => isLegacyCnOid(a.type)).map((a) => problem(`subject attribute ${a.type}`, a)),
  ],
});
