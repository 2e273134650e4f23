import { Then, When } from '@cucumber/cucumber';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { sm2Encrypt, sm2GenerateKeyPair, sm2Verify, sm3 } from '../lib/gm/index.ts';
import type { CallObservation } from '../probes/api/call.ts';
import type { Fields } from '../probes/adapters/index.ts';
import { forEachTarget, judgeEach, remember, type Judgement } from './support/judge.ts';
import type { GmWorld } from './support/world.ts';
import { callAs, got, refusal, setup } from './platform-support/roles.ts';
import { flipPayloadBit, openSupervisionEnvelope, revealsSecret, type SupervisionEnvelope } from './platform-support/protected-data.ts';

// Device groups (§6.1.2, §6.1.3 c), interface lifecycle and monitoring (§6.4 f/h), software integrity (§6.5.5 a) and
// the supervision report (§6.5.10). Changes to shared platform state (groups, interface states, an "altered" file)
// are undone inside the same When-step, in `finally`, so that a failed judgement never leaves them behind.

type T = Parameters<Parameters<typeof forEachTarget>[1]>[0] & { raw: { options?: Record<string, unknown> } };
const each = (w: GmWorld, fn: (t: T) => Promise<void>) => forEachTarget(w, (t) => fn(t as T));
const st = (w: GmWorld, t: T) => w.stateOf(t.object.id);
const notTested = (w: GmWorld, t: T, key: string, detail: string) =>
  remember(w, t.object.id, { probe: 'api', object: t.object, at: new Date().toISOString(), notTested: { reason: 'inconclusive', detail }, evidence: [] }, key);
const all = (parts: Judgement[], ok: string): Judgement => {
  const passed = parts.every((p) => p.passed);
  return { passed, expected: parts.map((p) => p.expected).filter(Boolean).join('；'), observed: parts.map((p) => p.observed).filter(Boolean).join('；'), reason: passed ? ok : parts.filter((p) => !p.passed).map((p) => p.reason).join('；') };
};
const refused = (d: CallObservation | undefined, what: string, statuses = [400, 403, 404, 409, 410]): Judgement => {
  const ok = !!d && !d.accepted && statuses.includes(d.error?.status ?? 0);
  return { passed: ok, expected: `${what}被拒绝`, observed: !d ? '无结果' : d.accepted ? '被接受' : refusal(d), reason: ok ? `${what}被拒绝` : `${what}未被拒绝` };
};
const accepted = (d: CallObservation | undefined, what: string): Judgement =>
  ({ passed: !!d?.accepted, expected: `${what}被接受`, observed: !d ? '无结果' : d.accepted ? '被接受' : refusal(d), reason: d?.accepted ? `${what}被接受` : `${what}被拒绝` });
const asArray = <X>(v: unknown) => (Array.isArray(v) ? (v as X[]) : []);

// --- device groups ---------------------------------------------------------------------------------------

/** Three ONLINE devices of the pool, or a not-tested observation under `key`. */
async function threeDevices(w: GmWorld, t: T, key: string): Promise<string[] | undefined> {
  const list = await setup(w, t, 'business_admin', 'listDevices', {}, 'devices', '查询设备列表');
  if (!list) return undefined;
  const online = asArray<{ deviceId: string; state: string }>(list.devices).filter((d) => d.state === 'ONLINE').map((d) => d.deviceId);
  if (online.length < 3) { notTested(w, t, key, `资源池中在线设备少于 3 台（${online.length}），无法检查分组`); return undefined; }
  return online.slice(0, 3);
}

async function peerAppId(w: GmWorld, t: T): Promise<string | undefined> {
  const me = await setup(w, t, 'peer', 'whoAmI', {}, 'peerSelf', '查询第二个应用的标识');
  return me ? String(me.appId) : undefined;
}

/** Undoes what a group scenario set up: the app's dedication and the groups it made. */
async function cleanupGroups(w: GmWorld, t: T, appId: string | undefined, groups: string[]): Promise<void> {
  if (appId) await callAs(w, t, 'business_admin', 'assignAppDeviceGroup', { appId, groupId: null }, 'cleanupAssign');
  for (const g of groups) await callAs(w, t, 'business_admin', 'deleteDeviceGroup', { groupId: g }, `cleanupDelete-${g}`);
}

async function generateAs(w: GmWorld, t: T, role: 'self' | 'peer', n: number, tag: string): Promise<CallObservation[]> {
  const out: CallObservation[] = [];
  for (let i = 0; i < n; i++) {
    const k = await callAs(w, t, role, 'generateKey', { type: 'SM4', name: `gmeval-${tag}-${i}` }, `${tag}${i}`);
    if (k.data) out.push(k.data);
  }
  return out;
}
const placedOn = (keys: CallObservation[]) => keys.map((k) => (k.accepted ? String(k.output.deviceId) : `拒绝(${refusal(k)})`));

