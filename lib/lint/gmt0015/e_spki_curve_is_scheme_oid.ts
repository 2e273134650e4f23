/*
 * Known bad encoding (digest §2 [V]): the SM2 curve is 1.2.156.10197.1.301; its arcs .301.1 (SM2-1 signature),
 * .301.2 (SM2-2 key exchange) and .301.3 (SM2-3 encryption) name schemes, not curves. Encoders have written them as
 * namedCurve — notably .301.3 in encryption certificates, and GmSSL 3's .301.2 for SM2 encryption (the correct
 * encryption OID is .301.3). Reported separately so that the cause is obvious.
 */
import { decodeOid, TAG } from '../../pki/der.ts';
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';

const NAMES: Record<string, string> = {
  [OID.sm2Sign]: 'SM2-1 signature (.301.1)', [OID.sm2KeyExchange]: 'SM2-2 key exchange (.301.2; GmSSL mislabels SM2 encryption with it, correct is .301.3)',
  [OID.sm2Encrypt]: 'SM2-3 encryption (.301.3)',
};

export const lint = certLint({
  meta: {
    id: 'e_spki_curve_is_scheme_oid',
    description: 'namedCurve uses an SM2 scheme OID (…301.1/.2/.3) instead of the curve OID …301',
    descriptionZh: '公钥曲线参数误用 SM2 方案 OID（…301.1/.2/.3），应为曲线 OID …301',
    citation: 'GM/T 0006; GM/T 0015-2012 附录A.2', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => ctx.cert.spki.algorithm.params?.tag === TAG.OID,
  execute: (ctx) => {
    const p = ctx.cert.spki.algorithm.params!;
    const curve = decodeOid(p.content);
    return curve && NAMES[curve] ? [problem(`namedCurve is ${NAMES[curve]}`, p)] : [];
  },
});
