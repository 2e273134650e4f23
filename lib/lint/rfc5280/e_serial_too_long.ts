/*
 * RFC 5280 §4.1.2.2: "Conforming CAs MUST NOT use serialNumber values longer than 20 octets."
 * GM/T 0015-2012 Annex A.2 (digest R03 [S]).
 */
import { problem, type Lint, type LintContext, type Problem } from '../types.ts';

export const lint: Lint = {
  meta: {
    id: 'e_serial_too_long', target: ['certificate', 'crl'],
    description: 'Serial numbers must not be longer than 20 octets',
    descriptionZh: '证书序列号长度不应超过 20 字节',
    citation: 'RFC 5280 §4.1.2.2; GM/T 0015-2012 附录A.2', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: () => true,
  execute(ctx: LintContext): Problem[] {
    const serials = ctx.kind === 'certificate' ? [ctx.cert.serial.node] : ctx.kind === 'crl' ? ctx.crl.revoked.map((r) => r.serial) : [];
    return serials.filter((n) => n.len > 20).map((n) => problem(`serial number is ${n.len} octets`, n));
  },
};