When('业务管理员用两台设备新建一个设备分组，加入第三台、移出第二台，把分组划给另一个接入应用并由其生成 {int} 把密钥，最后删除分组', async function (this: GmWorld, n: number) {
  await each(this, async (t) => {
    const devs = await threeDevices(this, t, 'groupMembers');
    const appId = devs && (await peerAppId(this, t));
    if (!devs || !appId) return;
    const g = await setup(this, t, 'business_admin', 'createDeviceGroup', { name: `gmeval-group-${randomUUID().slice(0, 6)}`, isolation: 'SHARED', deviceIds: [devs[0]!, devs[1]!] }, 'group', '新建设备分组');
    if (!g) return;
    const gid = String(g.groupId);
    st(this, t).devs = devs;
    try {
      if (!(await setup(this, t, 'business_admin', 'addGroupDevice', { groupId: gid, deviceId: devs[2]! }, 'added', '向分组加入设备'))) return;
      if (!(await setup(this, t, 'business_admin', 'removeGroupDevice', { groupId: gid, deviceId: devs[1]! }, 'removed', '从分组移出设备'))) return;
      await callAs(this, t, 'business_admin', 'getDeviceGroup', { groupId: gid }, 'groupMembers');
      if (!(await setup(this, t, 'business_admin', 'assignAppDeviceGroup', { appId, groupId: gid }, 'assign', '把分组划给应用'))) return;
      st(this, t).keys = await generateAs(this, t, 'peer', n, 'grp');
    } finally {
      await callAs(this, t, 'business_admin', 'assignAppDeviceGroup', { appId, groupId: null }, 'unassign');
      await callAs(this, t, 'business_admin', 'deleteDeviceGroup', { groupId: gid }, 'deleted');
      await callAs(this, t, 'business_admin', 'getDeviceGroup', { groupId: gid }, 'afterDelete');
    }
  });
});

Then('分组成员应为第一台和第三台设备，该应用的密钥都只落在这两台设备上', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '分组内设备的添加与移除生效（密钥只分配到当前成员）', (d, t) => {
    const devs = st(this, t as T).devs as string[];
    const want = [devs[0]!, devs[2]!].sort();
    const members = asArray<{ deviceId: string }>((d.output.record as { members?: unknown } | undefined)?.members).map((m) => m.deviceId).sort();
    const keys = (st(this, t as T).keys ?? []) as CallObservation[];
    const stray = keys.filter((k) => !k.accepted || !want.includes(String(k.output.deviceId)));
    const membersOk = d.accepted && JSON.stringify(members) === JSON.stringify(want);
    return all([
      { passed: membersOk, expected: `成员 ${want.join(', ')}`, observed: d.accepted ? `成员 ${members.join(', ')}` : refusal(d), reason: membersOk ? '成员正确' : '分组成员与添加、移除操作不符' },
      { passed: keys.length > 0 && !stray.length, expected: '密钥都在当前成员上', observed: `密钥所在设备：${placedOn(keys).join(', ')}`, reason: stray.length || !keys.length ? '应用的密钥落到分组之外的设备（成员变更未生效）' : '密钥都在当前成员上' },
    ], '分组的新增与组内设备的添加、移除均生效');
  }, 'groupMembers');
});

Then('删除后再查询该分组应答复不存在', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '分组可以删除', (d, t) => all([accepted(got(this, t.object.id, 'deleted'), '删除分组'), refused(d, '查询已删除的分组', [404])], '分组已删除'), 'afterDelete');
});

When('业务管理员把一台设备划为另一个接入应用独占的分组，随后两个应用各生成 {int} 把密钥', async function (this: GmWorld, n: number) {
  await each(this, async (t) => {
    const devs = await threeDevices(this, t, 'dedicated');
    const appId = devs && (await peerAppId(this, t));
    if (!devs || !appId) return;
    const dedicated = devs[2]!;
    st(this, t).dedicatedDevice = dedicated;
    const g = await setup(this, t, 'business_admin', 'createDeviceGroup', { name: `gmeval-dedicated-${randomUUID().slice(0, 6)}`, isolation: 'EXCLUSIVE', deviceIds: [dedicated] }, 'dedicated', '新建独占分组');
    if (!g) return;
    try {
      if (!(await setup(this, t, 'business_admin', 'assignAppDeviceGroup', { appId, groupId: String(g.groupId) }, 'assign', '把独占分组划给应用'))) return;
      st(this, t).peerKeys = await generateAs(this, t, 'peer', n, 'ded-peer');
      st(this, t).selfKeys = await generateAs(this, t, 'self', n, 'ded-self');
    } finally {
      await cleanupGroups(this, t, appId, [String(g.groupId)]);
    }
  });
});

