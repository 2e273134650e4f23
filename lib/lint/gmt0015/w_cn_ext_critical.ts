/*
 * Digest §5 [S]: the Chinese identity extensions are non-critical (relying parties outside China do not know them; a
 * critical unknown extension makes them reject the certificate) → warning if critical.
 */
import { certLint, problem } from '../types.ts';
import { cnExtensions } from './cn-ext.ts';

export const lint = certLint({
  meta: {
    id: 'w_cn_ext_critical',
    description: 'Chinese identity extensions should be non-critical',
    descriptionZh: '中国特有身份扩展项宜为非关键扩展',
    citation: 'GM/T 0015-2012 §5, 附录C.3, C.4', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: (ctx) => cnExtensions(ctx.cert).length > 0,
  execute: (ctx) => cnExtensions(ctx.cert).filter((e) => e.critical).map((e) => problem(`${e.oid} is critical`, e)),
});
