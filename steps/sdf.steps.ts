import { Given, Then, When } from '@cucumber/cucumber';
import { TargetUnreachableError } from '../probes/adapters/index.ts';
import type { Observation } from '../probes/observation.ts';
import { SdfAdapter } from '../probes/sdf/adapter.ts';
import { judgeResponse, type TestResult } from '../probes/sdf/judge.ts';
import { answerRequest } from '../probes/sdf/answer.ts';
import { requestDigest, serializeRequest } from '../probes/sdf/suite.ts';
import { KINDS, generateVectors, type Kind } from '../probes/sdf/vectors.ts';
import { forEachTarget, judgeEach, remember } from './support/judge.ts';
import type { GmWorld } from './support/world.ts';

// GM/T 0018 device-interface steps: the When-step runs one check group through probes/sdf (vectors → device →
// answers); the Then-step judges the answers with the same code as `gmeval sdf judge`.

interface GroupObservation { results: TestResult[] }

Given('被测对象为各 SDF 密码设备', async function (this: GmWorld) {
  await this.selectObjects('device');
  // The platform standard requires every pooled device to conform: a profile that gives no device to test leaves
  // the requirement untested (with that reason), never passed and never silently not applicable.
  if (!this.targets.length && !this.unreachable.length) {
    this.unreachable.push({
      object: { id: 'sdf-devices', name: 'SDF 密码设备', kind: 'device' },
      reason: '测评配置没有声明 SDF 密码设备对象（kind: device，sdf 适配器）/ the profile declares no device object to test',
    });
  }
});

When('对该设备执行 GM\\/T 0018 检查组{string}', async function (this: GmWorld, groups: string) {
  const kinds = groups.split(/[,，、\s]+/).filter(Boolean) as Kind[];
  for (const k of kinds) if (!(k in KINDS)) throw new Error(`unknown GM/T 0018 check group "${k}" (known: ${Object.keys(KINDS).join(', ')})`);
  await forEachTarget(this, async (t) => {
    const at = new Date().toISOString();
    const base = { probe: 'sdf', object: t.object, at };
    if (!(t.adapter instanceof SdfAdapter)) {
      remember(this, t.object.id, { ...base, evidence: [], notTested: { reason: 'not_offered', detail: `对象 ${t.object.id} 的适配器不是 sdf 类型 / the object's adapter is not an sdf adapter` } });
      return;
    }
    const c = t.adapter.config;
    const offered = kinds.filter((k) => !c.capabilities || c.capabilities.includes(k));
    if (!offered.length) {
      remember(this, t.object.id, { ...base, evidence: [], notTested: { reason: 'not_offered', detail: `设备未声明支持 ${kinds.join(', ')} / the device does not claim these capabilities` } });
      return;
    }
    let obs: Observation<GroupObservation>;
    try {
      const transport = await t.adapter.open();
      const req = generateVectors({ capabilities: offered, edition: transport.edition, settings: { ...(c.keyIndex ? { keyIndex: c.keyIndex } : {}), ...(c.kekIndex ? { kekIndex: c.kekIndex } : {}) } });
      const reqText = serializeRequest(req);
      const resp = await answerRequest(transport, req, { pin: c.pin ?? '', requestSm3: requestDigest(reqText) });
      const report = judgeResponse(req, resp);
      const evidence = [
        t.evidence.save(`sdf-${offered.join('+')}-request.json`, 'application/json', reqText),
        t.evidence.save(`sdf-${offered.join('+')}-response.json`, 'application/json', JSON.stringify(resp, null, 2)),
        t.evidence.save(`sdf-${offered.join('+')}-results.json`, 'application/json', JSON.stringify(report, null, 2)),
      ];
      const failed = report.results.filter((r) => r.disposition === 'failed');
      const open = report.results.filter((r) => r.disposition !== 'passed' && r.disposition !== 'failed');
      obs = !failed.length && open.length
        ? { ...base, evidence, notTested: { reason: open.every((r) => r.disposition === 'unreceived') ? 'not_offered' : 'inconclusive', detail: open.map((r) => `${r.id}: ${r.reason}`).join('; ') } }
        : { ...base, evidence, data: { results: report.results } };
    } catch (e) {
      obs = { ...base, evidence: [], notTested: { reason: e instanceof TargetUnreachableError ? 'could_not_test' : 'error', detail: (e as Error).message } };
    }
    remember(this, t.object.id, obs);
  });
});

Then('该组每项检查的返回码和结果都应符合 GM\\/T 0018', async function (this: GmWorld) {
  return judgeEach<GroupObservation>(this, 'GM/T 0018 接口一致性检查', (d) => {
    const failed = d.results.filter((r) => r.disposition === 'failed');
    const line = (r: TestResult) => `${r.id} ${r.fn ?? ''}: ${r.reason}`;
    return {
      passed: failed.length === 0,
      expected: failed.length ? failed.map((r) => `${r.id} ${r.fn ?? ''}: ${r.expected ?? ''}`).join('\n') : `${d.results.length} 项检查全部通过`,
      observed: failed.length ? failed.map((r) => `${r.id} ${r.fn ?? ''}: ${r.provided ?? ''}`).join('\n') : d.results.map((r) => r.id).join(' '),
      reason: failed.length ? `${failed.length}/${d.results.length} 项不符合 / failed: ${failed.map(line).join('; ')}` : `${d.results.length} 项检查全部通过：${d.results.map((r) => r.reason).join('；')}`,
    };
  });
});
