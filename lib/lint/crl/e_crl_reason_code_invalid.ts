/*
 * RFC 5280 §5.3.1: reasonCode "is a non-critical CRL entry extension"; CRLReason ::= ENUMERATED { unspecified (0) …
 * -- value 7 is not used … aACompromise (10) }. GM/T 0015-2012 §5.3 (digest R34 [U]); certificateHold (6) and
 * removeFromCRL (8) are valid (GM/T 0034 suspension, digest R37).
 */
import { TAG } from '../../pki/der.ts';
import { OID } from '../../pki/oids.ts';
import { findExtension } from '../../pki/x509.ts';
import { crlLint, problem } from '../types.ts';

export const lint = crlLint({
  meta: {
    id: 'e_crl_reason_code_invalid',
    description: 'reasonCode must be a non-critical ENUMERATED in 0–10 except 7',
    descriptionZh: '吊销原因码应为非关键的枚举值（0–10，不含 7）',
    citation: 'GM/T 0015-2012 §5.3; RFC 5280 §5.3.1', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => ctx.crl.revoked.some((r) => findExtension(r.extensions, OID.reasonCode)),
  execute: (ctx) => {
    const out = [];
    for (const r of ctx.crl.revoked) {
      const e = findExtension(r.extensions, OID.reasonCode);
      if (!e) continue;
      if (e.critical) out.push(problem('reasonCode is critical', e));
      try {
        const n = e.inner();
        const v = n.len === 1 ? n.content[0]! : -1;
        if (n.tag !== TAG.ENUMERATED) out.push(problem('reasonCode is not ENUMERATED', n));
        else if (v < 0 || v > 10 || v === 7) out.push(problem(`reasonCode value ${v} is not a CRLReason`, n));
      } catch { out.push(problem('reasonCode value is not DER', e.valueNode)); }
    }
    return out;
  },
});
