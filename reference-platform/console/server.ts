import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { PlatformContext } from '../context.ts';
import type { Role } from '../admin/admins.ts';
import { ApiError } from '../api/errors.ts';
import { createTlcpServer } from '../tlcp-listener/server.ts';
import { issueConsoleCertificates } from './certs.ts';
import { ACTIONS, MENUS, mayOpen, menusFor } from './menus.ts';
import { esc, loginForm, mfaForm, page, table } from './pages.ts';

/**
 * The administrators' web console (T/TCGIA 0003-2023 §6.4, §6.5.6 b; GB/T 39786 device/application identity
 * authentication): password, then an SM2 challenge–response with the administrator's smart key; dashboards for
 * resources, keys, certificates, applications, audit and users; menus and operations by role. Served over plain
 * HTTP on the evaluator's loopback address (the browser path) and over TLCP on the management-zone address.
 */
export interface ConsoleOptions {
  /** the browser-facing HTTP listener (loopback) */
  http?: { host: string; port: number };
  /** the management-zone listener, TLCP (GB/T 38636) — or plain HTTP with the console-mgmt-plaintext defect */
  tlcp?: { host: string; port: number };
  /** extra plain-HTTP listeners (defect mgmt-port-in-service-zone) */
  extraHttp?: { host: string; port: number }[];
  /** idle session lifetime (default 10 min) */
  sessionTtlMs?: number;
}

export interface RunningConsole {
  /** http://host:port of the browser listener */
  url?: string;
  /** host:port of the management-zone listener */
  tlcp?: string;
  /** the management channel's trust anchor (public) */
  caPem: string;
  extra: string[];
  close(): Promise<void>;
}

interface ConsoleSession { id: string; adminId: string; username: string; roles: Role[]; apiToken?: string; expiresAt: number }
const COOKIE = 'gmeval_console';
const MFA_COOKIE = 'gmeval_console_mfa';