Then('另一个应用的密钥都在独占设备上，本应用的密钥都不在独占设备上', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '为接入业务系统划分独立使用的密码资源', (_d, t) => {
    const dev = String(st(this, t as T).dedicatedDevice);
    const peer = (st(this, t as T).peerKeys ?? []) as CallObservation[];
    const self = (st(this, t as T).selfKeys ?? []) as CallObservation[];
    const peerOk = peer.length > 0 && peer.every((k) => k.accepted && k.output.deviceId === dev);
    const selfOk = self.length > 0 && self.every((k) => k.accepted && k.output.deviceId !== dev);
    return all([
      { passed: peerOk, expected: `另一个应用的密钥都在 ${dev}`, observed: `另一个应用：${placedOn(peer).join(', ')}`, reason: peerOk ? '独占应用的密钥都在其设备上' : '独占应用的密钥落到了划给它的设备之外' },
      { passed: selfOk, expected: `本应用的密钥都不在 ${dev}`, observed: `本应用：${placedOn(self).join(', ')}`, reason: selfOk ? '其他应用不使用独占设备' : '其他应用的密钥落到了独占设备上' },
    ], '独占设备只为其应用所用');
  }, 'dedicated');
});

When('业务管理员建立分组甲和分组乙，另一个接入应用在分组甲中生成一把 SM4 密钥，业务管理员把该密钥的同步数据提交给分组乙', async function (this: GmWorld) {
  await each(this, async (t) => {
    const devs = await threeDevices(this, t, 'crossImport');
    const appId = devs && (await peerAppId(this, t));
    if (!devs || !appId) return;
    const made: string[] = [];
    try {
      const a = await setup(this, t, 'business_admin', 'createDeviceGroup', { name: 'gmeval-group-A', isolation: 'SHARED', deviceIds: [devs[0]!, devs[1]!] }, 'groupA', '新建分组甲');
      if (!a) return;
      made.push(String(a.groupId));
      const b = await setup(this, t, 'business_admin', 'createDeviceGroup', { name: 'gmeval-group-B', isolation: 'SHARED', deviceIds: [devs[2]!] }, 'groupB', '新建分组乙');
      if (!b) return;
      made.push(String(b.groupId));
      st(this, t).groupBDevice = devs[2];
      if (!(await setup(this, t, 'business_admin', 'assignAppDeviceGroup', { appId, groupId: String(a.groupId) }, 'assign', '把分组甲划给应用'))) return;
      const k = await setup(this, t, 'peer', 'generateKey', { type: 'SM4', name: 'gmeval-group-A-key' }, 'keyA', '在分组甲中生成密钥');
      if (!k) return;
      st(this, t).keyA = String(k.keyId);
      const sync = await setup(this, t, 'business_admin', 'syncGroupKey', { groupId: String(a.groupId), keyId: String(k.keyId) }, 'syncA', '在分组甲内同步密钥');
      if (!sync) return;
      await callAs(this, t, 'business_admin', 'importGroupSync', { groupId: String(b.groupId), blob: String(sync.blob) }, 'crossImport');
      await callAs(this, t, 'business_admin', 'getKeyPlacement', { keyId: String(k.keyId) }, 'placement');
    } finally {
      await cleanupGroups(this, t, appId, made);
    }
  });
});

Then('分组乙应拒绝该同步数据，且分组乙的设备上没有这把密钥', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '不同分组间密钥隔离', (d, t) => {
    const b = String(st(this, t as T).groupBDevice);
    const p = got(this, t.object.id, 'placement');
    const where = asArray<{ deviceId: string; replica: boolean }>(p?.output.placement);
    const onB = where.filter((x) => x.deviceId === b);
    return all([
      refused(d, '分组乙接收分组甲的密钥同步数据', [400, 403, 409]),
      { passed: !!p?.accepted && !onB.length, expected: `${b}（分组乙）上没有该密钥`, observed: p?.accepted ? `密钥所在：${where.map((x) => `${x.deviceId}${x.replica ? '(副本)' : ''}`).join(', ')}` : '未取得密钥位置', reason: onB.length ? '分组甲的密钥出现在分组乙的设备上' : p?.accepted ? '分组乙的设备上没有该密钥' : '未能查询密钥位置' },
    ], '分组之间的密钥相互隔离');
  }, 'crossImport');
});

