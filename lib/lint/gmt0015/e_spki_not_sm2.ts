/*
 * GM/T 0015-2012 Annex A.2 / GM/T 0009 (digest R08 [V]): subjectPublicKeyInfo.algorithm is id-ecPublicKey
 * (1.2.840.10045.2.1) with parameters namedCurve sm2p256v1 (1.2.156.10197.1.301).
 */
import { decodeOid, TAG, tagName } from '../../pki/der.ts';
import { OID, oidName } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'e_spki_not_sm2',
    description: 'The public key algorithm must be id-ecPublicKey with namedCurve sm2p256v1 (1.2.156.10197.1.301)',
    descriptionZh: '公钥算法应为 id-ecPublicKey，曲线参数为 SM2（1.2.156.10197.1.301）',
    citation: 'GM/T 0015-2012 附录A.2; GM/T 0009-2012 §6', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  execute: (ctx) => {
    const a = ctx.cert.spki.algorithm;
    if (a.oid !== OID.ecPublicKey) return [problem(`public key algorithm is ${oidName(a.oid)} (${a.oid})`, a)];
    if (!a.params) return [problem('id-ecPublicKey without namedCurve parameters', a)];
    if (a.params.tag !== TAG.OID) return [problem(`curve parameters are ${tagName(a.params.tag)}, expected namedCurve OID`, a.params)];
    const curve = decodeOid(a.params.content);
    return curve === OID.sm2Curve ? [] : [problem(`namedCurve is ${curve ? oidName(curve) + ' (' + curve + ')' : 'malformed'}, expected sm2p256v1`, a.params)];
  },
});
