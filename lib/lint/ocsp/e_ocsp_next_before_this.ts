/*
 * RFC 6960 §4.2.2.1: nextUpdate is "the time at or before which newer information will be available"; it must be
 * later than thisUpdate.
 */
import { ocspLint, problem } from '../types.ts';

export const lint = ocspLint({
  meta: {
    id: 'e_ocsp_next_before_this',
    description: 'SingleResponse nextUpdate must be later than thisUpdate',
    descriptionZh: 'OCSP 单证书响应的下次更新时间应晚于本次更新时间',
    citation: 'RFC 6960 §4.2.2.1', source: 'RFC 6960', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => ctx.basic.responses.some((r) => r.nextUpdate?.date && r.thisUpdate.date),
  execute: (ctx) => ctx.basic.responses.filter((r) => r.nextUpdate?.date && r.thisUpdate.date && r.nextUpdate.date.getTime() <= r.thisUpdate.date.getTime())
    .map((r) => problem(`nextUpdate ${r.nextUpdate!.raw} is not after thisUpdate ${r.thisUpdate.raw}`, r.nextUpdate!)),
});
