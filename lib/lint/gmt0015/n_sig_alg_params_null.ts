/*
 * GM/T 0015-2012 Annex A.2: SM2-with-SM3 AlgorithmIdentifier parameters "应为空" (digest R06 [S]). Whether "empty"
 * means absent or NULL is unverified; absent is the reading the reference platform emits, NULL is accepted with a
 * notice because some verifiers compare AlgorithmIdentifiers byte-wise.
 */
import { TAG } from '../../pki/der.ts';
import { problem, signedLint } from '../types.ts';
import { isSm2Sm3 } from '../util.ts';

export const lint = signedLint({
  meta: {
    id: 'n_sig_alg_params_null',
    description: 'SM2-with-SM3 parameters encoded as NULL instead of absent',
    descriptionZh: 'SM2 with SM3 算法参数编码为 NULL（标准要求“应为空”，推荐省略）',
    citation: 'GM/T 0015-2012 附录A.2', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: (s) => isSm2Sm3(s.signatureAlgorithm.oid),
  execute: (s) => [s.signatureAlgorithm, s.innerSignature].filter((a) => a?.params?.tag === TAG.NULL && a.params.len === 0)
    .map((a) => problem(`${a!.path}: parameters are NULL`, a!.params!)),
});
