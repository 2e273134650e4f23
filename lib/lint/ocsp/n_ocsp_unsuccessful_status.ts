/*
 * RFC 6960 §4.2.1: OCSPResponseStatus other than successful (0) carries no responseBytes; the response says nothing
 * about any certificate → notice with the status name.
 */
import { OCSP_STATUS } from '../../pki/ocsp.ts';
import { ocspLint, problem } from '../types.ts';

export const lint = ocspLint({
  needsBasic: false,
  meta: {
    id: 'n_ocsp_unsuccessful_status',
    description: 'The OCSP response status is not successful',
    descriptionZh: 'OCSP 响应状态不是 successful',
    citation: 'RFC 6960 §4.2.1', source: 'RFC 6960', editions: ['2012', '2023'], basis: 'verified',
  },
  execute: (ctx) => ctx.ocsp.responseStatus === 0 ? [] : [problem(`responseStatus ${ctx.ocsp.responseStatus} (${OCSP_STATUS[ctx.ocsp.responseStatus] ?? 'undefined value'})`, ctx.ocsp.statusNode)],
});