When('另一个接入应用向划给它的两台设备的分组导入一把已知的 SM4 密钥，业务管理员在组内同步该密钥，再提交一份改动了一个比特的同步数据', async function (this: GmWorld) {
  await each(this, async (t) => {
    const devs = await threeDevices(this, t, 'sync');
    const appId = devs && (await peerAppId(this, t));
    if (!devs || !appId) return;
    const made: string[] = [];
    try {
      const g = await setup(this, t, 'business_admin', 'createDeviceGroup', { name: 'gmeval-sync-group', isolation: 'SHARED', deviceIds: [devs[0]!, devs[1]!] }, 'sync', '新建分组');
      if (!g) return;
      const gid = String(g.groupId);
      made.push(gid);
      st(this, t).members = [devs[0]!, devs[1]!];
      if (!(await setup(this, t, 'business_admin', 'assignAppDeviceGroup', { appId, groupId: gid }, 'assign', '把分组划给应用'))) return;
      const p = await setup(this, t, 'peer', 'getImportParameters', {}, 'importParameters', '获取导入参数');
      if (!p) return;
      const known = randomBytes(16);
      st(this, t).known = known;
      const k = await setup(this, t, 'peer', 'importKey', { type: 'SM4', name: 'gmeval-sync-key', wrappedKey: sm2Encrypt(p.wrappingPublicKey as Buffer, known, { format: 'der' }), importToken: String(p.importToken) }, 'key', '导入已知密钥');
      if (!k) return;
      st(this, t).keyId = String(k.keyId);
      await callAs(this, t, 'business_admin', 'syncGroupKey', { groupId: gid, keyId: String(k.keyId) }, 'sync');
      const s = got(this, t.object.id, 'sync');
      if (s?.accepted) await callAs(this, t, 'business_admin', 'importGroupSync', { groupId: gid, blob: flipPayloadBit(String(s.output.blob)) }, 'tampered');
    } finally {
      await cleanupGroups(this, t, appId, made);
    }
  });
});

Then('同步后分组的每台设备上都有这把密钥，且同步数据中不含密钥明文', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '组内密钥同步（机密性）', (d, t) => {
    if (!d.accepted) return accepted(d, '组内密钥同步');
    const members = st(this, t as T).members as string[];
    const where = asArray<{ deviceId: string }>(d.output.placement).map((x) => x.deviceId);
    const missing = members.filter((m) => !where.includes(m));
    const leaks = revealsSecret(String(d.output.blob), st(this, t as T).known as Buffer);
    return all([
      { passed: !missing.length, expected: `${members.join(', ')} 上都有该密钥`, observed: `密钥所在：${where.join(', ')}`, reason: missing.length ? `同步后 ${missing.join(', ')} 上没有该密钥` : '组内每台设备上都有该密钥' },
      { passed: !leaks, expected: '同步数据中不出现密钥明文（原样、base64 或十六进制）', observed: leaks ? '同步数据中含密钥明文' : `同步数据 ${String(d.output.blob).length} 字符，未见明文`, reason: leaks ? '同步数据泄露密钥明文 / key in clear in the sync data' : '同步数据不含密钥明文' },
    ], '组内同步完成且不泄露密钥');
  }, 'sync');
});

Then('改动过的同步数据应被拒绝', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '组内密钥同步（完整性）', (d) => refused(d, '改动过的同步数据', [400, 403, 409]), 'tampered');
});

// --- interface lifecycle and monitoring (6.4 f/h) ----------------------------------------------------------

type Iface = { interfaceId: string; method: string; path: string; version: string; state: string; availability?: string; calls: number; errors: number; history?: { version: string }[] };
const findIface = (d: CallObservation | undefined, method: string, suffix: string) => asArray<Iface>(d?.output.interfaces).find((i) => i.method === method && i.path.endsWith(suffix));
const bump = (v: string) => { const p = v.split('.').map(Number); return `${p[0] ?? 1}.${(p[1] ?? 0) + 1}`; };

