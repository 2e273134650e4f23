import { Then } from '@cucumber/cucumber';
import type { GmWorld } from './support/world.ts';

// Licence-material items for the CA and KM systems that no probe can see (design documents, recovery records,
// personnel): one not-tested finding per assessed object, reason not_reviewed, until an assessor's attestation names
// the scenario (attestations: `scenario: <id>`). Never a pass.

Then(/^申请材料条目 (\S+) 须由测评人员(查阅文件、证书或记录|访谈)确认：(.+)$/, async function (this: GmWorld, item: string, how: string, text: string) {
  const method = how === '访谈' ? 'interview' : 'examine';
  const std = this.tags.find((t) => t.startsWith('@std:'))?.slice(5) ?? 'LICENCE';
  const objects = this.targets.length ? this.targets.map((t) => t.object) : this.unreachable.length ? this.unreachable.map((u) => ({ id: u.object.id, name: u.object.name })) : [{ id: '-', name: std === 'LICENCE-KM' ? '密钥管理系统' : '证书认证系统' }];
  for (const object of objects) {
    await this.addFinding({
      check: `${std} ${item}（${how}）`,
      status: 'not_tested',
      reasonCode: 'not_reviewed',
      reason: `需测评人员${how}确认（method: ${method}）：“${text}”。以人工确认记录结论：attestations 中写 scenario: ${this.scenarioId} / needs an assessor's ${method}; record it as an attestation for scenario ${this.scenarioId}`,
      object,
      evidence: [],
    });
  }
});
