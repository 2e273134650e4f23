import { sm2GenerateKeyPair, sm2PrivateKeyFromPem, sm2Sign, SM2_DEFAULT_ID } from '../../lib/gm/index.ts';
import type { EvidenceRef, EvidenceSink } from '../evidence.ts';
import type { Observation } from '../observation.ts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, CHROMIUM_PATH } from './browser.ts';

/** How to drive a console's pages (defaults fit the reference console; a vendor console names its own). */
export interface ConsoleSelectors {
  username: string; password: string; submitPassword: string;
  challenge: string; signature: string; submitSignature: string;
  /** links of the menu; their `data-menu` attribute (or text) names the menu */
  menu: string;
  logout: string;
  sessionCookie: string;
}
export const DEFAULT_SELECTORS: ConsoleSelectors = {
  username: '#username', password: '#password', submitPassword: '#login',
  challenge: '#challenge', signature: '#signature', submitSignature: '#verify',
  menu: 'nav#menu a[data-menu]:not([data-menu="home"])', logout: '#logout', sessionCookie: 'gmeval_console',
};

export interface ConsoleRole {
  role: string;
  username: string;
  password: string;
  /** the administrator's soft smart key (SM2 private key, PEM) — held by the evaluator, never written out */
  sm2PrivateKeyPem: string;
  /** menus this role must see, exactly */
  menus: string[];
}

export interface ConsoleProbeOptions {
  url: string;
  roles: ConsoleRole[];
  /** every menu id → page path (to try the ones a role must not open) */
  pages: Record<string, string>;
  /** operations to try per role: id → form post; a role lacking `allowedRoles` must be refused */
  operations?: { id: string; path: string; form: Record<string, string>; allowedRoles: string[] }[];
  /** secrets that must appear on no page (passwords, HMAC secrets); compared, never written out */
  secrets: { what: string; value: string }[];
  selectors?: Partial<ConsoleSelectors>;
  chromiumPath?: string;
  timeoutMs?: number;
}

export interface LoginAttempt { reachedConsole: boolean; url: string; askedSecondFactor: boolean }
export interface RoleView {
  role: string;
  login: LoginAttempt;
  expectedMenus: string[];
  menus: string[];
  /** pages outside the role's menus and what the console answered */
  forbiddenPages: { menu: string; path: string; status: number; shown: boolean }[];
  operations: { id: string; allowed: boolean; status: number }[];
}
export interface ConsoleObservation {
  browser: string;
  url: string;
  /** first role: password alone, then a signature by a key that is not the administrator's */
  passwordOnly: LoginAttempt;
  wrongKey: LoginAttempt;
  roles: RoleView[];
  cookie?: { name: string; secure: boolean; httpOnly: boolean; sameSite: string };
  logout?: { returnedToLogin: boolean; oldSessionStillValid: boolean };
  /** secrets seen on a page (what and where, never the value) */
  secretsShown: { what: string; page: string }[];
  privateKeyMarkers: string[];
  pagesVisited: number;
}

/** A small viewport renders and screenshots faster; the reference pages are plain server-rendered HTML. */
const CONTEXT = { viewport: { width: 1024, height: 640 } };

const b64Sig = (pem: string, challengeB64: string) => sm2Sign(sm2PrivateKeyFromPem(pem).privateKey, Buffer.from(challengeB64.trim(), 'base64'), { id: SM2_DEFAULT_ID, format: 'der' }).toString('base64');

/**
 * Drives an administrator console in headless Chromium: the two-factor login (password, then the SM2
 * challenge signed with the evaluator's soft smart key), each role's menus and forbidden pages and operations,
 * the session cookie's flags, logout, and the text of every page visited (for secrets). Screenshots are evidence.
 */
