import { Given, Then, When } from '@cucumber/cucumber';
import type { ChainLintObservation } from '../probes/cert/lint-chain.ts';
import { groupResults, LINT_GROUPS, lintLine } from '../probes/cert/lint-chain.ts';
import { forEachTarget, judgeEach, remember } from './support/judge.ts';
import type { GmWorld } from './support/world.ts';
import { probeRunFor } from './tlcp.steps.ts';

// GM/T 0015 steps: every certificate the run meets is linted with lib/lint (through probes/cert); one scenario per
// lint group. Today the certificates come from the TLCP channels' handshakes (sign, enc, CA as presented).

Given('被测对象为各 TLCP 通道出示的证书', function (this: GmWorld) {
  this.selectProtocolObjects('tlcp-channel');
});

When('取得该通道在握手中出示的证书并按 GM\\/T 0015 检查', async function (this: GmWorld) {
  await forEachTarget(this, async (t) => {
    const base = { probe: 'cert', object: t.object, at: new Date().toISOString() };
    const run = await probeRunFor(this, t, 'cert');
    if (!run) return;
    if (!run.report.reachable || !run.certificates) {
      remember(this, t.object.id, { ...base, evidence: [], notTested: { reason: 'could_not_test', detail: run.report.unreachableReason ?? 'the server presented no certificates' } });
      return;
    }
    const evidence = [t.evidence.save('certificate-lints.json', 'application/json', JSON.stringify(run.certificates, null, 2))];
    remember(this, t.object.id, { ...base, evidence, data: run.certificates });
  });
});

Then('证书的{string}检查不应有错误级问题', async function (this: GmWorld, groupZh: string) {
  const group = Object.entries(LINT_GROUPS).find(([id, g]) => g.zh === groupZh || id === groupZh)?.[0];
  if (!group) throw new Error(`unknown lint group "${groupZh}" (known: ${Object.values(LINT_GROUPS).map((g) => g.zh).join(' / ')})`);
  return judgeEach<ChainLintObservation>(this, `GM/T 0015 证书检查：${groupZh}`, (obs) => {
    // key usage groups look at the certificate in their position; the others at every certificate presented
    const certs = obs.certificates.filter((c) => (group === 'sign-key-usage' ? c.position === 'sign' : group === 'enc-key-usage' ? c.position === 'enc' : true));
    const per = certs.map((c) => ({ c, r: groupResults(c, group) }));
    const failures = per.flatMap(({ c, r }) => r.failures.map((f) => `#${c.index + 1} ${c.position} ${c.subject}: ${lintLine(f)}`));
    const advisories = per.flatMap(({ c, r }) => r.advisories.map((f) => `#${c.index + 1} ${c.position}: ${lintLine(f)}`));
    const passed = per.reduce((n, { r }) => n + r.passed, 0);
    return {
      passed: failures.length === 0,
      expected: `GM/T 0015-${obs.edition} 的“${groupZh}”各项检查无 error/fatal`,
      observed: failures.length ? failures.join('\n') : `${certs.length} 张证书，${passed} 项检查通过${advisories.length ? `；提示：${advisories.join('；')}` : ''}`,
      reason: failures.length ? `${failures.length} 项错误级问题：${failures.join('；')}` : `${certs.length} 张证书的 ${passed} 项检查通过${advisories.length ? `（另有 ${advisories.length} 项 warn/notice，不影响判定）` : ''}`,
    };
  });
});
