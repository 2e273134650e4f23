/*
 * GM/T 0015 Annex C (digest §4: criticality [U]; the 2023 edition changed one extension's criticality, probably
 * keyUsage): RFC 5280 §4.2.1.3 "When present, conforming CAs SHOULD mark this extension as critical." → warning, and
 * configurable by excluding the lint.
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { ext } from '../util.ts';

export const lint = certLint({
  meta: {
    id: 'w_ku_not_critical',
    description: 'keyUsage should be critical',
    descriptionZh: '密钥用法扩展宜为关键扩展',
    citation: 'GM/T 0015-2012 附录C; RFC 5280 §4.2.1.3', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => hasExtKu(ctx.cert),
  execute: (ctx) => ext(ctx.cert, OID.keyUsage)!.critical ? [] : [problem('keyUsage is not critical', ext(ctx.cert, OID.keyUsage)!)],
});

function hasExtKu(c: Parameters<typeof ext>[0]): boolean { return !!ext(c, OID.keyUsage); }