export async function probeConsole(object: { id: string; name: string }, o: ConsoleProbeOptions, evidence: EvidenceSink): Promise<Observation<ConsoleObservation>> {
  const at = new Date().toISOString();
  const missing = chromiumMissing(o.chromiumPath ?? CHROMIUM_PATH);
  if (missing) return { probe: 'web', object, at, notTested: { reason: 'could_not_test', detail: missing }, evidence: [] };
  if (!o.roles.length) return { probe: 'web', object, at, notTested: { reason: 'error', detail: 'options.roles: no administrator role to log in with' }, evidence: [] };
  const sel = { ...DEFAULT_SELECTORS, ...o.selectors };
  const timeout = o.timeoutMs ?? 10_000;
  const refs: EvidenceRef[] = [];
  const shot = async (page: Page, name: string) => { refs.push(evidence.save(`${name}.png`, 'image/png', await page.screenshot())); };
  const secretsShown: ConsoleObservation['secretsShown'] = [];
  const markers = new Set<string>();
  let pagesVisited = 0;
  const seen = new Set<string>();
  const scanText = (html: string, path: string) => {
    pagesVisited++;
    for (const s of o.secrets) {
      if (s.value.length >= 8 && html.includes(s.value) && !seen.has(`${s.what}@${path}`)) { seen.add(`${s.what}@${path}`); secretsShown.push({ what: s.what, page: path }); }
    }
    for (const m of html.match(/-----BEGIN [A-Z ]*PRIVATE KEY-----/g) ?? []) markers.add(`${path}: ${m}`);
  };
  const scan = async (page: Page) => scanText(await page.content(), new URL(page.url()).pathname);
  const base = o.url.replace(/\/$/, '');
  const onConsole = async (page: Page) => (await page.locator(sel.menu).count()) > 0 || (await page.locator(sel.logout).count()) > 0;

  const passwordStep = async (page: Page, r: ConsoleRole) => {
    await page.goto(`${base}/login`, { timeout });
    await scan(page);
    await page.fill(sel.username, r.username);
    await page.fill(sel.password, r.password);
    await Promise.all([page.waitForLoadState('load', { timeout }), page.click(sel.submitPassword, { timeout })]);
    await scan(page);
    return (await page.locator(sel.challenge).count()) > 0;
  };
  const attempt = async (page: Page, asked: boolean): Promise<LoginAttempt> => {
    // whatever the form said, the console is reached only if its own pages open
    const reached = await onConsole(page);
    return { reachedConsole: reached, url: new URL(page.url()).pathname, askedSecondFactor: asked };
  };
  /** `afterPassword` runs between the factors (the password accepted, the second factor not yet given). */
  const login = async (ctx: BrowserContext, r: ConsoleRole, key: 'own' | 'wrong', afterPassword?: (page: Page, asked: boolean) => Promise<void>): Promise<{ page: Page; result: LoginAttempt }> => {
    const page = await ctx.newPage();
    const asked = await passwordStep(page, r);
    await afterPassword?.(page, asked);
    if (!asked) return { page, result: await attempt(page, asked) };
    const challenge = (await page.textContent(sel.challenge)) ?? '';
    const pem = key === 'own' ? r.sm2PrivateKeyPem : null;
    const sig = pem ? b64Sig(pem, challenge) : sm2Sign(sm2GenerateKeyPair().privateKey, Buffer.from(challenge.trim(), 'base64'), { id: SM2_DEFAULT_ID, format: 'der' }).toString('base64');
    await page.fill(sel.signature, sig);
    await Promise.all([page.waitForLoadState('load', { timeout }), page.click(sel.submitSignature, { timeout })]);
    await scan(page);
    return { page, result: await attempt(page, asked) };
  };

  let b: Awaited<ReturnType<typeof launchChromium>>;
  try {
    b = await launchChromium(o.chromiumPath ?? CHROMIUM_PATH);
  } catch (e) {
    return { probe: 'web', object, at, notTested: { reason: 'could_not_test', detail: `Chromium 无法启动 / could not start Chromium: ${(e as Error).message.slice(0, 300)}` }, evidence: [] };
  }
  const browser: Browser = b.browser;
  try {
    const first = o.roles[0]!;
    // The first role's own login doubles as the password-only check: with the password accepted and the second
    // factor still pending, a second tab of the same browser session must not reach the console. The wrong-key
    // attempt needs a challenge of its own (a failed answer consumes it), in its own context; everything runs
    // side by side, one browser for the whole run.
    let pwOnlyResult: LoginAttempt | undefined;
    const wrongKey = async () => {
      const c = await browser.newContext(CONTEXT);
      const wrong = await login(c, first, 'wrong');
      await shot(wrong.page, 'login-wrong-key');
      await c.close();
      return wrong.result;
    };
    const view = async (r: ConsoleRole, i: number) => {
      const ctx = await browser.newContext(CONTEXT);
      const { page, result } = await login(ctx, r, 'own', i === 0 ? async (pg, asked) => {
        if (!asked) { pwOnlyResult = await attempt(pg, asked); await shot(pg, 'login-password-only'); return; }
        const tab = await ctx.newPage();
        await tab.goto(`${base}/`, { timeout });
        await scan(tab);
        pwOnlyResult = await attempt(tab, asked);
        await shot(tab, 'login-password-only');
        await tab.close();
      } : undefined);
      await shot(page, `console-${r.role}`);
      const menus = result.reachedConsole ? await page.locator(sel.menu).evaluateAll((as) => as.map((a) => a.getAttribute('data-menu') ?? a.textContent?.trim() ?? '')) : [];
      const forbiddenPages: RoleView['forbiddenPages'] = [];
      if (result.reachedConsole) {
        // every page through the context's own cookie jar (same session as the tab), without rendering each one
        await Promise.all(Object.entries(o.pages).map(async ([menu, path]) => {
          const resp = await ctx.request.get(`${base}${path}`, { maxRedirects: 0, timeout });
          const status = resp.status();
          scanText(await resp.text(), path);
          if (!r.menus.includes(menu)) forbiddenPages.push({ menu, path, status, shown: status >= 200 && status < 300 });
        }));
        forbiddenPages.sort((x, y) => x.menu.localeCompare(y.menu));
        const mine = r.menus[0] && o.pages[r.menus[0]];
        if (mine) { await page.goto(`${base}${mine}`, { timeout }); await shot(page, `page-${r.role}-${r.menus[0]}`); }
      }
      const operations: RoleView['operations'] = [];
      for (const op of o.operations ?? []) {
        const resp = await ctx.request.post(`${base}${op.path}`, { form: op.form, maxRedirects: 0, timeout });
        operations.push({ id: op.id, allowed: op.allowedRoles.includes(r.role), status: resp.status() });
      }
      return { ctx, page, view: { role: r.role, login: result, expectedMenus: r.menus, menus, forbiddenPages, operations } as RoleView };
    };
    const [wrongResult, ...views] = await Promise.all([wrongKey(), ...o.roles.map(view)]);
    const roles = views.map((v) => v.view);
    let cookie: ConsoleObservation['cookie'];
    let logout: ConsoleObservation['logout'];
    const live = views.find((v) => v.view.login.reachedConsole);
    if (live) {
      const { ctx, page } = live;
      const c = (await ctx.cookies(base)).find((x) => x.name === sel.sessionCookie);
      if (c) cookie = { name: c.name, secure: c.secure, httpOnly: c.httpOnly, sameSite: c.sameSite };
      // logout, then replay the old session cookie from a fresh context
      const old = await ctx.cookies(base);
      await Promise.all([page.waitForURL(/./, { timeout }), page.click(sel.logout, { timeout })]);
      await page.waitForLoadState('load', { timeout });
      const returnedToLogin = /login/.test(new URL(page.url()).pathname);
      const replay = await browser.newContext(CONTEXT);
      await replay.addCookies(old);
      const rp = await replay.newPage();
      await rp.goto(`${base}/`, { timeout });
      logout = { returnedToLogin, oldSessionStillValid: await onConsole(rp) };
      await shot(rp, 'after-logout-replay');
      await replay.close();
    }
    await Promise.all(views.map((v) => v.ctx.close()));
    // never a pass by default: without the password-only observation the probe has not tested the factors
    if (!pwOnlyResult) throw new Error(`the password-only check did not run (${first.role})`);
    const pwOnly = { result: pwOnlyResult };
    const wrong = { result: wrongResult };
    const data: ConsoleObservation = {
      browser: `${browser.browserType().name()} ${browser.version()}`, url: base, passwordOnly: pwOnly.result, wrongKey: wrong.result, roles,
      ...(cookie ? { cookie } : {}), ...(logout ? { logout } : {}), secretsShown, privateKeyMarkers: [...markers], pagesVisited,
    };
    refs.push(evidence.save('console.json', 'application/json', JSON.stringify(data, null, 2)));
    return { probe: 'web', object, at, data, evidence: refs };
  } catch (e) {
    return { probe: 'web', object, at, notTested: { reason: 'error', detail: `控制台检查中断 / console probe failed: ${(e as Error).message.slice(0, 300)}` }, evidence: refs };
  } finally {
    await b.close();
  }
}
