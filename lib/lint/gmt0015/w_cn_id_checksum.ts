/*
 * Value checks not from GM/T 0015 (digest §5, WARN): resident ID numbers are 18 characters with the GB 11643-1999
 * ISO 7064 MOD 11-2 check character; unified social credit codes are 18 characters from 0-9A-HJ-NPQRTUWXY with the
 * GB 32100-2015 mod-31 check character.
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { cnExtensions, decodeIdentifyCode, residentIdValid, usccValid } from './cn-ext.ts';

export const lint = certLint({
  meta: {
    id: 'w_cn_id_checksum', certTypes: ['sign', 'enc'],
    description: 'Resident ID numbers and unified social credit codes should have valid check characters',
    descriptionZh: '居民身份证号、统一社会信用代码的校验位宜正确（GB 11643、GB 32100）',
    citation: 'GB 11643-1999; GB 32100-2015; GM/T 0015-2012 §5', source: 'practice', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: (ctx) => cnExtensions(ctx.cert).some((e) => e.oid === OID.cnIdentifyCode || e.oid === OID.cnResidentIdNumber2023 || e.oid === OID.cnUsccShort || e.oid === OID.cnUsccLong),
  execute: (ctx) => {
    const out = [];
    for (const e of cnExtensions(ctx.cert)) {
      let v: string | undefined;
      let kind: 'id' | 'uscc' | undefined;
      try {
        if (e.oid === OID.cnIdentifyCode) { const ic = decodeIdentifyCode(e); if (ic.choice === 0) { v = ic.value; kind = 'id'; } }
        else if (e.oid === OID.cnResidentIdNumber2023) { v = Buffer.from(e.inner().content).toString('utf8'); kind = 'id'; }
        else if (e.oid === OID.cnUsccShort || e.oid === OID.cnUsccLong) { v = Buffer.from(e.inner().content).toString('utf8'); kind = 'uscc'; }
      } catch { continue; }
      if (v === undefined) continue;
      // never echo the identity number itself: it is personal data
      if (kind === 'id' && !residentIdValid(v)) out.push(problem(`${e.oid}: resident ID number fails the GB 11643 check`, e.valueNode));
      if (kind === 'uscc' && !usccValid(v)) out.push(problem(`${e.oid}: unified social credit code fails the GB 32100 check`, e.valueNode));
    }
    return out;
  },
});
