/** probes/web against the reference console in headless Chromium; skipped (with the reason) where Chromium is absent. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FileEvidenceSink } from '../../probes/evidence.ts';
import { chromiumMissing } from '../../probes/web/browser.ts';
import { probeConsole } from '../../probes/web/console.ts';
import { referenceConsole } from './reference-console.ts';

const missing = chromiumMissing();
// screenshots stay under the test output folder (git-ignored) for CI to keep as artefacts
const OUT = join(import.meta.dirname, '..', 'output', 'web');

const platformWithAdmins = (defects: string[]) => referenceConsole(defects, 'web');

test('the clean console: two factors, role menus, cookie flags, logout, no secrets; screenshots kept', { skip: missing }, async () => {
  const { p, opts } = await platformWithAdmins([]);
  const dir = join(OUT, 'clean');
  mkdirSync(dir, { recursive: true });
  try {
    const t0 = Date.now();
    const o = await probeConsole({ id: 'console', name: 'console' }, opts, new FileEvidenceSink(dir, 'console'));
    const ms = Date.now() - t0;
    assert.ok(o.data, JSON.stringify(o.notTested));
    const d = o.data;
    assert.equal(d.passwordOnly.reachedConsole, false);
    assert.equal(d.passwordOnly.askedSecondFactor, true);
    assert.equal(d.wrongKey.reachedConsole, false);
    for (const r of d.roles) {
      assert.equal(r.login.reachedConsole, true, r.role);
      assert.deepEqual([...r.menus].sort(), [...r.expectedMenus].sort(), r.role);
      assert.ok(r.forbiddenPages.every((f) => f.status === 403 && !f.shown), `${r.role} ${JSON.stringify(r.forbiddenPages)}`);
      const op = r.operations[0]!;
      if (op.allowed) assert.equal(op.status, 201); else assert.equal(op.status, 403, r.role);
    }
    assert.deepEqual(d.cookie, { name: 'gmeval_console', secure: true, httpOnly: true, sameSite: 'Strict' });
    assert.deepEqual(d.logout, { returnedToLogin: true, oldSessionStillValid: false });
    assert.deepEqual(d.secretsShown, []);
    assert.ok(o.evidence.filter((e) => e.mediaType === 'image/png').length >= 5);
    process.stderr.write(`console probe: ${ms} ms, ${d.pagesVisited} pages\n`);
  } finally { await p.close(); }
});

test('console defects are seen by the browser', { skip: missing }, async () => {
  const { p, opts } = await platformWithAdmins(['console-single-factor', 'console-menu-leak', 'console-logout-noop', 'console-leaks-secret']);
  try {
    const o = await probeConsole({ id: 'console', name: 'console' }, opts, new FileEvidenceSink(join(OUT, 'defects'), 'console'));
    const d = o.data!;
    assert.equal(d.passwordOnly.reachedConsole, true);
    const auditor = d.roles.find((r) => r.role === 'auditor')!;
    assert.ok(auditor.menus.includes('keys'));
    assert.equal(auditor.operations[0]!.status, 201);
    assert.ok(auditor.forbiddenPages.some((f) => f.shown));
    assert.equal(d.logout!.oldSessionStillValid, true);
    assert.deepEqual([...new Set(d.secretsShown.map((s) => s.what))], ['app secret']);
    assert.deepEqual([...new Set(d.secretsShown.map((s) => s.page))], ['/apps']);
  } finally { await p.close(); }
});

test('without Chromium the probe says why and judges nothing', async () => {
  const o = await probeConsole({ id: 'c', name: 'c' }, { url: 'http://127.0.0.1:9', roles: [], pages: {}, secrets: [], chromiumPath: '/nonexistent/chromium' }, new FileEvidenceSink(join(OUT, 'none'), 'x'));
  assert.equal(o.data, undefined);
  assert.equal(o.notTested!.reason, 'could_not_test');
  assert.match(o.notTested!.detail, /Chromium not found/);
});
