import { Then, When } from '@cucumber/cucumber';
import { probeConsole, type ConsoleObservation, type ConsoleProbeOptions } from '../probes/web/console.ts';
import type { Observation } from '../probes/observation.ts';
import type { EvalObject } from '../profiles/profile.ts';
import type { Judgement } from './support/judge.ts';
import type { GmWorld } from './support/world.ts';
import { judgeObjects, objectsOf, observeOnce, type Selected } from './gbt39786-objects.steps.ts';

// The administrators' web console (objects of kind console, docs/console.md), driven in headless Chromium once
// per run; each scenario judges one aspect of that session.

interface ConsoleObjectOptions {
  url?: string;
  roles?: { role: string; adapter: string; menus: string[] }[];
  pages?: Record<string, string>;
  operations?: ConsoleProbeOptions['operations'];
  /** adapters whose secrets (and, for administrators, passwords) must appear on no page */
  secretsFrom?: string[];
  selectors?: ConsoleProbeOptions['selectors'];
}

function probeOptions(world: GmWorld, o: EvalObject): ConsoleProbeOptions {
  const opt = (o.options ?? {}) as ConsoleObjectOptions;
  const ep = world.ctx.endpoints ?? {};
  const url = opt.url && /^https?:\/\//.test(opt.url) ? opt.url : ep[opt.url ?? 'console'];
  if (!url) throw new Error(`options.url: no console URL (endpoint "${opt.url ?? 'console'}" is not in target.endpoints)`);
  const cred = (name: string) => {
    const a = world.ctx.adapters[name];
    if (!a || a.type !== 'http' || !a.accessKey || !a.secret) throw new Error(`adapter ${name}: an http adapter with an administrator credential is required`);
    let s: { password?: string; sm2PrivateKeyPem?: string };
    try { s = JSON.parse(a.secret) as typeof s; } catch { throw new Error(`adapter ${name}: the credential secret must be {"password", "sm2PrivateKeyPem"}`); }
    if (!s.password || !s.sm2PrivateKeyPem) throw new Error(`adapter ${name}: the credential secret lacks password or sm2PrivateKeyPem`);
    return { username: a.accessKey, password: s.password, sm2PrivateKeyPem: s.sm2PrivateKeyPem };
  };
  const roles = (opt.roles ?? []).map((r) => ({ role: r.role, menus: r.menus, ...cred(r.adapter) }));
  const secrets = (opt.secretsFrom ?? []).flatMap((name) => {
    const a = world.ctx.adapters[name];
    if (!a || a.type !== 'http' || !a.secret) return [];
    try {
      const s = JSON.parse(a.secret) as { password?: string };
      return s.password ? [{ what: `${name} 的口令`, value: s.password }] : [];
    } catch { return [{ what: `${name} 的 HMAC 密钥`, value: a.secret }]; }
  });
  return { url, roles, pages: opt.pages ?? {}, operations: opt.operations, secrets, selectors: opt.selectors };
}

async function observeConsoles(world: GmWorld): Promise<Selected<ConsoleObservation>[]> {
  const out: Selected<ConsoleObservation>[] = [];
  for (const o of objectsOf(world, 'console')) {
    let obs: Observation<ConsoleObservation>;
    try {
      const opts = probeOptions(world, o);
      obs = await observeOnce(world, o, 'web', (ev) => probeConsole({ id: o.id, name: o.name }, opts, ev));
    } catch (e) {
      obs = { probe: 'web', object: { id: o.id, name: o.name }, at: new Date().toISOString(), notTested: { reason: 'error', detail: `${o.id}: ${(e as Error).message}` }, evidence: [] };
    }
    out.push({ object: o, obs });
  }
  return out;
}
const KEY = 'consoles';
const consoles = (w: GmWorld) => (w.stateOf(KEY).selected ?? []) as Selected<ConsoleObservation>[];
const all = (parts: Judgement[], ok: string): Judgement => {
  const bad = parts.filter((p) => !p.passed);
  return { passed: !bad.length, expected: parts.map((p) => p.expected).filter(Boolean).join('；'), observed: parts.map((p) => p.observed).filter(Boolean).join('；'), reason: bad.length ? bad.map((b) => b.reason).join('；') : ok };
};

When('测评人员在浏览器中以各管理角色登录管理控制台', async function (this: GmWorld) {
  this.stateOf(KEY).selected = await observeConsoles(this);
});