When('业务管理员把杂凑接口迭代到新版本后废弃，本应用调用杂凑；业务管理员重新发布又撤回发布，本应用再调用；最后重新发布，本应用再调用', async function (this: GmWorld) {
  await each(this, async (t) => {
    const list = await setup(this, t, 'business_admin', 'listInterfaces', {}, 'interfaces', '查询接口列表');
    if (!list) return;
    const h = findIface({ accepted: true, output: list } as CallObservation, 'POST', '/crypto/hash');
    if (!h) { notTested(this, t, 'iterated', '接口列表中没有杂凑接口（POST …/crypto/hash）'); return; }
    const id = h.interfaceId;
    const version = bump(h.version);
    st(this, t).version = version;
    const data = Buffer.from('gmeval interface lifecycle');
    try {
      await callAs(this, t, 'business_admin', 'newInterfaceVersion', { interfaceId: id, version, note: 'gmeval 版本迭代检查' }, 'iterated');
      if (!(await setup(this, t, 'business_admin', 'changeInterfaceState', { interfaceId: id, action: 'deprecate', note: 'gmeval 废弃检查' }, 'deprecate', '废弃接口'))) return;
      await callAs(this, t, 'self', 'hash', { algorithm: 'SM3', data }, 'whileDeprecated');
      if (!(await setup(this, t, 'business_admin', 'changeInterfaceState', { interfaceId: id, action: 'publish' }, 'republish1', '重新发布接口'))) return;
      if (!(await setup(this, t, 'business_admin', 'changeInterfaceState', { interfaceId: id, action: 'unpublish' }, 'unpublish', '撤回发布'))) return;
      await callAs(this, t, 'self', 'hash', { algorithm: 'SM3', data }, 'whileUnpublished');
      if (!(await setup(this, t, 'business_admin', 'changeInterfaceState', { interfaceId: id, action: 'publish' }, 'republish2', '重新发布接口'))) return;
      await callAs(this, t, 'self', 'hash', { algorithm: 'SM3', data }, 'afterPublish');
    } finally {
      const now = findIface(await callAs(this, t, 'business_admin', 'listInterfaces', {}, 'finalInterfaces').then((o) => o.data), 'POST', '/crypto/hash');
      if (now && now.state !== 'PUBLISHED') await callAs(this, t, 'business_admin', 'changeInterfaceState', { interfaceId: id, action: 'publish' }, 'restore');
    }
  });
});

Then('新版本应记入该接口的版本历史', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '接口版本迭代', (d, t) => {
    const v = String(st(this, t as T).version);
    const hist = asArray<{ version: string }>(d.output.history).map((x) => x.version);
    const ok = d.accepted && d.output.version === v && hist.includes(v) && hist.length >= 2;
    return { passed: ok, expected: `当前版本 ${v}，历史中含此前版本与 ${v}`, observed: d.accepted ? `版本 ${String(d.output.version)}，历史 ${hist.join(' → ')}` : refusal(d), reason: ok ? '版本迭代已记录' : '接口版本迭代未生效或未记入历史' };
  }, 'iterated');
});

Then('接口废弃和未发布期间的调用应被拒绝，重新发布后的调用应被接受', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '废弃或未发布的接口不提供服务', (d, t) => all([
    refused(d, '调用已废弃的接口', [403, 404, 410]),
    refused(got(this, t.object.id, 'whileUnpublished'), '调用未发布的接口', [403, 404, 410]),
    accepted(got(this, t.object.id, 'afterPublish'), '重新发布后的调用'),
  ], '接口生命周期状态被执行'), 'whileDeprecated');
});

When('审计员查看接口监控，本应用随后成功调用杂凑 {int} 次、用不存在的密钥加密 {int} 次，审计员再次查看接口监控', async function (this: GmWorld, ok: number, bad: number) {
  await each(this, async (t) => {
    if (!(await setup(this, t, 'auditor', 'listInterfaces', {}, 'monitorBefore', '查看接口监控'))) return;
    for (let i = 0; i < ok; i++) await callAs(this, t, 'self', 'hash', { algorithm: 'SM3', data: randomBytes(8) }, `mh${i}`);
    for (let i = 0; i < bad; i++) await callAs(this, t, 'self', 'encryptData', { keyId: `gmeval-missing-${randomUUID()}`, plaintext: randomBytes(8) }, `me${i}`);
    st(this, t).counts = { ok, bad };
    await callAs(this, t, 'auditor', 'listInterfaces', {}, 'monitorAfter');
  });
});

const delta = (a: Iface | undefined, b: Iface | undefined, f: 'calls' | 'errors') => (b?.[f] ?? 0) - (a?.[f] ?? 0);

Then('杂凑接口应显示可用，且调用次数增加 {int}', async function (this: GmWorld, n: number) {
  return judgeEach<CallObservation>(this, '接口可用性与使用情况监控', (d, t) => {
    const before = findIface(got(this, t.object.id, 'monitorBefore'), 'POST', '/crypto/hash');
    const after = findIface(d, 'POST', '/crypto/hash');
    const dc = delta(before, after, 'calls');
    const ok = d.accepted && !!after && after.availability === 'AVAILABLE' && dc === n;
    return { passed: ok, expected: `杂凑接口可用，调用次数 +${n}`, observed: after ? `可用性 ${after.availability ?? '(无)'}，调用次数 ${before?.calls ?? 0} → ${after.calls}（+${dc}）` : '监控中没有杂凑接口', reason: ok ? '监控反映了可用性和调用次数' : '监控的可用性或调用次数与实际不符' };
  }, 'monitorAfter');
});

