/** Server-rendered HTML of the administrator console: no script, no external resource. */

export const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:0;background:#f4f6f8;color:#1d2733}
header{background:#1f3a5f;color:#fff;padding:10px 20px;display:flex;justify-content:space-between;align-items:center}
header h1{font-size:18px;margin:0}nav#menu{background:#e3e9f0;padding:8px 20px}nav#menu a{margin-right:18px;color:#1f3a5f;text-decoration:none;font-weight:600}
main{padding:20px}table{border-collapse:collapse;background:#fff}td,th{border:1px solid #c9d3de;padding:4px 10px;font-size:13px;text-align:left}
.card{background:#fff;border:1px solid #c9d3de;padding:16px;margin-bottom:16px;max-width:640px}label{display:block;margin:8px 0 4px}
input,textarea,select{font:inherit;padding:4px;width:100%;box-sizing:border-box}button{margin-top:10px;padding:6px 16px;background:#1f3a5f;color:#fff;border:0}
code{word-break:break-all;background:#eef2f6;padding:2px 4px}.err{color:#b00020}.ok{color:#1b7f3b}`;

export function page(title: string, body: string, opts: { user?: { username: string; roles: string[] }; menus?: { id: string; zh: string; path: string }[] } = {}): string {
  const head = opts.user
    ? `<header><h1>密码服务平台 · 管理控制台</h1><div><span id="user">${esc(opts.user.username)}（${esc(opts.user.roles.join('、'))}）</span>
<form method="post" action="/logout" style="display:inline"><button id="logout" type="submit">退出</button></form></div></header>
<nav id="menu"><a data-menu="home" href="/">概览</a>${(opts.menus ?? []).map((m) => `<a data-menu="${esc(m.id)}" href="${esc(m.path)}">${esc(m.zh)}</a>`).join('')}</nav>`
    : `<header><h1>密码服务平台 · 管理控制台</h1></header>`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body>${head}<main><h2 id="title">${esc(title)}</h2>${body}</main></body></html>`;
}

export function table(headers: string[], rows: unknown[][], id: string): string {
  return `<table id="${esc(id)}"><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`;
}

export const loginForm = (error?: string) => page('管理员登录', `<div class="card">${error ? `<p class="err" id="error">${esc(error)}</p>` : ''}
<form method="post" action="/login"><label for="username">用户名</label><input id="username" name="username" autocomplete="username">
<label for="password">口令（第一因子）</label><input id="password" name="password" type="password" autocomplete="current-password">
<button id="login" type="submit">下一步</button></form></div>`);

export const mfaForm = (challenge: string, error?: string) => page('智能密码钥匙认证', `<div class="card">${error ? `<p class="err" id="error">${esc(error)}</p>` : ''}
<p>第二因子：请用智能密码钥匙对以下挑战值做 SM2 签名（SM3 杂凑，默认用户标识 1234567812345678，DER 编码，Base64）。
生产环境中由本机的钥匙代理程序自动完成；测评时由测评人员持有的软钥匙文件签名。</p>
<p>挑战值：<code id="challenge">${esc(challenge)}</code></p>
<form method="post" action="/login/mfa"><label for="signature">SM2 签名（Base64）</label><textarea id="signature" name="signature" rows="3"></textarea>
<button id="verify" type="submit">登录</button></form></div>`);