Then('只有同时通过口令和智能密码钥匙 SM2 挑战应答的登录才能进入控制台', async function (this: GmWorld) {
  return judgeObjects(this, '控制台登录的双因子鉴别（口令 + SM2 挑战应答）', consoles(this), (d) => all([
    { passed: !d.passwordOnly.reachedConsole, expected: '只有口令时进不了控制台', observed: `只有口令：${d.passwordOnly.reachedConsole ? '进入了控制台' : `停在 ${d.passwordOnly.url}`}${d.passwordOnly.askedSecondFactor ? '' : '（未要求第二因子）'}`, reason: '只凭口令即可进入控制台' },
    { passed: !d.wrongKey.reachedConsole, expected: '非本人密钥的签名被拒绝', observed: `错误的 SM2 密钥：${d.wrongKey.reachedConsole ? '进入了控制台' : `停在 ${d.wrongKey.url}`}`, reason: '用非本人的 SM2 密钥签名也能进入控制台' },
    ...d.roles.map((r) => ({ passed: r.login.reachedConsole, expected: `${r.role} 双因子登录成功`, observed: `${r.role}：${r.login.reachedConsole ? '已进入' : `停在 ${r.login.url}`}`, reason: `${r.role} 以正确的双因子未能登录` })),
  ], '只有口令与 SM2 挑战应答都正确时才能进入控制台'));
});

Then('每个角色只看到并只能使用本角色的菜单和操作', async function (this: GmWorld) {
  return judgeObjects(this, '控制台按角色控制菜单与操作（职责分离、防止越权）', consoles(this), (d) => all(d.roles.flatMap((r) => {
    const extra = r.menus.filter((m) => !r.expectedMenus.includes(m));
    const missing = r.expectedMenus.filter((m) => !r.menus.includes(m));
    const opened = r.forbiddenPages.filter((f) => f.shown);
    const ops = r.operations.filter((x) => !x.allowed && x.status !== 403);
    return [
      { passed: !extra.length && !missing.length, expected: `${r.role} 菜单 ${r.expectedMenus.join('、')}`, observed: `${r.role} 菜单 ${r.menus.join('、') || '（无）'}`, reason: `${r.role} 的菜单不符${extra.length ? `，多出 ${extra.join('、')}` : ''}${missing.length ? `，缺少 ${missing.join('、')}` : ''}` },
      { passed: !opened.length, observed: opened.length ? `${r.role} 打开了 ${opened.map((f) => f.path).join('、')}` : `${r.role} 的其他页面均被拒绝（${r.forbiddenPages.map((f) => `${f.path} ${f.status}`).join('，')}）`, reason: `${r.role} 能打开不属于本角色的页面 ${opened.map((f) => f.path).join('、')}` },
      { passed: !ops.length, observed: r.operations.map((x) => `${r.role} ${x.id}: HTTP ${x.status}`).join('，'), reason: `${r.role} 能执行不属于本角色的操作 ${ops.map((x) => `${x.id}（HTTP ${x.status}）`).join('、')}` },
    ];
  }), '每个角色只看到本角色的菜单，其他页面和操作均被拒绝（HTTP 403）'));
});

Then('会话 Cookie 应设置 Secure、HttpOnly 和 SameSite，退出后原会话应失效', async function (this: GmWorld) {
  return judgeObjects(this, '控制台会话的保护与注销', consoles(this), (d) => {
    const c = d.cookie;
    return all([
      { passed: !!c && c.secure && c.httpOnly && (c.sameSite === 'Strict' || c.sameSite === 'Lax'), expected: 'Secure、HttpOnly、SameSite=Strict/Lax', observed: c ? `${c.name}: Secure=${c.secure} HttpOnly=${c.httpOnly} SameSite=${c.sameSite}` : '没有会话 Cookie', reason: c ? `会话 Cookie 属性不足（Secure=${c.secure} HttpOnly=${c.httpOnly} SameSite=${c.sameSite}）` : '没有找到会话 Cookie' },
      { passed: !!d.logout && d.logout.returnedToLogin && !d.logout.oldSessionStillValid, expected: '退出后回到登录页，旧会话 Cookie 失效', observed: d.logout ? `退出后${d.logout.returnedToLogin ? '回到登录页' : '未回到登录页'}；旧 Cookie ${d.logout.oldSessionStillValid ? '仍可进入控制台' : '已失效'}` : '未能退出', reason: d.logout?.oldSessionStillValid ? '退出后旧会话仍然有效' : '退出未按预期完成' },
    ], '会话 Cookie 属性完整，退出后旧会话失效');
  });
});

Then('控制台页面中不应出现口令、应用密钥或私钥', async function (this: GmWorld) {
  return judgeObjects(this, '控制台页面不泄露鉴别凭据与密钥', consoles(this), (d) => {
    const bad = [...d.secretsShown.map((s) => `${s.page} 显示了${s.what}`), ...d.privateKeyMarkers];
    return { passed: !bad.length, expected: '任何页面都不含口令、HMAC 密钥、私钥', observed: bad.length ? bad.join('；') : `检查了 ${d.pagesVisited} 个页面`, reason: bad.length ? `页面泄露敏感信息：${bad.join('；')}` : `${d.pagesVisited} 个页面中没有口令、应用密钥或私钥` };
  });
});