Then('加密接口的调用次数和失败次数应各增加 {int}', async function (this: GmWorld, n: number) {
  return judgeEach<CallObservation>(this, '接口失败调用的监控', (d, t) => {
    const before = findIface(got(this, t.object.id, 'monitorBefore'), 'POST', '/crypto/sm4/encrypt');
    const after = findIface(d, 'POST', '/crypto/sm4/encrypt');
    const dc = delta(before, after, 'calls');
    const de = delta(before, after, 'errors');
    const ok = d.accepted && dc === n && de === n;
    return { passed: ok, expected: `加密接口调用 +${n}、失败 +${n}`, observed: `调用 +${dc}，失败 +${de}`, reason: ok ? '失败的调用也被统计' : '监控未如实统计失败的调用' };
  }, 'monitorAfter');
});

// --- software and configuration integrity (6.5.5 a) ----------------------------------------------------------

type Manifest = { files?: { path: string; sm3: string }[]; config?: { sm3?: string } };
const parseManifest = (s: unknown): Manifest | undefined => { try { return JSON.parse(String(s)) as Manifest; } catch { return undefined; } };

When('审计员取得平台的软件与配置完整性清单', async function (this: GmWorld) {
  await each(this, async (t) => { await callAs(this, t, 'auditor', 'getIntegrity', {}, 'integrity'); });
});

Then('清单的 SM2 签名应能验证，清单中各文件的 SM3 应与交付的软件一致', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '软件与重要配置完整性清单（SM3 + SM2 签名）', (d, t) => {
    if (!d.accepted) return accepted(d, '获取完整性清单');
    const text = String(d.output.manifest);
    const m = parseManifest(text);
    let sigOk = false;
    try { sigOk = sm2Verify(d.output.publicKey as Buffer, Buffer.from(text, 'utf8'), d.output.signature as Buffer, { format: 'der' }); } catch { sigOk = false; }
    const files = m?.files ?? [];
    const parts: Judgement[] = [
      { passed: sigOk, expected: '清单签名按 GB/T 32918.2 验证通过', observed: sigOk ? '签名有效' : '签名无效', reason: sigOk ? '清单经 SM2 签名' : '完整性清单没有有效的 SM2 签名' },
      { passed: files.length > 0 && files.every((f) => /^[0-9a-f]{64}$/.test(f.sm3)) && /^[0-9a-f]{64}$/.test(m?.config?.sm3 ?? ''), expected: '每个文件与配置各有 SM3（64 位十六进制）', observed: `${files.length} 个文件，配置 SM3 ${m?.config?.sm3 ? '有' : '无'}`, reason: files.length ? '清单覆盖软件文件与配置' : '清单没有列出软件文件或配置' },
    ];
    const dir = (t as T).raw.options?.softwareDir;
    if (typeof dir === 'string') {
      const root = resolve(dir);
      if (!existsSync(root)) throw new Error(`softwareDir ${root} 不存在（相对路径按当前工作目录解析）`);
      const differ = files.filter((f) => {
        const p = join(root, ...f.path.split('/'));
        return !existsSync(p) || sm3(readFileSync(p)).toString('hex') !== f.sm3;
      });
      parts.push({ passed: !differ.length, expected: `清单中 ${files.length} 个文件的 SM3 与交付软件（${dir}）独立重算一致`, observed: differ.length ? `不一致：${differ.slice(0, 5).map((f) => f.path).join(', ')}` : '全部一致', reason: differ.length ? '清单与交付的软件不一致' : '清单与交付的软件一致（测评工具独立重算）' });
    }
    return all(parts, '完整性清单有效');
  }, 'integrity');
});

When('一个软件文件被改动后审计员请求平台重新校验，随后恢复该文件并再次校验', async function (this: GmWorld) {
  await each(this, async (t) => {
    const m = parseManifest(got(this, t.object.id, 'integrity')?.output.manifest);
    const path = m?.files?.[0]?.path;
    if (!path) { notTested(this, t, 'alteredVerify', '完整性清单中没有文件可供检查'); return; }
    st(this, t).alteredPath = path;
    if (!(await setup(this, t, 'super_admin', 'alterSoftwareFile', { path }, 'alter', '模拟改动软件文件（测试钩子）'))) return;
    try {
      await callAs(this, t, 'auditor', 'verifyIntegrity', {}, 'alteredVerify');
    } finally {
      const undo = await callAs(this, t, 'super_admin', 'alterSoftwareFile', { path }, 'restoreFile');
      if (undo.data?.accepted && undo.data.output.altered === true) await callAs(this, t, 'super_admin', 'alterSoftwareFile', { path }, 'restoreFile2');
      await callAs(this, t, 'auditor', 'verifyIntegrity', {}, 'restoredVerify');
    }
  });
});

