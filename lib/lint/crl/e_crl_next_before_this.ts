/*
 * RFC 5280 §5.1.2.5: nextUpdate is "the date by which the next CRL will be issued"; it must be later than thisUpdate.
 */
import { crlLint, problem } from '../types.ts';

export const lint = crlLint({
  meta: {
    id: 'e_crl_next_before_this',
    description: 'nextUpdate must be later than thisUpdate',
    descriptionZh: 'CRL 下次更新时间应晚于本次更新时间',
    citation: 'GM/T 0015-2012 §5.3; RFC 5280 §5.1.2.5', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => !!ctx.crl.nextUpdate?.date && !!ctx.crl.thisUpdate.date,
  execute: (ctx) => ctx.crl.nextUpdate!.date!.getTime() > ctx.crl.thisUpdate.date!.getTime() ? []
    : [problem(`nextUpdate ${ctx.crl.nextUpdate!.raw} is not after thisUpdate ${ctx.crl.thisUpdate.raw}`, ctx.crl.nextUpdate!)],
});
