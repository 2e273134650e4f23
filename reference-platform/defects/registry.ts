/**
 * Named, documented non-conformances the platform can be started with (`--defect NAME`).
 * Each names the requirement it violates; the sensitivity tests prove that the features catch it.
 */
export interface DefectInfo {
  name: string;
  summary: string;
  summaryZh: string;
  violates: { std: string; clause: string }[];
}

export const DEFECTS: DefectInfo[] = [
  {
    name: 'weak-sm4-mode',
    summary: 'SM4 "CBC" requests over more than one block are processed in ECB mode',
    summaryZh: 'SM4 CBC 请求多于一个分组时实际以 ECB 模式处理',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.2.a' }, { std: 'TTCGIA0003-2023', clause: '6.5.1' }],
  },
  {
    name: 'sm4-word-order',
    summary: 'the SM4 implementation reads key, IV and data as little-endian 32-bit words (a porting bug): self-consistent, but not GB/T 32907',
    summaryZh: 'SM4 实现按小端序读取 32 位字（移植错误）：加解密自洽，但结果不符合 GB/T 32907',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.2.a' }],
  },
  {
    name: 'hmac-replay-accepted',
    summary: 'request signing ignores the nonce cache and the timestamp window, so a captured request can be replayed',
    summaryZh: '请求签名不检查随机数缓存与时间窗口，截获的请求可被重放',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.2.b' }, { std: 'TTCGIA0003-2023', clause: '6.5.6.a' }],
  },
  {
    name: 'sm2-wrong-z',
    summary: 'SM2 signing and verification hash the message without the Z value (e = SM3(M) instead of SM3(Z||M))',
    summaryZh: 'SM2 签名与验签未计算 Z 值（e = SM3(M) 而非 SM3(Z‖M)）',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.2.a' }, { std: 'GMT0009', clause: '8' }],
  },
  {
    name: 'hash-not-sm3',
    summary: 'the hash service computes SHA-256 when SM3 is requested',
    summaryZh: '杂凑服务在请求 SM3 时实际计算 SHA-256',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.2.a' }, { std: 'TTCGIA0003-2023', clause: '6.5.1' }],
  },
  {
    name: 'accepts-non-gm-algorithm',
    summary: 'the crypto service also offers and performs AES-128-CBC',
    summaryZh: '密码服务同时提供并执行 AES-128-CBC 等非国密算法',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.1' }],
  },
  {
    name: 'auth-optional',
    summary: 'requests without a valid HMAC-SM3 signature are served as the first application',
    summaryZh: '未携带有效 HMAC-SM3 签名的请求仍被当作首个应用处理',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.2.b' }, { std: 'TTCGIA0003-2023', clause: '6.4.g' }],
  },
];

export function defectNames(): string[] {
  return DEFECTS.map((d) => d.name);
}

/** The set of active defects; asking for an unknown one is an error naming the known ones. */
export class Defects {
  private readonly active: Set<string>;
  constructor(names: string[] = []) {
    const known = new Set(defectNames());
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length) throw new Error(`unknown defect(s): ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
    this.active = new Set(names);
  }
  has(name: string): boolean {
    return this.active.has(name);
  }
  list(): string[] {
    return [...this.active];
  }
}
