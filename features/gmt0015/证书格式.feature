# language: zh-CN
@std:GMT0015 @probe:cert @method:test
功能: 数字证书格式（GM/T 0015）
  测评中遇到的每张证书（目前为各 TLCP 通道在握手中出示的签名证书、加密证书与 CA 证书）都用 lib/lint 按 GM/T 0015
  与 RFC 5280 检查；签名证书与加密证书按其在 Certificate 消息中的位置判定类型。error/fatal 判为不符合，warn/notice 记入观察结果。

  背景:
    假如 被测对象为各 TLCP 通道出示的证书
    当 取得该通道在握手中出示的证书并按 GM/T 0015 检查

  @clause:A.2 @dim:合规性 @severity:high
  场景: 证书使用 SM2 公钥与 SM2-with-SM3 签名，有效期编码正确
    那么 证书的"SM2 公钥与 SM2-with-SM3 签名算法"检查不应有错误级问题
    而且 证书的"有效期编码与范围"检查不应有错误级问题

  @clause:C.4 @dim:正确性 @severity:high
  场景: 签名证书与加密证书的密钥用法分离，双证书配对正确
    那么 证书的"签名证书的密钥用法"检查不应有错误级问题
    而且 证书的"加密证书的密钥用法与双证书配对"检查不应有错误级问题

  @clause:C @dim:合规性 @severity:medium
  场景: 证书扩展（基本限制、密钥标识、分发点等）符合证书类型
    那么 证书的"证书扩展（基本限制、密钥标识、分发点等）"检查不应有错误级问题
