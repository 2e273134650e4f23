// probes/rng against a loopback reference platform, a fake source and files. Lives under test/ because it starts
// the reference platform, which probes/ itself must never import.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeItem } from '../../../lib/rng/index.ts';
import { sm3 } from '../../../lib/gm/index.ts';
import { createAdapter, type Adapter } from '../../../probes/adapters/index.ts';
import { MemoryEvidenceSink } from '../../../probes/evidence.ts';
import {
  CollectionLimitError, adapterRandomSource, collectBytes, openSdfRandomSession, probeRandomFile, probeRandomSource, resolveRngPlan, sdfRandomSource,
  type CollectStats, type RandomSource, type RngSample,
} from '../../../probes/rng/index.ts';
import { startPlatform, type RunningPlatform } from '../../../reference-platform/index.ts';
import { goodBytes, lfsrBytes } from '../../fixtures/rng/generators.ts';

const MAPPING = new URL('../../../profiles/adapters/reference.yaml', import.meta.url).pathname;
const E_BIN = new URL('../../fixtures/rng/e.bin', import.meta.url).pathname;
const target = () => ({ object: { id: 'rng', name: '随机数源' }, evidence: new MemoryEvidenceSink() });
const groupPasses = (d: RngSample) => d.items.every((it) => judgeItem(it.pValues, it.qValues).passed);

async function platformAdapter(p: RunningPlatform): Promise<Adapter> {
  const app = p.provisionApp('rng-probe-test');
  return createAdapter({ type: 'http', name: 'platform', mappingFile: MAPPING, baseUrl: p.listening.http, accessKey: app.accessKey, secret: app.secret, timeoutMs: 5000 });
}

let clean: RunningPlatform, weak: RunningPlatform, cleanAdapter: Adapter, weakAdapter: Adapter;
before(async () => {
  [clean, weak] = await Promise.all([startPlatform(), startPlatform({ defects: ['weak-rng'] })]);
  [cleanAdapter, weakAdapter] = await Promise.all([platformAdapter(clean), platformAdapter(weak)]);
});
after(async () => {
  await Promise.all([cleanAdapter.close?.(), weakAdapter.close?.()]);
  await Promise.all([clean.close(), weak.close()]);
});

test('samples the platform random service in requests of the declared maximum; evidence identifies the sample', async () => {
  const plan = resolveRngPlan({ sequences: 40 });
  const t = target();
  const obs = await probeRandomSource(t, adapterRandomSource(cleanAdapter, plan.requestBytes), plan);
  assert.equal(obs.notTested, undefined, obs.notTested?.detail);
  const d = obs.data!;
  assert.equal(d.bytes, 40 * 2500);
  assert.equal(d.source.requests, Math.ceil(100_000 / 4096));
  assert.equal(d.items.length, 22, '2×10^4-bit sequences: 22 items');
  assert.ok(d.items.every((it) => it.pValues.length === 40 && it.qValues.length === 40));
  assert.equal(d.fullDetection, false);
  // the sample (≤ 2 MB) is in the evidence, and its hashes are the ones reported
  const sample = t.evidence.files.get('rng-sample.bin')!;
  assert.equal(sample.length, 100_000);
  assert.equal(d.sm3, sm3(sample).toString('hex'));
  assert.equal(d.sha256, createHash('sha256').update(sample).digest('hex'));
  const table = JSON.parse(t.evidence.files.get('rng-pq.json')!.toString('utf8'));
  assert.equal(table.standard, 'GM/T 0005-2021');
  assert.equal(table.sample.sm3, d.sm3);
  assert.deepEqual(table.items.map((i: { id: string }) => i.id), d.items.map((i) => i.id));
  assert.deepEqual(table.items[0].p, d.items[0]!.pValues);
  assert.ok(t.evidence.files.has('random-request.http.json'));
  assert.doesNotMatch(t.evidence.files.get('random-request.http.json')!.toString(), /"secret"/);
  // the probe does not judge: no verdict fields in the observation
  assert.equal(JSON.stringify(d).match(/"passed"/), null);
  // a good generator: the decision rules (applied here as the Then-steps do) pass
  assert.ok(groupPasses(d) || groupPasses((await probeRandomSource(target(), adapterRandomSource(cleanAdapter, 4096), plan)).data!));
});