Then('平台应报告该文件不一致，恢复后报告一致', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '平台发现被改动的软件文件', (d, t) => {
    const path = String(st(this, t as T).alteredPath);
    const named = asArray<{ path: string }>(d.output.mismatches).some((x) => x.path === path);
    const after = got(this, t.object.id, 'restoredVerify');
    const detected = d.accepted && d.output.status !== 'OK' && named;
    const clean = !!after?.accepted && after.output.status === 'OK';
    return all([
      { passed: detected, expected: `${path} 被报告为不一致`, observed: d.accepted ? `状态 ${String(d.output.status)}，不一致项 ${asArray<{ path: string }>(d.output.mismatches).map((x) => x.path).join(', ') || '无'}` : refusal(d), reason: detected ? '改动被发现' : '被改动的文件未被发现 / altered file not detected' },
      { passed: clean, expected: '恢复后状态 OK', observed: after?.accepted ? `状态 ${String(after.output.status)}` : '无结果', reason: clean ? '恢复后校验一致' : '恢复后仍报告不一致' },
    ], '完整性校验能发现改动');
  }, 'alteredVerify');
});

// --- supervision report (6.5.10) --------------------------------------------------------------------------

type Sup = {
  schemaVersion?: string; requests?: { total?: number; byInterface?: { interface: string; calls: number; refused: number }[]; byApplication?: { appId: string; byInterface?: Record<string, { calls: number }> }[] };
  trend?: { buckets?: { calls: number }[] }; anomalies?: { kind: string; interface?: string; refused?: number }[]; algorithms?: { algorithm: string; calls: number }[];
};
const parseSup = (s: unknown): Sup | undefined => { try { return JSON.parse(String(s)) as Sup; } catch { return undefined; } };
const sigValid = (d: CallObservation) => { try { return sm2Verify(d.output.publicKey as Buffer, Buffer.from(String(d.output.report), 'utf8'), d.output.signature as Buffer, { format: 'der' }); } catch { return false; } };
const appCalls = (r: Sup | undefined, appId: string, suffix: string) => Object.entries(r?.requests?.byApplication?.find((a) => a.appId === appId)?.byInterface ?? {}).filter(([k]) => k.endsWith(suffix)).reduce((s, [, v]) => s + v.calls, 0);
const algCalls = (r: Sup | undefined, alg: string) => r?.algorithms?.find((a) => a.algorithm === alg)?.calls ?? 0;
const refusals = (r: Sup | undefined, suffix: string) => (r?.anomalies ?? []).filter((a) => a.kind === 'REQUEST_REFUSALS' && a.interface?.endsWith(suffix)).reduce((s, a) => s + (a.refused ?? 0), 0);

When('审计员取得一份监管报告，本应用随后调用杂凑 {int} 次并用不存在的密钥加密 {int} 次，审计员再取得一份监管报告', async function (this: GmWorld, hashes: number, bad: number) {
  await each(this, async (t) => {
    const me = await setup(this, t, 'self', 'whoAmI', {}, 'selfId', '查询本应用标识');
    if (!me || !(await setup(this, t, 'auditor', 'supervisionReport', {}, 'sup1', '取得监管报告'))) return;
    st(this, t).selfApp = String(me.appId);
    st(this, t).supCounts = { hashes, bad };
    for (let i = 0; i < hashes; i++) await callAs(this, t, 'self', 'hash', { algorithm: 'SM3', data: randomBytes(8) }, `sh${i}`);
    for (let i = 0; i < bad; i++) await callAs(this, t, 'self', 'encryptData', { keyId: `gmeval-missing-${randomUUID()}`, plaintext: randomBytes(8) }, `se${i}`);
    await callAs(this, t, 'auditor', 'supervisionReport', {}, 'sup2');
  });
});

Then('报告应带 schemaVersion，且其 SM2 签名能验证', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '监管报告的格式版本与 SM2 签名', (d) => {
    if (!d.accepted) return accepted(d, '取得监管报告');
    const r = parseSup(d.output.report);
    const ok = sigValid(d);
    return all([
      { passed: typeof r?.schemaVersion === 'string' && r.schemaVersion.length > 0, expected: '报告带 schemaVersion', observed: `schemaVersion ${r?.schemaVersion ?? '(无)'}`, reason: r?.schemaVersion ? '报告有格式版本' : '报告没有 schemaVersion' },
      { passed: ok, expected: '报告签名按 GB/T 32918.2 验证通过（报告所附公钥）', observed: ok ? '签名有效' : '签名无效', reason: ok ? '报告经 SM2 签名' : '监管报告没有有效的 SM2 签名 / report not signed' },
    ], '监管报告有版本且已签名');
  }, 'sup2');
});

