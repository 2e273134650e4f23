/*
 * RFC 5280 §4.1.2.5: "CAs conforming to this profile MUST always encode certificate validity dates through the year
 * 2049 as UTCTime; certificate validity dates in 2050 or later MUST be encoded as GeneralizedTime." UTCTime
 * "MUST include seconds … MUST be expressed in Greenwich Mean Time (Zulu)"; GeneralizedTime "MUST NOT include
 * fractional seconds". §5.1.2.4–5.1.2.6 apply the same to CRL times; RFC 6960 uses GeneralizedTime.
 * GM/T 0015-2012 Annex A.2 (digest R09/R32 [S]).
 */
import type { Time } from '../../pki/x509.ts';
import { problem, type Lint, type LintContext, type Problem } from '../types.ts';

function check(t: Time | undefined, rule2050: boolean): Problem[] {
  if (!t) return [];
  if (t.problem) return [problem(`${t.kind} ${t.problem}`, t)];
  if (!rule2050 || !t.date) return [];
  const y = t.date.getUTCFullYear();
  if (t.kind === 'GeneralizedTime' && y < 2050) return [problem(`GeneralizedTime used for ${y} (UTCTime required through 2049)`, t)];
  if (t.kind === 'UTCTime' && y >= 2050) return [problem(`UTCTime cannot hold ${y}`, t)];
  return [];
}

export const lint: Lint = {
  meta: {
    id: 'e_time_encoding', target: ['certificate', 'crl', 'ocsp'],
    description: 'Times must be UTCTime through 2049 and GeneralizedTime from 2050, with seconds, in Z, without fractions',
    descriptionZh: '时间至 2049 年应为 UTCTime，2050 年起为 GeneralizedTime，须含秒、以 Z 结尾、无小数秒',
    citation: 'RFC 5280 §4.1.2.5, §5.1.2.4; GM/T 0015-2012 附录A.2', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: () => true,
  execute(ctx: LintContext): Problem[] {
    if (ctx.kind === 'certificate') return [...check(ctx.cert.notBefore, true), ...check(ctx.cert.notAfter, true)];
    if (ctx.kind === 'crl') {
      const c = ctx.crl;
      const out = [...check(c.thisUpdate, true), ...check(c.nextUpdate, true)];
      for (const r of c.revoked) out.push(...check(r.revocationDate, true));
      return out;
    }
    if (ctx.kind !== 'ocsp' || !ctx.basic) return [];
    const out = check(ctx.basic.producedAt, false);
    for (const r of ctx.basic.responses) out.push(...check(r.thisUpdate, false), ...check(r.nextUpdate, false));
    return out;
  },
};