test('the weak-rng defect is detected by the clause-6 rules on a quick sample', async () => {
  const plan = resolveRngPlan({ sequences: 40 });
  const obs = await probeRandomSource(target(), adapterRandomSource(weakAdapter, plan.requestBytes), plan);
  const d = obs.data!;
  const verdicts = d.items.map((it) => ({ id: it.id, ...judgeItem(it.pValues, it.qValues) }));
  assert.ok(verdicts.some((v) => !v.passedCount), 'pass-count rule (6.2) catches it');
  assert.ok(verdicts.some((v) => !v.passedUniformity), 'Q uniformity (6.3) catches it');
  assert.ok(verdicts.find((v) => v.id === 'autocorrelation:d=8')!.passCount === 0, 'the LCG low bit alternates: autocorrelation d=8 fails every sequence');
});

test('a request above the platform maximum is refused: not_tested (inconclusive) with the platform code, never a pass', async () => {
  const plan = resolveRngPlan({ sequences: 4, requestBytes: 8192 });
  const obs = await probeRandomSource(target(), adapterRandomSource(cleanAdapter, plan.requestBytes), plan);
  assert.equal(obs.data, undefined);
  assert.equal(obs.notTested?.reason, 'inconclusive');
  assert.match(obs.notTested!.detail, /refused random\(length=8192\): 400/);
  assert.ok(obs.evidence.some((e) => e.name === 'random-failure.http.json'));
});

test('an unreachable platform gives not_tested (could_not_test); an adapter without random gives not_offered', async () => {
  const down = await createAdapter({ type: 'http', name: 'down', mappingFile: MAPPING, baseUrl: 'http://127.0.0.1:9/api/v1', accessKey: 'AK', secret: 'not-a-secret', timeoutMs: 1000 });
  const plan = resolveRngPlan({ sequences: 5 });
  const obs = await probeRandomSource(target(), adapterRandomSource(down, 4096), plan);
  assert.equal(obs.notTested?.reason, 'could_not_test');
  assert.match(obs.notTested!.detail, /ECONNREFUSED|no complete answer/);
  const none: Adapter = { name: 'm', type: 'module', operations: () => ['hash'], authModes: () => [], call: async () => { throw new Error('unreachable'); } };
  const o2 = await probeRandomSource(target(), adapterRandomSource(none, 4096), plan);
  assert.equal(o2.notTested?.reason, 'not_offered');
});

test('an SDF device: SDF_GenerateRandom over the platform SDF endpoint; weak-rng is caught there too; a closed port is could_not_test', async () => {
  const plan = resolveRngPlan({ source: 'sdf', sequences: 20 });
  for (const [p, good] of [[clean, true], [weak, false]] as const) {
    const session = await openSdfRandomSession({ endpoint: p.listening.sdf });
    try {
      const obs = await probeRandomSource(target(), sdfRandomSource(session, plan.requestBytes), plan);
      assert.equal(obs.data?.source.kind, 'sdf', obs.notTested?.detail);
      assert.match(obs.data!.source.description, /SDF_GenerateRandom/);
      if (!good) assert.equal(groupPasses(obs.data!), false);
    } finally {
      await session.close();
    }
  }
  await assert.rejects(openSdfRandomSession({ endpoint: 'sdf://127.0.0.1:9' }), (e: Error) => e.name === 'TargetUnreachableError');
  await assert.rejects(openSdfRandomSession({}), (e: Error) => e.name === 'OperationNotOfferedError');
});

function fakeSource(answer: (n: number, call: number) => Uint8Array | Promise<Uint8Array>, max = 100): RandomSource & { asked: number[] } {
  const asked: number[] = [];
  return { kind: 'api', description: 'fake', maxRequestBytes: max, asked, read: async (n) => { asked.push(n); return answer(n, asked.length); } };
}
async function drain(g: AsyncGenerator<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of g) parts.push(c);
  return Buffer.concat(parts);
}
const stats = (): CollectStats => ({ requests: 0, bytes: 0, shortAnswers: 0, ms: 0 });

