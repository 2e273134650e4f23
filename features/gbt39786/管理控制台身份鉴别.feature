# language: zh-CN
@std:GBT39786-2021 @clause:8.4.a @unit:6.4.1 @dak:D @dim:有效性 @probe:web @method:test @level:1 @level:2 @level:3 @level:4
功能: 管理控制台的用户身份鉴别（GB/T 39786-2021 8.4 a）
  "应采用密码技术对登录用户进行身份鉴别，保证应用系统用户身份的真实性"。
  测评人员在无头 Chromium 中操作管理控制台；第二因子用测评人员持有的软智能密码钥匙（SM2 私钥文件）对挑战签名。

  @severity:high
  场景: 控制台登录须同时通过口令和 SM2 挑战应答
    当 测评人员在浏览器中以各管理角色登录管理控制台
    那么 只有同时通过口令和智能密码钥匙 SM2 挑战应答的登录才能进入控制台

  @severity:medium
  场景: 会话凭据受保护，退出即失效
    当 测评人员在浏览器中以各管理角色登录管理控制台
    那么 会话 Cookie 应设置 Secure、HttpOnly 和 SameSite，退出后原会话应失效
