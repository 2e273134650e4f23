/*
 * RFC 5280 §5.3.1: "the reason code CRL entry extension SHOULD be absent instead of using the unspecified (0)
 * reasonCode value." GM/T 0015-2012 §5.3 (digest R34 [U]).
 */
import { OID } from '../../pki/oids.ts';
import { findExtension } from '../../pki/x509.ts';
import { crlLint, problem } from '../types.ts';

export const lint = crlLint({
  meta: {
    id: 'w_crl_reason_unspecified',
    description: 'reasonCode unspecified (0) should be omitted instead',
    descriptionZh: '吊销原因为 unspecified(0) 时宜省略原因码扩展',
    citation: 'GM/T 0015-2012 §5.3; RFC 5280 §5.3.1', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => ctx.crl.revoked.some((r) => findExtension(r.extensions, OID.reasonCode)),
  execute: (ctx) => ctx.crl.revoked.map((r) => findExtension(r.extensions, OID.reasonCode))
    .filter((e) => { try { const n = e?.inner(); return !!n && n.len === 1 && n.content[0] === 0; } catch { return false; } })
    .map((e) => problem('reasonCode unspecified (0)', e!)),
});