test('collection: in order, never above the per-request maximum, short answers made up, bounded in requests and time', async () => {
  let counter = 0;
  const seqBytes = (n: number) => Uint8Array.from({ length: n }, () => counter++ & 0xff);
  const s1 = fakeSource((n) => seqBytes(n), 64);
  const st = stats();
  const out = await drain(collectBytes(s1, 1000, { concurrency: 3, deadline: Date.now() + 10_000 }, st));
  assert.deepEqual([...out], Array.from({ length: 1000 }, (_, i) => i & 0xff), 'bytes in request order');
  assert.ok(s1.asked.every((n) => n <= 64));
  assert.equal(st.requests, Math.ceil(1000 / 64));
  // a source that caps answers at 10 bytes: the rest is asked again
  const s2 = fakeSource((n) => new Uint8Array(Math.min(n, 10)).fill(7), 64);
  const st2 = stats();
  assert.equal((await drain(collectBytes(s2, 300, { concurrency: 2, maxRequests: 100, deadline: Date.now() + 10_000 }, st2))).length, 300);
  assert.ok(st2.shortAnswers > 0);
  // a source that answers nothing: stops at the request bound
  const s3 = fakeSource(() => new Uint8Array(0), 64);
  await assert.rejects(drain(collectBytes(s3, 300, { concurrency: 2, maxRequests: 25, deadline: Date.now() + 10_000 }, stats())), (e: Error) => e instanceof CollectionLimitError && /request limit reached: 25 requests gave 0 of 300 bytes/.test(e.message));
  assert.equal(s3.asked.length, 25);
  // a slow source: stops at the deadline
  const s4 = fakeSource((n) => new Promise((r) => setTimeout(() => r(new Uint8Array(n)), 30)), 10);
  await assert.rejects(drain(collectBytes(s4, 10_000, { concurrency: 1, deadline: Date.now() + 100 }, stats())), /time limit reached/);
});

test('a supplied file: hashed whole, tested, kept as evidence when small; bad files are not_tested with the reason', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-rng-file-'));
  const t = target();
  const obs = await probeRandomFile(t, resolveRngPlan({ file: E_BIN, bits: 20_000 }));
  const d = obs.data!;
  const bytes = readFileSync(E_BIN);
  assert.equal(d.sequences, 50, 'every complete 2×10^4-bit sequence of the 10^6-bit file');
  assert.equal(d.sha256, createHash('sha256').update(bytes).digest('hex'));
  assert.equal(d.source.format, 'bin');
  assert.ok(t.evidence.files.get('rng-sample.bin')!.equals(bytes));
  // the same bits as ASCII give the same P-values
  const ascii = join(dir, 'e.txt');
  writeFileSync(ascii, Array.from(bytes.subarray(0, 5000), (b) => b.toString(2).padStart(8, '0')).join('\n'));
  const a = (await probeRandomFile(target(), resolveRngPlan({ file: ascii, bits: 20_000 }))).data!;
  assert.equal(a.source.format, 'ascii');
  assert.equal(a.sequences, 2);
  assert.deepEqual(a.items.map((i) => i.pValues[1]), d.items.map((i) => i.pValues[1]));
  // an LFSR file fails the rules
  const lfsr = join(dir, 'lfsr.bin');
  writeFileSync(lfsr, lfsrBytes(20 * 20_000));
  assert.equal(groupPasses((await probeRandomFile(target(), resolveRngPlan({ file: lfsr, bits: 20_000 }))).data!), false);
  // missing, too short, malformed
  const missing = await probeRandomFile(target(), resolveRngPlan({ file: join(dir, 'nope.bin') }));
  assert.equal(missing.notTested?.reason, 'could_not_test');
  const short = join(dir, 'short.bin');
  writeFileSync(short, goodBytes(30_000));
  const s = await probeRandomFile(target(), resolveRngPlan({ file: short, bits: 20_000, sequences: 5 }));
  assert.equal(s.notTested?.reason, 'inconclusive');
  assert.match(s.notTested!.detail, /short\.bin: .*only 1 complete 20000-bit sequences, 5 requested/);
  const bad = join(dir, 'bad.txt');
  writeFileSync(bad, '0101 0111\n01201');
  const b = await probeRandomFile(target(), resolveRngPlan({ file: bad, format: 'ascii', bits: 20_000 }));
  assert.equal(b.notTested?.reason, 'inconclusive');
  assert.match(b.notTested!.detail, /byte offset 12/);
});
