import { Then } from '@cucumber/cucumber';
import type { GmWorld } from './support/world.ts';

// Clauses no probe can see (T/TCGIA 0003-2023 §6 certification/self-development items, §7 operation, §8 maintenance):
// one not-tested finding per assessed object, reason not_reviewed, until an assessor's attestation names this
// scenario (attestations: `scenario: <id>`). Never a pass.

Then(/^条款 (\S+) 须由测评人员(查阅文件、证书或记录|访谈)确认：(.+)$/, async function (this: GmWorld, clause: string, how: string, text: string) {
  const method = how === '访谈' ? 'interview' : 'examine';
  const objects = this.targets.length ? this.targets.map((t) => t.object) : [{ id: '-', name: '密码服务平台' }];
  for (const object of objects) {
    await this.addFinding({
      check: `T/TCGIA 0003-2023 ${clause}（${how}）`,
      status: 'not_tested',
      reasonCode: 'not_reviewed',
      reason: `需测评人员${how}确认（method: ${method}）：“${text}”。以人工确认记录结论：attestations 中写 scenario: ${this.scenarioId} / needs an assessor's ${method}; record it as an attestation for scenario ${this.scenarioId}`,
      object,
      evidence: [],
    });
  }
});
