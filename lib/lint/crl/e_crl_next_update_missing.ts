/*
 * RFC 5280 §5.1.2.5: "Conforming CRL issuers MUST include the nextUpdate time in all CRLs." GM/T 0015-2012 §5.3
 * (digest R32 [U]).
 */
import { crlLint, problem } from '../types.ts';

export const lint = crlLint({
  meta: {
    id: 'e_crl_next_update_missing',
    description: 'CRLs must have nextUpdate',
    descriptionZh: 'CRL 应包含下次更新时间（nextUpdate）',
    citation: 'GM/T 0015-2012 §5.3; RFC 5280 §5.1.2.5', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  execute: (ctx) => ctx.crl.nextUpdate ? [] : [problem('nextUpdate missing', ctx.crl.thisUpdate)],
});
