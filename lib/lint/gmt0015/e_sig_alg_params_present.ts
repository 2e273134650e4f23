/*
 * GM/T 0015-2012 Annex A.2: SM2-with-SM3 AlgorithmIdentifier parameters "应为空" (digest R06 [S]): anything other than
 * absent (or NULL, see n_sig_alg_params_null) is an error.
 */
import { TAG, tagName } from '../../pki/der.ts';
import { problem, signedLint } from '../types.ts';
import { isSm2Sm3 } from '../util.ts';

export const lint = signedLint({
  meta: {
    id: 'e_sig_alg_params_present',
    description: 'SM2-with-SM3 AlgorithmIdentifier must not carry parameters (other than NULL)',
    descriptionZh: 'SM2 with SM3 算法标识的参数应为空',
    citation: 'GM/T 0015-2012 附录A.2', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: (s) => isSm2Sm3(s.signatureAlgorithm.oid),
  execute: (s) => [s.signatureAlgorithm, s.innerSignature].filter((a) => a?.params && !(a.params.tag === TAG.NULL && a.params.len === 0))
    .map((a) => problem(`${a!.path}: parameters present (${tagName(a!.params!.tag)})`, a!.params!)),
});
