/*
 * RFC 6960 §4.2.1: "OCSP responders SHALL be capable of producing responses of the id-pkix-ocsp-basic response
 * type"; a successful response carries responseBytes. Anything else cannot be checked by a client.
 */
import { OID } from '../../pki/oids.ts';
import { ocspLint, problem } from '../types.ts';

export const lint = ocspLint({
  needsBasic: false,
  meta: {
    id: 'e_ocsp_not_basic',
    description: 'A successful OCSP response must carry an id-pkix-ocsp-basic response',
    descriptionZh: '成功的 OCSP 响应应包含 id-pkix-ocsp-basic 类型的响应数据',
    citation: 'RFC 6960 §4.2.1', source: 'RFC 6960', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => ctx.ocsp.responseStatus === 0,
  execute: (ctx) => {
    if (ctx.ocsp.responseType === undefined) return [problem('successful response without responseBytes', ctx.ocsp.node)];
    return ctx.ocsp.responseType === OID.ocspBasic ? [] : [problem(`responseType ${ctx.ocsp.responseType}`, ctx.ocsp.node)];
  },
});