export async function startConsole(ctx: PlatformContext, o: ConsoleOptions): Promise<RunningConsole> {
  const sessions = new Map<string, ConsoleSession>();
  const pending = new Map<string, { mfaToken: string; challenge: string; expiresAt: number }>();
  const ttl = o.sessionTtlMs ?? 10 * 60_000;
  const leak = () => ctx.defects.has('console-menu-leak');

  const cookieFlags = 'Path=/; HttpOnly; SameSite=Strict; Secure';
  const cookies = (req: IncomingMessage) => Object.fromEntries((req.headers.cookie ?? '').split(';').map((c) => c.trim().split('=')).filter((p) => p.length === 2).map(([k, v]) => [k!, v!]));
  const send = (res: ServerResponse, status: number, html: string, headers: Record<string, string | string[]> = {}) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'", ...headers });
    res.end(html);
  };
  const redirect = (res: ServerResponse, to: string, headers: Record<string, string | string[]> = {}) => {
    res.writeHead(303, { location: to, 'cache-control': 'no-store', ...headers });
    res.end();
  };
  const readForm = (req: IncomingMessage): Promise<URLSearchParams> => new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      body += d;
      if (body.length > 16_384) { reject(new ApiError(413, 'TOO_LARGE', 'form too large')); req.destroy(); }
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
  const sessionOf = (req: IncomingMessage): ConsoleSession | undefined => {
    const s = sessions.get(cookies(req)[COOKIE] ?? '');
    if (!s) return undefined;
    if (s.expiresAt < Date.now()) { sessions.delete(s.id); return undefined; }
    s.expiresAt = Date.now() + ttl;
    return s;
  };
  const newSession = (res: ServerResponse, a: { adminId: string; username: string; roles: Role[]; apiToken?: string }) => {
    const id = randomBytes(32).toString('base64url');
    sessions.set(id, { id, ...a, expiresAt: Date.now() + ttl });
    redirect(res, '/', { 'set-cookie': [`${COOKIE}=${id}; ${cookieFlags}; Max-Age=${Math.floor(ttl / 1000)}`, `${MFA_COOKIE}=; ${cookieFlags}; Max-Age=0`] });
  };
  const audit = (s: { username: string; roles: Role[] } | undefined, action: string, outcome: 'SUCCESS' | 'DENIED' | 'FAILED', details?: Record<string, unknown>) =>
    ctx.audit.append({ actor: s ? { type: 'admin', id: s.username, role: s.roles.join('+') } : { type: 'system', id: 'console' }, action, outcome, details: { channel: 'console', ...details } });

  const forbidden = (res: ServerResponse, s: ConsoleSession, what: string) => {
    audit(s, 'CONSOLE_ACCESS_DENIED', 'DENIED', { what });
    send(res, 403, page('权限不足', `<p class="err" id="forbidden">当前角色（${esc(s.roles.join('、'))}）无权${esc(what)}。</p>`, { user: s, menus: menusFor(s.roles, leak()) }));
  };

  const views: Record<string, (s: ConsoleSession) => string> = {
    resources: () => table(['设备', '型号', '厂商', '类型', '状态', '调用次数'], ctx.pool.list().map((d) => [d.info.id, d.info.model, d.info.vendor, d.info.type, d.info.state, d.calls]), 'devices'),
    keys: (s) => {
      const rows = ctx.db.prepare('SELECT id, app_id, name, type, state, device_id, primary_version FROM keys ORDER BY created_at DESC LIMIT 200').all() as Record<string, unknown>[];
      const apps = ctx.db.prepare("SELECT id, name FROM apps WHERE state = 'ACTIVE' ORDER BY created_at").all() as { id: string; name: string }[];
      const form = (leak() || ACTIONS['create-key']!.some((r) => s.roles.includes(r)))
        ? `<div class="card"><form method="post" action="/keys" id="create-key"><label for="app">应用</label><select id="app" name="appId">${apps.map((a) => `<option value="${esc(a.id)}">${esc(a.name)}</option>`).join('')}</select>
<label for="type">类型</label><select id="type" name="type"><option>SM4</option><option>SM2_SIGN</option><option>SM2_ENC</option></select><button type="submit">生成密钥</button></form></div>` : '';
      return form + table(['密钥', '应用', '名称', '类型', '状态', '设备', '版本'], rows.map((r) => [r.id, r.app_id, r.name ?? '', r.type, r.state, r.device_id, r.primary_version]), 'keys');
    },
    certificates: () => {
      const pub = ctx.audit.publicKey();
      const admins = ctx.db.prepare('SELECT username, roles, public_key FROM admins ORDER BY created_at').all() as { username: string; roles: string; public_key: Buffer }[];
      return `<p>审计检查点签名公钥（SM2）：<code>${esc(pub.toString('hex').slice(0, 32))}…</code></p>`
        + table(['管理员', '角色', '智能密码钥匙公钥（前 16 字节）'], admins.map((a) => [a.username, (JSON.parse(a.roles) as string[]).join('、'), `${Buffer.from(a.public_key).subarray(0, 16).toString('hex')}…`]), 'admin-keys');
    },
    apps: () => {
      const rows = ctx.db.prepare("SELECT a.id, a.name, a.tenant_id, c.access_key FROM apps a LEFT JOIN credentials c ON c.app_id = a.id AND c.state = 'ACTIVE' ORDER BY a.created_at").all() as { id: string; name: string; tenant_id: string; access_key: string | null }[];
      // defect console-leaks-secret: the page shows each application's HMAC-SM3 secret in clear
      const secret = (ak: string | null) => (ak && ctx.defects.has('console-leaks-secret') ? ctx.apps.credential(ak)?.secret.toString('utf8') ?? '' : '（已加密保存，不显示）');
      return table(['应用', '名称', '租户', 'AccessKey', '密钥（HMAC-SM3）'], rows.map((r) => [r.id, r.name, r.tenant_id, r.access_key ?? '', secret(r.access_key)]), 'apps');
    },
    audit: () => {
      const recs = ctx.audit.records({ limit: 1000 }).slice(-50).reverse();
      const cp = ctx.audit.checkpoint() as unknown as Record<string, unknown>;
      return `<p>最新检查点：树大小 ${esc(cp.treeSize)}，根 <code>${esc(String(cp.rootHash ?? '').slice(0, 24))}…</code></p>`
        + table(['序号', '记录'], recs.map((r) => [r.seq, r.entry]), 'audit');
    },
    users: () => table(['管理员', '角色', '状态'], (ctx.db.prepare('SELECT username, roles, state FROM admins ORDER BY created_at').all() as { username: string; roles: string; state: string }[]).map((a) => [a.username, (JSON.parse(a.roles) as string[]).join('、'), a.state]), 'users'),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://console');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    try {
      if (path === '/login' && method === 'GET') return send(res, 200, loginForm());
      if (path === '/login' && method === 'POST') {
        const f = await readForm(req);
        const username = f.get('username') ?? '';
        let r: ReturnType<typeof ctx.admins.login>;
        try {
          r = ctx.admins.login(username, f.get('password') ?? '');
        } catch (e) {
          audit(undefined, 'CONSOLE_LOGIN', 'FAILED', { username: username.slice(0, 64), factor: 'password' });
          return send(res, 401, loginForm('用户名或口令错误'));
        }
        if ('session' in r) return newSession(res, { adminId: r.session.adminId, username: r.session.username, roles: r.session.roles, apiToken: r.session.token });
        if (ctx.defects.has('console-single-factor')) {
          // defect console-single-factor: the password alone opens the console; the smart key is never asked for
          const row = ctx.db.prepare('SELECT id, roles FROM admins WHERE username = ?').get(username) as { id: string; roles: string };
          audit({ username, roles: JSON.parse(row.roles) as Role[] }, 'CONSOLE_LOGIN', 'SUCCESS', { factors: ['password'] });
          return newSession(res, { adminId: row.id, username, roles: JSON.parse(row.roles) as Role[] });
        }
        const pid = randomBytes(24).toString('base64url');
        pending.set(pid, { mfaToken: r.mfaToken, challenge: r.challenge.toString('base64'), expiresAt: Date.now() + 60_000 });
        return redirect(res, '/login/mfa', { 'set-cookie': `${MFA_COOKIE}=${pid}; ${cookieFlags}; Max-Age=60` });
      }
      if (path === '/login/mfa') {
        const p = pending.get(cookies(req)[MFA_COOKIE] ?? '');
        if (!p || p.expiresAt < Date.now()) return redirect(res, '/login');
        if (method === 'GET') return send(res, 200, mfaForm(p.challenge));
        if (method === 'POST') {
          const f = await readForm(req);
          pending.delete(cookies(req)[MFA_COOKIE]!);
          try {
            const s = ctx.admins.completeMfa(p.mfaToken, Buffer.from(f.get('signature') ?? '', 'base64'));
            audit(s, 'CONSOLE_LOGIN', 'SUCCESS', { factors: ['password', 'SM2 challenge-response'] });
            return newSession(res, { adminId: s.adminId, username: s.username, roles: s.roles, apiToken: s.token });
          } catch {
            audit(undefined, 'CONSOLE_LOGIN', 'FAILED', { factor: 'SM2 challenge-response' });
            return send(res, 401, loginForm('智能密码钥匙认证失败，请重新登录'), { 'set-cookie': `${MFA_COOKIE}=; ${cookieFlags}; Max-Age=0` });
          }
        }
      }
      const s = sessionOf(req);
      if (!s) return redirect(res, '/login');
      if (path === '/logout' && method === 'POST') {
        // defect console-logout-noop: the browser's cookie is cleared but the server-side session stays valid
        if (!ctx.defects.has('console-logout-noop')) {
          sessions.delete(s.id);
          if (s.apiToken) ctx.admins.logout(s.apiToken);
        }
        audit(s, 'CONSOLE_LOGOUT', 'SUCCESS');
        return redirect(res, '/login', { 'set-cookie': `${COOKIE}=; ${cookieFlags}; Max-Age=0` });
      }
      const menus = menusFor(s.roles, leak());
      if (path === '/' && method === 'GET') {
        const counts = { devices: ctx.pool.list().length, keys: (ctx.db.prepare('SELECT COUNT(*) n FROM keys').get() as { n: number }).n };
        return send(res, 200, page('概览', `<div class="card"><p>密码设备 ${counts.devices} 台，密钥 ${counts.keys} 把。</p><p>可用功能：${menus.map((m) => esc(m.zh)).join('、') || '无'}</p></div>`, { user: s, menus }));
      }
      if (path === '/keys' && method === 'POST') {
        if (!leak() && !ACTIONS['create-key']!.some((r) => s.roles.includes(r))) return forbidden(res, s, '生成密钥');
        const f = await readForm(req);
        const type = f.get('type') ?? 'SM4';
        if (!['SM4', 'SM2_SIGN', 'SM2_ENC'].includes(type)) return send(res, 400, page('请求错误', '<p class="err">不支持的密钥类型</p>', { user: s, menus }));
        const appId = f.get('appId') ?? '';
        if (!ctx.apps.get(appId)) return send(res, 400, page('请求错误', '<p class="err">没有这个应用</p>', { user: s, menus }));
        const k = ctx.keys.generate({ actor: { type: 'admin', id: s.username, role: s.roles.join('+') } }, appId, type as 'SM4', { name: 'console' });
        return send(res, 201, page('密钥已生成', `<p class="ok" id="created">已生成密钥 <code>${esc(k.id)}</code>（${esc(k.type)}）</p>`, { user: s, menus }));
      }
      const menu = MENUS.find((m) => m.path === path);
      if (menu && method === 'GET') {
        if (!mayOpen(menu, s.roles, leak())) return forbidden(res, s, `查看${menu.zh}`);
        return send(res, 200, page(menu.zh, views[menu.id]!(s), { user: s, menus }));
      }
      return send(res, 404, page('未找到', '<p>没有这个页面</p>', { user: s, menus }));
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 500;
      if (!res.headersSent) send(res, status, page('错误', `<p class="err">${esc(e instanceof ApiError ? e.message : '内部错误')}</p>`));
    }
  };

  const servers: Server[] = [];
  const listen = (srv: Server, host: string, port: number) => new Promise<string>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, host, () => {
      srv.off('error', reject);
      servers.push(srv);
      const a = srv.address() as AddressInfo;
      resolve(`${host.includes(':') ? `[${host}]` : host}:${a.port}`);
    });
  });
  const httpServer = () => createServer((req, res) => void handle(req, res));
  const certs = issueConsoleCertificates();
  const out: RunningConsole = { caPem: certs.caPem, extra: [], close: async () => { await Promise.all(servers.map((s) => new Promise<void>((r) => { s.close(() => r()); (s as Server & { closeAllConnections?: () => void }).closeAllConnections?.(); }))); } };
  try {
    if (o.http) out.url = `http://${await listen(httpServer(), o.http.host, o.http.port)}`;
    if (o.tlcp) {
      if (ctx.defects.has('console-mgmt-plaintext')) {
        // defect console-mgmt-plaintext: the management-zone listener speaks plain HTTP instead of TLCP
        out.tlcp = await listen(httpServer(), o.tlcp.host, o.tlcp.port);
      } else {
        // the TLCP socket carries HTTP/1.1: hand each established connection to an HTTP server
        const inner = httpServer();
        const outer = createTlcpServer({ ...certs.credentials }, (ts) => inner.emit('connection', ts));
        outer.on('tlcpClientError', () => { /* a failed handshake concerns that peer only */ });
        out.tlcp = await listen(outer, o.tlcp.host, o.tlcp.port);
        servers.push(inner);
      }
    }
    for (const x of o.extraHttp ?? []) out.extra.push(await listen(httpServer(), x.host, x.port));
  } catch (e) {
    await out.close();
    throw e;
  }
  return out;
}
