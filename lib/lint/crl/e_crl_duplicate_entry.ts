/*
 * GM/T 0015-2012 §5.3 (digest R34 [U]): each revoked certificate is listed once per CRL; a serial listed twice makes
 * the reason and date ambiguous (RFC 5280 §5.1.2.6 identifies entries by serial within the issuer's scope).
 */
import { toHex } from '../../pki/der.ts';
import { crlLint, problem } from '../types.ts';

export const lint = crlLint({
  meta: {
    id: 'e_crl_duplicate_entry',
    description: 'A serial number must not appear twice in revokedCertificates',
    descriptionZh: '同一证书序列号不应在 CRL 中重复出现',
    citation: 'GM/T 0015-2012 §5.3; RFC 5280 §5.1.2.6', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => ctx.crl.revoked.length > 1,
  execute: (ctx) => {
    const seen = new Set<string>();
    const out = [];
    for (const r of ctx.crl.revoked) {
      const k = toHex(r.serial.content);
      if (seen.has(k)) out.push(problem(`serial ${k} listed more than once`, r));
      seen.add(k);
    }
    return out;
  },
});
