/*
 * GM/T 0015-2012 Annex C.1/C.2 (digest §4 [V] OID, [S] criticality): the Chinese identity extensions identify a
 * person or an organisation as subscriber; they are "X" (must not) in CA certificates → warning (tables unverified).
 */
import { certLint, problem } from '../types.ts';
import { cnExtensions } from './cn-ext.ts';

export const lint = certLint({
  meta: {
    id: 'w_cn_ext_in_ca', certTypes: ['root', 'sub'],
    description: 'CA certificates should not carry the Chinese identity extensions',
    descriptionZh: 'CA 证书不宜包含中国特有身份扩展项',
    citation: 'GM/T 0015-2012 附录C.1, C.2', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'single-source',
  },
  execute: (ctx) => cnExtensions(ctx.cert).map((e) => problem(`CA certificate carries ${e.oid}`, e)),
});
