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
  {
    name: 'weak-rng',
    summary: 'SDF_GenerateRandom (and so the random service) returns the low byte of a 32-bit linear congruential generator reseeded from the millisecond clock on every call: predictable, and the low bits have periods 2, 4, …, 256',
    summaryZh: 'SDF_GenerateRandom（及随机数服务）输出按毫秒时钟逐次重新播种的 32 位线性同余发生器状态的低字节：可预测，且低位周期仅为 2、4、…、256',
    violates: [
      { std: 'GMT0005-2021', clause: '6.2' }, { std: 'GMT0005-2021', clause: '6.3' }, { std: 'GMT0005-2021', clause: '6.4' },
      { std: 'TTCGIA0003-2023', clause: '6.5.3.a' },
      // the SDF endpoint serves the same device RNG: the GM/T 0018 random checks catch it too
      { std: 'GMT0018', clause: '6.2.7' },
    ],
  },
  {
    name: 'plaintext-key-export',
    summary: 'key export returns the key material itself instead of an SM2 envelope to the requested public key',
    summaryZh: '密钥导出直接返回密钥明文，而不是以请求方 SM2 公钥加密的数字信封',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.3.d' }],
  },
  {
    name: 'sign-key-decrypts',
    summary: 'the device key-usage check lets an SM2 signing key decrypt',
    summaryZh: '密码设备的密钥用途检查允许 SM2 签名密钥执行解密',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.3.e' }],
  },
  {
    name: 'destroyed-key-usable',
    summary: 'destruction only marks the key DESTROYED: the material stays in the device and the key still works',
    summaryZh: '销毁仅将密钥标记为已销毁，密钥材料仍留在设备中且仍可使用',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.3.k' }],
  },
  {
    name: 'rotation-breaks-old-ciphertext',
    summary: 'rotation overwrites the key material in place, so data encrypted under earlier versions can no longer be decrypted',
    summaryZh: '密钥轮转原地覆盖密钥材料，此前版本加密的数据无法再解密',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.3.f' }, { std: 'TTCGIA0003-2023', clause: '6.5.3.g' }],
  },
  {
    name: 'key-state-not-enforced',
    summary: 'the key state is recorded but not enforced: suspended, deactivated, archived or pending-destruction keys still encrypt and sign',
    summaryZh: '密钥状态只记录不执行：冻结、停用、归档或待销毁的密钥仍可加密和签名',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.2.c' }, { std: 'TTCGIA0003-2023', clause: '6.5.3.h' }, { std: 'TTCGIA0003-2023', clause: '6.5.3.k' }],
  },
  {
    name: 'auto-rotation-ignored',
    summary: 'a rotation period can be configured but the key is never rotated automatically',
    summaryZh: '可以配置轮转周期，但密钥从不自动轮转',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.3.g' }],
  },
  {
    name: 'backup-threshold-ignored',
    summary: 'key backup gives every custodian the whole backup key, so a single share restores the key (no knowledge splitting)',
    summaryZh: '密钥备份把完整备份密钥交给每个保管人，单个分量即可恢复密钥（未做知识拆分）',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.3.i' }],
  },
  {
    name: 'audit-no-integrity',
    summary: 'audit checkpoints are bare SM3 digests instead of SM2 signatures, and verification accepts edited records',
    summaryZh: '审计检查点仅为 SM3 摘要而非 SM2 签名，完整性校验接受被修改的记录',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.7.a' }, { std: 'TTCGIA0003-2023', clause: '6.5.7.b' }],
  },
  {
    name: 'audit-misses-refusals',
    summary: 'refused requests (authorisation, key usage, key state) leave no audit record',
    summaryZh: '被拒绝的请求（授权、密钥用途、密钥状态）不产生审计记录',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.7.c' }],
  },
  {
    name: 'no-tenant-isolation',
    summary: 'a key id from another application is accepted: applications can use each other\'s keys',
    summaryZh: '接受其他应用的密钥标识：应用之间可以互相使用密钥',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.8.c' }, { std: 'TTCGIA0003-2023', clause: '6.4.g' }],
  },
  {
    name: 'policy-not-enforced',
    summary: 'per-application access-control policies are stored but not enforced',
    summaryZh: '应用访问控制策略可配置但不生效',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.4.b' }],
  },
  {
    name: 'single-factor-admin',
    summary: 'administrator login asks for the SM2 challenge signature but accepts any signature: the password alone suffices',
    summaryZh: '管理员登录要求 SM2 挑战签名但不验证：仅凭口令即可登录',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.6.b' }],
  },
  {
    name: 'no-role-separation',
    summary: 'conflicting administrator roles can be combined and role checks on administration routes are skipped',
    summaryZh: '可给同一管理员分配相互冲突的角色，管理接口不检查角色',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.4.g' }],
  },
  {
    name: 'unhealthy-device-scheduled',
    summary: 'the scheduler ignores device health: new keys are still placed on a device the health check took offline',
    summaryZh: '调度不考虑设备健康状态：健康检测已下线的设备仍被分配新密钥',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.1.4.a' }, { std: 'TTCGIA0003-2023', clause: '6.1.3.a' }],
  },
  {
    name: 'sdf-wrong-error-code',
    summary: 'the SDF device endpoint reports every failure as SDR_UNKNOWERR instead of the specific GM/T 0018 Annex A code',
    summaryZh: 'SDF 设备接口对所有失败都返回 SDR_UNKNOWERR，而非 GM/T 0018 附录 A 规定的具体错误码',
    violates: ['6.2', '6.2.7', '6.2.8', '6.3.7', '6.3.9', '6.3.12', '6.3.15', '6.4.5', '6.4.6', '6.4.10', '6.5', '6.6.5', '6.7.2', 'A'].map((clause) => ({ std: 'GMT0018', clause })),
  },
  {
    name: 'sdf-ecc-cipher-layout',
    summary: 'the SDF device endpoint writes ECCCipher C1 coordinates left-aligned in their 64-byte arrays (GM/T 0018 requires right-aligned)',
    summaryZh: 'SDF 设备接口输出的 ECCCipher 中 C1 坐标在 64 字节数组中左对齐（GM/T 0018 要求右对齐）',
    violates: ['5.7', '6.3.9', '6.4.8'].map((clause) => ({ std: 'GMT0018', clause })),
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
