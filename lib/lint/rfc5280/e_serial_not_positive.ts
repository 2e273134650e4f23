/*
 * RFC 5280 §4.1.2.2: "The serial number MUST be a positive integer assigned by the CA to each certificate."
 * X.690 §8.3.2: INTEGER content octets are minimal. GM/T 0015-2012 Annex A.2 (digest R03 [S]).
 */
import { integerMagnitude, isMinimalInteger } from '../../pki/der.ts';
import { problem, type Lint, type LintContext, type Problem } from '../types.ts';

export const lint: Lint = {
  meta: {
    id: 'e_serial_not_positive', target: ['certificate', 'crl'],
    description: 'Serial numbers must be positive, minimally encoded INTEGERs',
    descriptionZh: '证书序列号应为正整数且采用最短编码',
    citation: 'RFC 5280 §4.1.2.2, §5.1.2.6; GM/T 0015-2012 附录A.2', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: () => true,
  execute(ctx: LintContext): Problem[] {
    const serials = ctx.kind === 'certificate' ? [ctx.cert.serial.node] : ctx.kind === 'crl' ? ctx.crl.revoked.map((r) => r.serial) : [];
    const out: Problem[] = [];
    for (const n of serials) {
      const c = n.content;
      if (!isMinimalInteger(c)) out.push(problem('serial number INTEGER is not minimally encoded', n));
      const v = integerMagnitude(c);
      if (v === null) out.push(problem('serial number is negative', n));
      else if (v === 0n) out.push(problem('serial number is zero', n));
    }
    return out;
  },
};
