# language: zh-CN
@std:GBT38636-2020 @probe:tlcp @method:test
功能: 传输层密码协议（TLCP）一致性（GB/T 38636-2020）
  GB/T 38636-2020 规定了 TLCP 的记录层协议（6.3）与握手协议族（6.4：报警协议 6.4.3、握手协议 6.4.5）。
  测评工具以 TLCP 一致性探测器与每个 TLCP 通道进行一组会话（每组是一串消息及对服务端应答的预期，首尾各做一次完整握手），
  逐项判定；每次会话的记录与握手消息（十六进制与解码）作为证据保存。
  条款号按公开资料引用，待与标准原文核对（docs/tlcp.md）。

  背景:
    假如 被测对象为各 TLCP 通道
    当 用 TLCP 一致性探测器与该通道完成全部会话

  @clause:6.4.5 @dim:合规性 @severity:high
  场景: 只协商国密密码套件和 TLCP 协议版本 0x0101
    那么 以下 TLCP 检查项应通过："hello、suites、non-gm-refused、versions"

  @clause:6.4.5 @dim:正确性 @severity:high
  场景: 服务端出示签名证书与加密证书，ServerKeyExchange 签名可用签名证书验证
    那么 以下 TLCP 检查项应通过："certificates、chain、ske-signature"

  @clause:6.4.5 @dim:有效性 @severity:high
  场景: 篡改的 Finished 与意外消息被拒绝，不接受重协商，会话恢复与客户端鉴别行为正确
    那么 以下 TLCP 检查项应通过："finished、unexpected-message、renegotiation、resumption、client-auth、forms、sanity-last"

  @clause:6.3 @dim:有效性 @severity:high
  场景: 记录层：篡改或截断的记录以 bad_record_mac 关闭，CBC IV 与 GCM 显式 nonce 不重复
    那么 以下 TLCP 检查项应通过："bad-record-mac、truncated-record、explicit-iv"