Then('两份报告之差应与测评工具造成的调用一致', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '监管报告内容与实际调用一致（请求量、趋势、异常、算法使用）', (d, t) => {
    const r1 = parseSup(got(this, t.object.id, 'sup1')?.output.report);
    const r2 = parseSup(d.output.report);
    const app = String(st(this, t as T).selfApp);
    const { hashes, bad } = st(this, t as T).supCounts as { hashes: number; bad: number };
    const dh = appCalls(r2, app, '/crypto/hash') - appCalls(r1, app, '/crypto/hash');
    const dsm3 = algCalls(r2, 'SM3') - algCalls(r1, 'SM3');
    const dref = refusals(r2, '/crypto/sm4/encrypt') - refusals(r1, '/crypto/sm4/encrypt');
    const trendSum = (r2?.trend?.buckets ?? []).reduce((s, b) => s + b.calls, 0);
    const total = r2?.requests?.total ?? -1;
    const ok = dh === hashes && dsm3 >= hashes && dref >= bad && trendSum === total && total > 0;
    return {
      passed: ok,
      expected: `本应用杂凑 +${hashes}；SM3 使用 ≥ +${hashes}；加密接口拒绝异常 ≥ +${bad}；趋势合计 = 请求总量`,
      observed: `杂凑 +${dh}；SM3 +${dsm3}；拒绝 +${dref}；趋势合计 ${trendSum} / 总量 ${total}`,
      reason: ok ? '报告如实反映了请求量、趋势、异常和算法使用' : '报告内容与测评工具造成的调用不符',
    };
  }, 'sup2');
});

When('测评工具以监管方身份生成 SM2 密钥对，审计员请求以该公钥封装的监管报告', async function (this: GmWorld) {
  await each(this, async (t) => {
    const kp = sm2GenerateKeyPair();
    st(this, t).regulator = kp.privateKey;
    await callAs(this, t, 'auditor', 'supervisionReport', { recipientPublicKey: kp.publicKey } as Fields, 'enveloped');
  });
});

const envelopeOf = (d: CallObservation) => ((d.output.record as { envelope?: SupervisionEnvelope } | undefined)?.envelope);

Then('测评工具应能用监管方私钥打开数字信封，其中报告的签名有效，且信封中不含报告明文', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '监管数据传输的机密性（数字信封）', (d, t) => {
    if (!d.accepted) return accepted(d, '请求封装的监管报告');
    const e = envelopeOf(d);
    if (!e) return { passed: false, reason: '应答中没有数字信封', observed: '无 envelope' };
    const opened = openSupervisionEnvelope(st(this, t as T).regulator as Buffer, e);
    if (!opened.ok) return { passed: false, expected: '监管方私钥能打开信封', observed: opened.reason, reason: `数字信封不能由监管方打开：${opened.reason}` };
    let inner: { report?: string; signature?: string; publicKey?: string } = {};
    try { inner = JSON.parse(opened.plaintext.toString('utf8')); } catch { inner = {}; }
    let sig = false;
    try { sig = !!inner.report && sm2Verify(Buffer.from(String(inner.publicKey), 'base64'), Buffer.from(inner.report, 'utf8'), Buffer.from(String(inner.signature), 'base64'), { format: 'der' }); } catch { sig = false; }
    const marker = 'schemaVersion';
    const clear = Buffer.from(e.ciphertext, 'base64').includes(Buffer.from(marker)) || JSON.stringify(e).includes(marker);
    return all([
      { passed: sig, expected: '信封内报告的 SM2 签名有效', observed: sig ? '签名有效' : '签名无效', reason: sig ? '信封内报告已签名' : '信封内报告没有有效签名' },
      { passed: !clear, expected: '信封中不出现报告明文', observed: clear ? '信封中含报告明文' : '未见明文', reason: clear ? '监管数据以明文传送' : '监管数据经加密传送' },
    ], '只有监管方能读取监管数据');
  }, 'enveloped');
});

Then('改动信封密文的一个比特后，信封的完整性校验应失败', async function (this: GmWorld) {
  return judgeEach<CallObservation>(this, '监管数据传输的完整性（数字信封）', (d, t) => {
    const e = d.accepted ? envelopeOf(d) : undefined;
    if (!e || !e.ciphertext) return { passed: false, reason: '没有可检查的数字信封', observed: d.accepted ? '无 envelope' : refusal(d) };
    const ct = Buffer.from(e.ciphertext, 'base64');
    ct[ct.length >> 1]! ^= 0x01;
    const r = openSupervisionEnvelope(st(this, t as T).regulator as Buffer, { ...e, ciphertext: ct.toString('base64') });
    return { passed: !r.ok, expected: '改动后的信封不能通过 HMAC-SM3 校验', observed: r.ok ? '改动后的信封仍被打开' : r.reason, reason: r.ok ? '信封没有完整性保护' : '改动被发现' };
  }, 'enveloped');
});
