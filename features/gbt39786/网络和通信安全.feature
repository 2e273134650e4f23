# language: zh-CN
@std:GBT39786-2021 @probe:net @method:test
功能: 网络和通信安全与远程管理通道（GB/T 39786-2021 8.2、8.3 b）
  对测评配置中每个网络区域开放的每个服务：识别协议；国际 TLS 服务检查协议版本、套件与证书算法；
  声明为 TLCP 的端口做 GB/T 38636 握手并验证服务端证书；管理接口不得使用明文协议。
  对象为网络区域（测评对象"通信信道"按区域汇总）。

  @clause:8.3.b @unit:6.3.2 @dak:D @dim:有效性 @severity:high @level:3 @level:4
  场景: 远程管理通道不使用明文协议
    当 扫描测评配置中每个网络区域的主机端口
    那么 管理接口不应使用 telnet、FTP 或明文 HTTP 等明文协议

  @clause:8.2.a @unit:6.2.1 @unit:6.2.2 @unit:6.2.3 @unit:6.3.2 @dak:D @dak:A @dim:有效性 @severity:high @level:1 @level:2 @level:3 @level:4
  场景: 管理通道以 TLCP（SM2/SM4/SM3）建立，通信实体身份经证书鉴别
    当 扫描测评配置中每个网络区域的主机端口
    那么 声明为 TLCP 的端口应完成 GB/T 38636 握手并验证服务端证书

  @clause:8.2.c @unit:6.2.3 @dak:A @dim:合规性 @severity:high @level:1 @level:2 @level:3 @level:4
  场景: 不使用 SSL 3.0 与 TLS 1.0 等高风险协议版本
    当 扫描测评配置中每个网络区域的主机端口
    那么 国际 TLS 服务不应接受 SSL 3.0 或 TLS 1.0

  @clause:8.2.a @unit:6.2.1 @dak:A @dim:合规性 @severity:high @level:1 @level:2 @level:3 @level:4
  场景: 通信实体证书不使用弱算法或短密钥
    当 扫描测评配置中每个网络区域的主机端口
    那么 通信实体证书不应使用 RSA 2048 位以下密钥、SHA-1 或 MD5
