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
    // an unverified request MAC also means no integrity protection of business data in transit (GB/T 39786 8.4 f, unit 6.4.6)
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.2.b' }, { std: 'TTCGIA0003-2023', clause: '6.4.g' }, { std: 'GBT39786-2021', clause: '8.4.f' }],
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
    // key material is the application's important data: in clear on the wire breaks GB/T 39786 8.4 d (unit 6.4.4)
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.3.d' }, { std: 'GBT39786-2021', clause: '8.4.d' }],
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
    // the platform's log is the device's log record: GB/T 39786 8.3 e (unit 6.3.5) fails with it
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.7.a' }, { std: 'TTCGIA0003-2023', clause: '6.5.7.b' }, { std: 'GBT39786-2021', clause: '8.3.e' }],
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
    // the console shares the administrators' login, so its two-factor check (GB/T 39786 8.4.a) fails too
    // ... and so does the login to the platform server itself (GB/T 39786 8.3.a, unit 6.3.1)
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.6.b' }, { std: 'GBT39786-2021', clause: '8.4.a' }, { std: 'GBT39786-2021', clause: '8.3.a' }],
  },
  {
    name: 'acl-no-integrity',
    summary: 'application access-control policies are obeyed as stored: their HMAC-SM3 is never checked, so an edited policy row grants what it says',
    summaryZh: '应用访问控制策略按存储内容直接生效，不校验其 HMAC-SM3：被改写的策略记录照样放行',
    violates: [{ std: 'GBT39786-2021', clause: '8.4.b' }],
  },
  {
    name: 'no-role-separation',
    summary: 'conflicting administrator roles can be combined and role checks on administration routes are skipped',
    summaryZh: '可给同一管理员分配相互冲突的角色，管理接口不检查角色',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.4.g' }, { std: 'LICENCE-CA', clause: '三.7.5' }, { std: 'LICENCE-KM', clause: '三.5.3.6' }],
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
  // --- network zoning and the administrators' console (docs/network.md, docs/console.md) ---
  {
    name: 'mgmt-port-in-service-zone',
    summary: 'the administrators\' console also answers, in plain HTTP, on the service-zone address',
    summaryZh: '管理控制台同时在服务区地址上以明文 HTTP 提供访问',
    violates: [{ std: 'LICENCE-CA', clause: '三.3.3' }, { std: 'GBT39786-2021', clause: '8.3.b' }],
  },
  {
    name: 'telnet-admin-open',
    summary: 'a telnet maintenance shell (port 2323) is left open on the service-zone address',
    summaryZh: '服务区地址上遗留 telnet 运维登录端口（2323）',
    violates: [{ std: 'LICENCE-CA', clause: '三.3.3' }, { std: 'GBT39786-2021', clause: '8.3.b' }],
  },
  {
    name: 'tls10-enabled',
    summary: 'an international-TLS admin port (8443) on the service-zone address still offers TLS 1.0, with an RSA-1024 certificate signed with SHA-1',
    summaryZh: '服务区地址上的国际 TLS 管理端口（8443）仍提供 TLS 1.0，证书为 RSA-1024、SHA-1 签名',
    violates: [{ std: 'LICENCE-CA', clause: '三.3.3' }, { std: 'GBT39786-2021', clause: '8.2.a' }, { std: 'GBT39786-2021', clause: '8.2.c' }],
  },
  {
    name: 'console-mgmt-plaintext',
    summary: 'the console\'s management-zone listener speaks plain HTTP instead of TLCP',
    summaryZh: '管理区的控制台端口使用明文 HTTP 而非 TLCP',
    violates: [{ std: 'GBT39786-2021', clause: '8.2.a' }, { std: 'GBT39786-2021', clause: '8.3.b' }, { std: 'TTCGIA0003-2023', clause: '6.4.c' }],
  },
  {
    name: 'console-single-factor',
    summary: 'the console opens a session after the password alone; the SM2 smart-key challenge is never asked for',
    summaryZh: '管理控制台仅凭口令即建立会话，从不要求智能密码钥匙的 SM2 挑战应答',
    violates: [{ std: 'GBT39786-2021', clause: '8.4.a' }, { std: 'TTCGIA0003-2023', clause: '6.5.6.b' }],
  },
  {
    name: 'console-menu-leak',
    summary: 'the console shows every menu to every role and does not check roles on pages and operations',
    summaryZh: '管理控制台向所有角色显示全部菜单，页面和操作不检查角色',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.4.g' }],
  },
  {
    name: 'console-logout-noop',
    summary: 'console logout only clears the browser cookie: the server-side session stays valid',
    summaryZh: '管理控制台退出只清除浏览器 Cookie，服务器端会话仍然有效',
    violates: [{ std: 'GBT39786-2021', clause: '8.4.a' }],
  },
  {
    name: 'console-leaks-secret',
    summary: 'the console\'s applications page shows each application\'s HMAC-SM3 secret in clear',
    summaryZh: '管理控制台的接入应用页面明文显示各应用的 HMAC-SM3 密钥',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.4.d' }],
  },
  // --- device groups, interfaces, integrity, supervision (issue 3; docs/platform.md) ---
  {
    name: 'group-isolation-broken',
    summary: 'every device group uses one platform-wide sync key, key sync blobs carry the key in clear with a bare SM3 digest, and a blob of one group is accepted by another',
    summaryZh: '所有设备分组共用一把平台级同步密钥，密钥同步数据以明文加 SM3 摘要传送，且一个分组的同步数据可被另一个分组接收',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.1.2.c' }, { std: 'TTCGIA0003-2023', clause: '6.1.2.d' }],
  },
  {
    name: 'group-membership-ignored',
    summary: 'group membership and dedicated devices are recorded but key placement ignores them: an application\'s keys land on any device of the pool',
    summaryZh: '分组成员与独立使用的设备只做记录，密钥分配不受其约束：应用的密钥可落到资源池中任一设备',
    // a key placed outside its group cannot be synchronised inside the group either
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.1.2.b' }, { std: 'TTCGIA0003-2023', clause: '6.1.3.c' }, { std: 'TTCGIA0003-2023', clause: '6.1.2.d' }],
  },
  {
    name: 'deprecated-interface-served',
    summary: 'interface lifecycle states are recorded but not enforced: deprecated and unpublished interfaces keep serving',
    summaryZh: '接口生命周期状态只记录不执行：已废弃、未发布的接口仍然提供服务',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.4.f' }],
  },
  {
    name: 'interface-calls-uncounted',
    summary: 'interface monitoring counts only successful calls: refused calls disappear from the per-interface statistics',
    summaryZh: '接口监控只统计成功的调用：被拒绝的调用不出现在各接口的统计中',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.4.h' }],
  },
  {
    name: 'integrity-check-skipped',
    summary: 'the software/configuration integrity check shows the signed manifest but never recomputes anything: altered files are reported OK',
    summaryZh: '软件与配置完整性校验只展示签名清单而不重新计算：被改动的文件仍报告为完好',
    // the platform's software is its important executable programs: GB/T 39786 8.3 f (unit 6.3.6)
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.5.a' }, { std: 'GBT39786-2021', clause: '8.3.f' }],
  },
  {
    name: 'supervision-unsigned',
    summary: 'supervision reports carry a bare SM3 digest instead of an SM2 signature and are sent without a digital envelope (in clear)',
    summaryZh: '监管上报数据只附 SM3 摘要而非 SM2 签名，且不经数字信封保护（明文传送）',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.10.a' }, { std: 'TTCGIA0003-2023', clause: '6.5.10.b' }],
  },
  // --- CA / RA / KM / OCSP / TSA (docs/ca-km.md) ---
  {
    name: 'ca-enc-cert-sign-keyusage',
    summary: 'the CA issues encryption certificates whose keyUsage also asserts digitalSignature (GM/T 0015 Annex C.4: encipherment only)',
    summaryZh: 'CA 签发的加密证书密钥用法中含数字签名（GM/T 0015 附录 C.4 要求加密证书只含加密用途）',
    violates: [{ std: 'GMT0034', clause: '12.1' }],
  },
  {
    name: 'ra-csr-pop-unchecked',
    summary: 'the RA accepts a PKCS#10 request without verifying its SM2 signature: no proof of possession of the signing key',
    summaryZh: 'RA 不验证 PKCS#10 证书请求的 SM2 签名：未证明申请者持有签名私钥',
    violates: [{ std: 'GMT0034', clause: '12.1' }],
  },
  {
    name: 'ra-self-approval',
    summary: 'an RA reviewer may approve a certificate request they entered themselves (no dual control)',
    summaryZh: 'RA 审核员可以审核通过自己录入的证书申请（无双人控制）',
    violates: [{ std: 'LICENCE-CA', clause: '二.4.5.2' }],
  },
  {
    name: 'ca-update-old-cert-valid',
    summary: 'certificate update (re-key) issues the new pair but leaves the superseded certificates valid',
    summaryZh: '证书更新签发新证书后，被替代的旧证书仍然有效',
    violates: [{ std: 'GMT0034', clause: '12.2' }],
  },
  {
    name: 'unhold-without-hold',
    summary: 'release (解冻) answers success for a certificate that was never on hold',
    summaryZh: '对未冻结的证书执行解冻仍返回成功',
    violates: [{ std: 'GMT0034', clause: '12.7' }],
  },
  {
    name: 'crl-not-updated-on-revoke',
    summary: 'revocation and hold change the certificate status but the CRL is only reissued at the end of its period',
    summaryZh: '撤销与冻结只改变证书状态，CRL 要到周期结束才重新签发',
    violates: [{ std: 'GMT0034', clause: '12.3' }, { std: 'GMT0034', clause: '12.6' }, { std: 'LICENCE-CA', clause: '二.3.1.3' }],
  },
  {
    name: 'ocsp-good-for-unknown',
    summary: 'the OCSP responder answers good for a serial number the CA never issued',
    summaryZh: 'OCSP 对 CA 从未签发的序列号回答 good',
    violates: [{ std: 'LICENCE-CA', clause: '二.3.3' }],
  },
  {
    name: 'ca-enc-key-not-from-km',
    summary: 'the CA generates the encryption key pair itself and envelopes it to the subscriber instead of using the key the KM generated and escrowed for that certificate',
    summaryZh: 'CA 自行生成加密密钥对并以数字信封交付订户，未使用密钥管理中心为该证书生成并托管的密钥',
    // the escrowed key is not the certificate's, so judicial recovery (7.3) hands out a key that decrypts nothing
    violates: [{ std: 'GMT0038', clause: '7.6' }, { std: 'GMT0038', clause: '7.3' }],
  },
  {
    name: 'ocsp-responder-id-names-ca',
    summary: 'OCSP responses name the issuing CA in responderID (byName) while the delegated OCSP responder key signs them (RFC 6960 §4.2.2.3)',
    summaryZh: 'OCSP 响应的响应者标识（byName）写的是签发 CA，实际却由授权的 OCSP 响应器密钥签名（违反 RFC 6960 §4.2.2.3）',
    violates: [{ std: 'LICENCE-CA', clause: '二.3.3' }],
  },
  {
    name: 'km-escrow-plaintext',
    summary: 'the KM stores escrowed encryption private keys in clear in its database',
    summaryZh: '密钥管理中心以明文在数据库中保存托管的加密私钥',
    violates: [{ std: 'GMT0038', clause: '7.6' }],
  },
  {
    name: 'km-judicial-single-approval',
    summary: 'a judicial key recovery is released after a single approval instead of two distinct approvers',
    summaryZh: '司法取证密钥恢复只需一人批准即可执行（应为两名不同管理员）',
    violates: [{ std: 'GMT0038', clause: '7.3' }],
  },
  {
    name: 'tsa-no-nonce-echo',
    summary: 'the TSA drops the requester\'s nonce from TSTInfo (RFC 3161 §2.4.2 requires it echoed)',
    summaryZh: '时间戳服务未在 TSTInfo 中回送请求的随机数（RFC 3161 §2.4.2 要求回送）',
    violates: [{ std: 'GMT0037', clause: '8.14' }],
  },
  {
    name: 'emergency-destroy-no-approval',
    summary: 'an application\'s emergency-destroy request destroys the key at once, without the M-of-N approval (KEY_EMERGENCY_DESTROY)',
    summaryZh: '应用提出紧急销毁申请即立即销毁密钥，未经多人审批（KEY_EMERGENCY_DESTROY）',
    violates: [{ std: 'TTCGIA0003-2023', clause: '6.5.3.k' }],
  },
  {
    name: 'tsa-cert-eku-not-critical',
    summary: 'the TSA certificate carries id-kp-timeStamping in a non-critical extKeyUsage (RFC 3161 §2.3 requires it critical)',
    summaryZh: '时间戳服务证书的扩展密钥用法 id-kp-timeStamping 未标为关键（RFC 3161 §2.3 要求关键）',
    violates: [{ std: 'GMT0037', clause: '8.14' }],
  },
  {
    name: 'tsa-wrong-hash',
    summary: 'the TSA puts SM3(imprint) into TSTInfo.messageImprint instead of the imprint requested: the token does not bind the data',
    summaryZh: '时间戳服务在 TSTInfo 中写入的是所提交杂凑值的 SM3 而非所提交的杂凑值本身：时间戳未绑定被盖戳的数据',
    violates: [{ std: 'GMT0037', clause: '8.14' }],
  },
  {
    name: 'ldap-anonymous-write',
    summary: 'the LDAP directory accepts add / modify / delete from anonymous (and unauthenticated-bind) connections, not only from the publisher',
    summaryZh: '目录服务（LDAP）接受匿名连接（含未认证绑定）的添加、修改、删除，而不是只允许发布者写入',
    violates: [{ std: 'LICENCE-CA', clause: '三.6.2.1' }],
  },
  {
    name: 'ldap-stale-entry',
    summary: 'the CA publishes its first CRL to the LDAP directory and never replaces it: revocations reach HTTP and OCSP but not the directory',
    summaryZh: 'CA 只向目录服务发布第一份 CRL，之后不再更新：撤销在 HTTP CRL 与 OCSP 中可见，目录中却仍是旧 CRL',
    violates: [{ std: 'LICENCE-CA', clause: '二.6.2.6' }],
  },
  // TLCP listener (GB/T 38636-2020) and its certificates (GM/T 0015): reference-platform/tlcp-listener, docs/tlcp.md
  {
    name: 'tlcp-accepts-rsa-suite',
    summary: 'the TLCP listener also selects TLS_RSA_WITH_AES_128_CBC_SHA (0x002F) when a client offers it',
    summaryZh: 'TLCP 监听在客户端提供时也会选择非国密套件 TLS_RSA_WITH_AES_128_CBC_SHA（0x002F）',
    violates: [{ std: 'GBT38636-2020', clause: '6.4.5' }, ...['8.2.a', '8.2.b', '8.2.c', '8.3.b'].map((clause) => ({ std: 'GBT39786-2021', clause }))],
  },
  {
    name: 'tlcp-no-finished-check',
    summary: 'the TLCP listener does not compare the client Finished verify_data: a tampered handshake completes',
    summaryZh: 'TLCP 监听不校验客户端 Finished 的 verify_data：被篡改的握手仍能完成',
    violates: [{ std: 'GBT38636-2020', clause: '6.4.5' }, ...['8.2.b', '8.3.b'].map((clause) => ({ std: 'GBT39786-2021', clause }))],
  },
  {
    name: 'tlcp-static-iv',
    summary: 'the TLCP listener sends every protected record with the same all-zero CBC IV / GCM explicit nonce',
    summaryZh: 'TLCP 监听发送的每条受保护记录都使用相同的全零 CBC IV / GCM 显式 nonce',
    violates: [{ std: 'GBT38636-2020', clause: '6.3' }, { std: 'GBT39786-2021', clause: '8.2.c' }],
  },
  {
    name: 'tlcp-ske-wrong-z',
    summary: 'the TLCP listener signs ServerKeyExchange with an empty SM2 user ID (wrong Z): conformant clients cannot authenticate the server',
    summaryZh: 'TLCP 监听用空的 SM2 用户标识签名 ServerKeyExchange（Z 值错误）：符合标准的客户端无法鉴别服务端身份',
    violates: [{ std: 'GBT38636-2020', clause: '6.4.5' }, ...['8.2.a', '8.3.b'].map((clause) => ({ std: 'GBT39786-2021', clause }))],
  },
  {
    name: 'tlcp-enc-cert-as-sign',
    summary: 'the TLCP listener presents its signing certificate (and uses its signing key) in the encryption certificate position',
    summaryZh: 'TLCP 监听在加密证书位置出示签名证书（并以签名密钥作加密密钥）',
    violates: [{ std: 'GBT38636-2020', clause: '6.4.5' }, ...['8.2.a', '8.2.c'].map((clause) => ({ std: 'GBT39786-2021', clause })), { std: 'GMT0015', clause: 'C.4' }],
  },
  {
    name: 'cert-enc-keyusage-sign',
    summary: 'the TLCP server encryption certificate is issued with keyUsage digitalSignature instead of keyEncipherment/dataEncipherment/keyAgreement',
    summaryZh: 'TLCP 服务端加密证书的密钥用法为 digitalSignature，而非 keyEncipherment/dataEncipherment/keyAgreement',
    violates: [{ std: 'GMT0015', clause: 'C.4' }, { std: 'GBT38636-2020', clause: '6.4.5' }, ...['8.2.a', '8.2.c'].map((clause) => ({ std: 'GBT39786-2021', clause }))],
  },
  {
    name: 'cert-ee-is-ca',
    summary: 'the TLCP server end-entity certificates carry basicConstraints cA=TRUE',
    summaryZh: 'TLCP 服务端终端实体证书带有 basicConstraints cA=TRUE',
    violates: [{ std: 'GMT0015', clause: 'C' }],
  },
  {
    name: 'cert-validity-generalizedtime',
    summary: 'the TLCP server certificates encode validity dates before 2050 as GeneralizedTime instead of UTCTime',
    summaryZh: 'TLCP 服务端证书把 2050 年前的有效期编码为 GeneralizedTime 而非 UTCTime',
    violates: [{ std: 'GMT0015', clause: 'A.2' }],
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
