import { Given, Then, When } from '@cucumber/cucumber';
import type { Observation } from '../probes/observation.ts';
import { channelAnchors, channelCredentials, type ResolvedTlcpChannel } from '../probes/tlcp/config.ts';
import { CHECKS, type TlcpCheckResult } from '../probes/tlcp/judge.ts';
import { runTlcpProbe, type TlcpProbeRun } from '../probes/tlcp/run.ts';
import { forEachTarget, judgeEach, remember } from './support/judge.ts';
import type { GmWorld } from './support/world.ts';

// GB/T 38636 (TLCP) steps: the When-step runs the conformance probe once per channel and run (the conversations
// are the same for every scenario); Then-steps judge named checks with probes/tlcp/judge.ts, as the CLI does.

const runs = new Map<string, Promise<TlcpProbeRun>>();

/** The probe run of one channel in this evaluation (cached: every scenario judges the same conversations). */
export function channelProbeRun(world: GmWorld, ch: ResolvedTlcpChannel): Promise<TlcpProbeRun> {
  const key = `${world.ctx.runDir}|${ch.objectId}`;
  let p = runs.get(key);
  if (!p) {
    const creds = channelCredentials(ch);
    const anchors = channelAnchors(ch);
    p = runTlcpProbe(
      { host: ch.host, port: ch.port, answerTimeoutMs: Math.min(3000, world.ctx.timeouts.requestMs), ...(creds ? { clientCredentials: creds } : {}) },
      { ...(anchors ? { trustAnchors: anchors } : {}), ...(ch.expectedSuites ? { suites: ch.expectedSuites } : {}), clientAuth: ch.clientAuth },
      ch.lintEdition,
    );
    runs.set(key, p);
  }
  return p;
}

/** The channel's probe run for a target; when there is none, a not-tested observation is remembered and undefined returned. */
export async function probeRunFor(world: GmWorld, t: { object: { id: string; name: string } }, probe: string): Promise<TlcpProbeRun | undefined> {
  const base = { probe, object: t.object, at: new Date().toISOString(), evidence: [] };
  const ch = channelOf(world, t.object.id);
  if (!ch) {
    remember(world, t.object.id, { ...base, notTested: { reason: 'error', detail: `tlcp-channel ${t.object.id} was not resolved by the runner` } });
    return undefined;
  }
  try {
    return await channelProbeRun(world, ch);
  } catch (e) {
    remember(world, t.object.id, { ...base, notTested: { reason: 'error', detail: (e as Error).message } });
    return undefined;
  }
}

export function channelOf(world: GmWorld, objectId: string): ResolvedTlcpChannel | undefined {
  return world.ctx.tlcpChannels?.[objectId];
}

Given('被测对象为各 TLCP 通道', function (this: GmWorld) {
  this.selectProtocolObjects('tlcp-channel');
});

Given('被测对象为各远程管理 TLCP 通道', function (this: GmWorld) {
  this.selectProtocolObjects('tlcp-channel', (o) => !!channelOf(this, o.id)?.management);
});

When('用 TLCP 一致性探测器与该通道完成全部会话', async function (this: GmWorld) {
  await forEachTarget(this, async (t) => {
    const base = { probe: 'tlcp', object: t.object, at: new Date().toISOString() };
    const run = await probeRunFor(this, t, 'tlcp');
    if (!run) return;
    const transcript = run.report.conversations.map((c) => [
      `## ${c.id}: ${c.title}`, ...c.sent.map((s) => `# sent: ${s}`), c.skipped ? `# skipped: ${c.skipped}` : `# outcome: ${JSON.stringify(c.outcome)}`,
      ...c.notes.map((n) => `# note: ${n}`), ...c.transcript.map((e) => `${String(e.t).padStart(5)}ms ${e.dir.padEnd(3)} ${e.kind.padEnd(9)} ${e.summary}\n        ${e.hex}`),
    ].join('\n')).join('\n\n');
    const evidence = [
      t.evidence.save('tlcp-transcripts.txt', 'text/plain', transcript),
      t.evidence.save('tlcp-checks.json', 'application/json', JSON.stringify(run.checks, null, 2)),
    ];
    if (!run.report.reachable) {
      remember(this, t.object.id, { ...base, evidence, notTested: { reason: 'could_not_test', detail: run.report.unreachableReason ?? 'unreachable' } });
      return;
    }
    remember(this, t.object.id, { ...base, evidence, data: run });
  });
});

function checkIds(list: string): string[] {
  const ids = list.split(/[,，、\s]+/).filter(Boolean);
  const unknown = ids.filter((i) => !CHECKS.some((c) => c.id === i));
  if (unknown.length) throw new Error(`unknown TLCP check(s) ${unknown.join(', ')} (known: ${CHECKS.map((c) => c.id).join(', ')})`);
  return ids;
}

const line = (c: TlcpCheckResult) => `[${c.id}] ${c.titleZh}: ${c.reason}`;

Then('以下 TLCP 检查项应通过：{string}', async function (this: GmWorld, list: string) {
  const ids = checkIds(list);
  const key = `tlcp:${ids.join(',')}`;
  // a check the probe could not run leaves the requirement untested (never passed) unless another one failed
  for (const t of this.targets) {
    const obs = this.stateOf(t.object.id).observation as Observation<TlcpProbeRun> | undefined;
    if (!obs?.data) continue;
    const picked = obs.data.checks.filter((c) => ids.includes(c.id));
    const untested = picked.filter((c) => c.status === 'not_tested');
    if (untested.length && !picked.some((c) => c.status === 'failed')) {
      remember(this, t.object.id, { ...obs, data: undefined, notTested: { reason: 'inconclusive', detail: untested.map(line).join('; ') } }, key);
    } else remember(this, t.object.id, obs, key);
  }
  return judgeEach<TlcpProbeRun>(this, `GB/T 38636 TLCP 检查：${ids.join('、')}`, (run) => {
    const picked = run.checks.filter((c) => ids.includes(c.id));
    const failed = picked.filter((c) => c.status === 'failed');
    return {
      passed: failed.length === 0,
      expected: (failed.length ? failed : picked).map((c) => `[${c.id}] ${c.expected ?? c.titleZh}`).join('\n'),
      observed: (failed.length ? failed : picked).map((c) => `[${c.id}] ${c.observed ?? c.reason}`).join('\n'),
      reason: failed.length ? `${failed.length}/${picked.length} 项不符合：${failed.map(line).join('；')}` : picked.map(line).join('；'),
    };
  }, key);
});
