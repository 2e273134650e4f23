# language: zh-CN
@std:GMT0018 @probe:sdf @method:test
功能: 密码设备应用接口符合 GM/T 0018（SDF）
  GM/T 0018-2012/2023《密码设备应用接口规范》规定了密码设备的函数、数据结构和返回码（附录 A）。
  平台标准要求资源池中的每台密码设备都符合 GM/T 0018。每个场景对测评配置中的每个设备对象（sdf 适配器：
  厂商的动态库，或设备的网络接口）执行一组检查：已知答案、独立实现（lib/gm）交叉验证，以及错误路径
  （无效句柄、不存在的密钥索引、错误长度、未获取私钥使用权限）必须返回正确的 SDR_* 返回码。

  背景:
    假如 被测对象为各 SDF 密码设备

  @clause:6.2 @dim:合规性 @severity:medium
  场景: 设备管理：设备信息结构与会话句柄
    当 对该设备执行 GM/T 0018 检查组"device-info, session"
    那么 该组每项检查的返回码和结果都应符合 GM/T 0018

  @clause:6.2.7 @dim:正确性 @severity:high
  场景: 产生随机数：长度准确、不重复、通过随机性筛查，长度为 0 时拒绝
    当 对该设备执行 GM/T 0018 检查组"random"
    那么 该组每项检查的返回码和结果都应符合 GM/T 0018

  @clause:6.2.8 @dim:有效性 @severity:high
  场景: 未获取私钥使用权限、口令错误或权限释放后不能使用私钥
    当 对该设备执行 GM/T 0018 检查组"access-right"
    那么 该组每项检查的返回码和结果都应符合 GM/T 0018

  @clause:6.3.7 @dim:合规性 @severity:medium
  场景: 导出的签名公钥和加密公钥结构正确（ECCrefPublicKey 右对齐）
    当 对该设备执行 GM/T 0018 检查组"export-public-key"
    那么 该组每项检查的返回码和结果都应符合 GM/T 0018

  @clause:6.3.9 @dim:正确性 @severity:high
  场景: 以 ECC 公钥包装生成的会话密钥可被正确导入和使用
    当 对该设备执行 GM/T 0018 检查组"key-ecc"
    那么 该组每项检查的返回码和结果都应符合 GM/T 0018

  @clause:6.3.12 @dim:正确性 @severity:high
  场景: ECC 密钥协商的结果与 GB/T 32918.3 独立实现一致
    当 对该设备执行 GM/T 0018 检查组"key-agreement"
    那么 该组每项检查的返回码和结果都应符合 GM/T 0018

  @clause:6.3.15 @dim:有效性 @severity:high
  场景: 密钥加密密钥包装的会话密钥可导入，销毁后不能再用
    当 对该设备执行 GM/T 0018 检查组"key-kek"
    那么 该组每项检查的返回码和结果都应符合 GM/T 0018

  @clause:6.4.5 @dim:正确性 @severity:high
  场景: ECC 验证接受有效签名、拒绝篡改的签名
    当 对该设备执行 GM/T 0018 检查组"sm2-verify"
    那么 该组每项检查的返回码和结果都应符合 GM/T 0018

  @clause:6.4.6 @dim:正确性 @severity:high
  场景: 内部私钥 ECC 签名可由独立实现验证
    当 对该设备执行 GM/T 0018 检查组"sm2-sign"
    那么 该组每项检查的返回码和结果都应符合 GM/T 0018

  @clause:6.4.8 @dim:正确性 @severity:high
  场景: ECC 加密输出的 ECCCipher 结构正确且可由独立实现解密
    当 对该设备执行 GM/T 0018 检查组"sm2-encrypt"
    那么 该组每项检查的返回码和结果都应符合 GM/T 0018

  @clause:6.4.10 @dim:正确性 @severity:high
  场景: 内部私钥 ECC 解密独立实现加密的数据，拒绝篡改的密文
    当 对该设备执行 GM/T 0018 检查组"sm2-decrypt"
    那么 该组每项检查的返回码和结果都应符合 GM/T 0018

  @clause:6.5 @dim:正确性 @severity:high
  场景: SM4 对称运算与 MAC 符合 GB/T 32907 示例，错误的长度、模式和算法被拒绝
    当 对该设备执行 GM/T 0018 检查组"sm4, sm4-mac"
    那么 该组每项检查的返回码和结果都应符合 GM/T 0018

  @clause:6.6.5 @dim:正确性 @severity:high
  场景: SM3 杂凑（含 Z 值）符合 GB/T 32905，步骤错误返回 SDR_STEPERR
    当 对该设备执行 GM/T 0018 检查组"sm3"
    那么 该组每项检查的返回码和结果都应符合 GM/T 0018

  @clause:6.7.2 @dim:合规性 @severity:medium
  场景: 用户文件的创建、读写、越界与删除
    当 对该设备执行 GM/T 0018 检查组"file"
    那么 该组每项检查的返回码和结果都应符合 GM/T 0018
