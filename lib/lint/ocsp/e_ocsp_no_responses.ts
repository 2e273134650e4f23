/*
 * RFC 6960 §4.2.1: ResponseData.responses ::= SEQUENCE OF SingleResponse — a basic response answers at least the
 * request it was made for; an empty list tells the client nothing.
 */
import { ocspLint, problem } from '../types.ts';

export const lint = ocspLint({
  meta: {
    id: 'e_ocsp_no_responses',
    description: 'A basic OCSP response must contain at least one SingleResponse',
    descriptionZh: 'OCSP 基本响应应至少包含一个单证书响应',
    citation: 'RFC 6960 §4.2.1', source: 'RFC 6960', editions: ['2012', '2023'], basis: 'verified',
  },
  execute: (ctx) => ctx.basic.responses.length ? [] : [problem('responses is empty', ctx.basic.tbs)],
});
