/*
 * GM/T 0015-2012 §5 does not state the tagging of IdentifyCode (digest §5 [U]); practice and the reference platform
 * use EXPLICIT. IMPLICIT tagging is accepted with a notice because decoders disagree on it.
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { ext } from '../util.ts';
import { decodeIdentifyCode } from './cn-ext.ts';

export const lint = certLint({
  meta: {
    id: 'n_identifycode_implicit', certTypes: ['sign', 'enc'],
    description: 'IdentifyCode uses IMPLICIT tagging (practice is EXPLICIT)',
    descriptionZh: '个人身份标识码采用隐式标记（通行做法为显式标记）',
    citation: 'GM/T 0015-2012 §5 (个人身份标识码)', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => { const e = ext(ctx.cert, OID.cnIdentifyCode); if (!e) return false; try { decodeIdentifyCode(e); return true; } catch { return false; } },
  execute: (ctx) => {
    const e = ext(ctx.cert, OID.cnIdentifyCode)!;
    return decodeIdentifyCode(e).tagging === 'implicit' ? [problem('IdentifyCode is IMPLICIT-tagged', e.valueNode)] : [];
  },
});
