/*
 * RFC 5280 §5.2.3: "CRL issuers conforming to this profile MUST include this extension in all CRLs and MUST mark this
 * extension as non-critical"; "CRLNumber ::= INTEGER (0..MAX)"; "Conforming CRL issuers MUST NOT use CRLNumber
 * values longer than 20 octets." GM/T 0015-2012 §5.3 (digest R33 [U]).
 */
import { integerMagnitude, TAG } from '../../pki/der.ts';
import { OID } from '../../pki/oids.ts';
import { findExtension } from '../../pki/x509.ts';
import { crlLint, problem } from '../types.ts';

export const lint = crlLint({
  meta: {
    id: 'e_crl_number_invalid',
    description: 'CRLs must have a non-critical cRLNumber: a non-negative INTEGER of at most 20 octets',
    descriptionZh: 'CRL 应包含非关键的 CRL 编号扩展，其值为不超过 20 字节的非负整数',
    citation: 'GM/T 0015-2012 §5.3; RFC 5280 §5.2.3', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  execute: (ctx) => {
    const e = findExtension(ctx.crl.extensions, OID.cRLNumber);
    if (!e) return [problem('cRLNumber missing', { node: ctx.crl.tbs, path: 'tbsCertList' })];
    const out = [];
    if (e.critical) out.push(problem('cRLNumber is critical', e));
    try {
      const n = e.inner();
      if (n.tag !== TAG.INTEGER) out.push(problem('cRLNumber is not an INTEGER', n));
      else if (integerMagnitude(n.content) === null) out.push(problem('cRLNumber is negative', n));
      else if (n.len > 20) out.push(problem(`cRLNumber is ${n.len} octets`, n));
    } catch { out.push(problem('cRLNumber value is not DER', e.valueNode)); }
    return out;
  },
});
