/*
 * CA practice (digest lint list, [U]): serial numbers should carry at least 64 random bits so that chosen-prefix
 * collisions on the signed data are impractical. Heuristic: fewer than 8 content octets cannot hold 64 bits.
 */
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'w_serial_low_entropy',
    description: 'Serial numbers should be at least 64 bits long (to carry 64 random bits)',
    descriptionZh: '证书序列号宜至少 64 位（含足够随机性）',
    citation: 'CA practice (CA/B Forum BR §7.1); GM/T 0015-2012 附录A.2', source: 'practice', editions: ['2012', '2023'], basis: 'unverified',
  },
  execute: (ctx) => {
    const n = ctx.cert.serial.node;
    const c = ctx.cert.serial.content;
    const significant = c[0] === 0 ? c.length - 1 : c.length;
    return significant < 8 ? [problem(`serial number has ${significant * 8} bits`, n)] : [];
  },
});
