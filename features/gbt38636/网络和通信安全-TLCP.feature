# language: zh-CN
@std:GBT39786-2021 @probe:tlcp @method:test @level:3
功能: 网络和通信安全中使用 TLCP 的测评单元（GB/T 39786-2021 第三级 8.2、8.3 b）
  对每个 TLCP 通道（远程管理单元只对标记为管理通道的对象），以 TLCP 一致性探测器的结果判定：
  通信实体身份鉴别（6.2.1）、通信数据完整性（6.2.2）、通信过程中重要数据的机密性（6.2.3）、远程管理通道安全（6.3.2）。
  D = 密码技术是否有效实现要求，A = 算法与技术合规，K = 密钥管理。

  @clause:8.2.a @unit:6.2.1 @dak:D @dim:有效性 @severity:high
  场景: 通信前基于 SM2 数字证书鉴别服务端身份
    假如 被测对象为各 TLCP 通道
    当 用 TLCP 一致性探测器与该通道完成全部会话
    那么 以下 TLCP 检查项应通过："certificates、chain、ske-signature"

  @clause:8.2.a @unit:6.2.1 @dak:A @dim:合规性 @severity:high
  场景: 身份鉴别只使用国密算法（SM2 证书、国密密码套件）
    假如 被测对象为各 TLCP 通道
    当 用 TLCP 一致性探测器与该通道完成全部会话
    那么 以下 TLCP 检查项应通过："non-gm-refused、suites"

  @clause:8.2.b @unit:6.2.2 @dak:D @dim:有效性 @severity:high
  场景: 通信数据的完整性受保护：篡改的握手与记录都被检测并断开
    假如 被测对象为各 TLCP 通道
    当 用 TLCP 一致性探测器与该通道完成全部会话
    那么 以下 TLCP 检查项应通过："finished、bad-record-mac、truncated-record"

  @clause:8.2.b @unit:6.2.2 @dak:A @dim:合规性 @severity:high
  场景: 完整性保护只使用国密算法（HMAC-SM3 或 SM4-GCM）
    假如 被测对象为各 TLCP 通道
    当 用 TLCP 一致性探测器与该通道完成全部会话
    那么 以下 TLCP 检查项应通过："non-gm-refused、versions"

  @clause:8.2.c @unit:6.2.3 @dak:D @dim:有效性 @severity:high
  场景: 通信数据以 SM4 加密传输，记录的 IV 与 nonce 不重复
    假如 被测对象为各 TLCP 通道
    当 用 TLCP 一致性探测器与该通道完成全部会话
    那么 以下 TLCP 检查项应通过："hello、explicit-iv"

  @clause:8.2.c @unit:6.2.3 @dak:A @dim:合规性 @severity:high
  场景: 机密性保护只使用国密算法（SM4）
    假如 被测对象为各 TLCP 通道
    当 用 TLCP 一致性探测器与该通道完成全部会话
    那么 以下 TLCP 检查项应通过："non-gm-refused、suites"

  @clause:8.2.c @unit:6.2.3 @dak:K @dim:有效性 @severity:high
  场景: 会话密钥经独立的 SM2 加密密钥建立，签名密钥与加密密钥分离
    假如 被测对象为各 TLCP 通道
    当 用 TLCP 一致性探测器与该通道完成全部会话
    那么 以下 TLCP 检查项应通过："certificates"

  @clause:8.3.b @unit:6.3.2 @dak:D @dim:有效性 @severity:high
  场景: 远程管理通道使用 TLCP，服务端身份可鉴别且握手完整性受保护
    假如 被测对象为各远程管理 TLCP 通道
    当 用 TLCP 一致性探测器与该通道完成全部会话
    那么 以下 TLCP 检查项应通过："hello、chain、ske-signature、finished"

  @clause:8.3.b @unit:6.3.2 @dak:A @dim:合规性 @severity:high
  场景: 远程管理通道只使用国密密码套件
    假如 被测对象为各远程管理 TLCP 通道
    当 用 TLCP 一致性探测器与该通道完成全部会话
    那么 以下 TLCP 检查项应通过："non-gm-refused"
