import { Then, When } from '@cucumber/cucumber';
import { randomBytes } from 'node:crypto';
import type { CallObservation } from '../probes/api/call.ts';
import { forEachTarget, judgeEach } from './support/judge.ts';
import type { GmWorld } from './support/world.ts';
import { callAs, got, refusal, setup } from './platform-support/roles.ts';

// GB/T 39786 application-and-data units (features/gbt39786/应用和数据安全.feature) that need steps of their own;
// the others reuse the platform features' steps. Shared platform state (a policy, a tampered row) is restored
// inside the When-step, so a red judgement never leaves the platform altered.

type T = Parameters<Parameters<typeof forEachTarget>[1]>[0] & { raw: { options?: Record<string, unknown> } };
const each = (w: GmWorld, fn: (t: T) => Promise<void>) => forEachTarget(w, (t) => fn(t as T));

When('业务管理员将该应用的访问控制策略限定为只能做杂凑运算，策略在存储中被改写为允许全部运算后，该应用请求签名', async function (this: GmWorld) {
  await each(this, async (t) => {
    const me = await setup(this, t, 'peer', 'whoAmI', {}, 'peerSelf', '查询第二个应用的标识');
    if (!me) return;
    const appId = String(me.appId);
    const keyId = String(got(this, t.object.id, 'peerKey')?.output.keyId ?? '');
    if (!(await setup(this, t, 'business_admin', 'setAppPolicy', { appId, operations: ['hash'], keyIds: null }, 'aclPolicy', '设置访问控制策略'))) return;
    try {
      // an attacker with write access to the store replaces the policy text and leaves its MAC as it was
      if (!(await setup(this, t, 'super_admin', 'tamperAppPolicy', { appId }, 'aclTamper', '改写存储中的访问控制策略（测试钩子）'))) return;
      try {
        await callAs(this, t, 'peer', 'sign', { keyId, data: randomBytes(16) }, 'aclSign');
        await callAs(this, t, 'business_admin', 'getApp', { appId }, 'aclRecord');
      } finally {
        await callAs(this, t, 'super_admin', 'tamperAppPolicy', { appId }, 'aclRestore');
      }
    } finally {
      await callAs(this, t, 'business_admin', 'setAppPolicy', { appId, operations: null, keyIds: null }, 'aclReset');
    }
  });
});

Then('平台应发现访问控制信息被改写，不按改写后的策略放行签名', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '访问控制信息的完整性（改写后的策略不被采信）', (d, t) => {
    const rec = got(this, t.object.id, 'aclRecord');
    const integrity = (rec?.accepted ? (rec.output.record as { policy?: { integrity?: string } } | undefined)?.policy?.integrity : undefined) ?? '（未取得）';
    const refused = !d.accepted;
    return {
      passed: refused,
      expected: '策略在存储中被改写后，平台校验其完整性失败并拒绝签名（只读原策略也不允许签名）',
      observed: `签名请求${refused ? `被拒绝（${refusal(d)}）` : '被接受'}；平台记录的策略完整性：${integrity}`,
      reason: refused ? `改写后的策略未被采信（平台报告策略完整性 ${integrity}）` : '平台按存储中被改写的策略放行了签名：访问控制信息没有完整性保护',
    };
  }, 'aclSign');
});
