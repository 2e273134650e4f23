/*
 * Digest §5 [S]: the GM/T 0015 identity OIDs (1.2.156.10260.4.x) used as subject DN attributes (old practice) instead
 * of extensions → notice.
 */
import { CN_EXTENSION_OIDS } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'n_cn_ext_in_dn',
    description: 'Chinese identity OID used as a subject DN attribute instead of an extension',
    descriptionZh: '中国特有身份标识 OID 被用作主体 DN 属性而非扩展项',
    citation: 'GM/T 0015-2012 §5', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'single-source',
  },
  execute: (ctx) => ctx.cert.subject.attrs.filter((a) => CN_EXTENSION_OIDS.has(a.type)).map((a) => problem(`subject attribute ${a.type}`, a)),
});
