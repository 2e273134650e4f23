/*
 * RFC 5280 §5.3.2: "InvalidityDate ::= GeneralizedTime", non-critical; GM/T 0015-2012 §5.3 (digest R34 [U]).
 */
import { TAG } from '../../pki/der.ts';
import { OID } from '../../pki/oids.ts';
import { findExtension, parseTime } from '../../pki/x509.ts';
import { crlLint, problem } from '../types.ts';

export const lint = crlLint({
  meta: {
    id: 'e_crl_invalidity_date_not_generalized',
    description: 'invalidityDate must be a DER GeneralizedTime in a non-critical extension',
    descriptionZh: '失效日期扩展应为非关键扩展，其值为 DER GeneralizedTime',
    citation: 'GM/T 0015-2012 §5.3; RFC 5280 §5.3.2', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => ctx.crl.revoked.some((r) => findExtension(r.extensions, OID.invalidityDate)),
  execute: (ctx) => {
    const out = [];
    for (const r of ctx.crl.revoked) {
      const e = findExtension(r.extensions, OID.invalidityDate);
      if (!e) continue;
      if (e.critical) out.push(problem('invalidityDate is critical', e));
      try {
        const n = e.inner();
        if (n.tag !== TAG.GeneralizedTime) out.push(problem('invalidityDate is not GeneralizedTime', n));
        else { const t = parseTime(n, `${e.path}.value`); if (t.problem) out.push(problem(`invalidityDate ${t.problem}`, n)); }
      } catch { out.push(problem('invalidityDate value is not DER', e.valueNode)); }
    }
    return out;
  },
});
