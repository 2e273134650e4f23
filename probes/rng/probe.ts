/**
 * The randomness probe: takes one sample group from a source (a random service, an SDF device, a file),
 * identifies it by its SM3 and SHA-256 hashes, and computes every GM/T 0005-2021 item's P- and Q-value per
 * sequence with lib/rng. It never judges: the decision rules of clause 6 are applied by the Then-steps.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { RngInputError, sniffFormat, testSample, type Basis } from '../../lib/rng/index.ts';
import { OperationNotOfferedError, ResponseShapeError, TargetUnreachableError } from '../adapters/index.ts';
import type { EvidenceRef, EvidenceSink } from '../evidence.ts';
import type { NotTestedReason, Observation } from '../observation.ts';
import { EVIDENCE_SAMPLE_MAX_BYTES, isFullDetection, type RngPlan, type SampleMode } from './plan.ts';
import { CollectionLimitError, RandomRefusedError, collectBytes, type CollectStats, type RandomSource } from './sources.ts';

export interface RngProbeTarget { object: { id: string; name: string }; evidence: EvidenceSink }

/** One item's values over the sample, in sequence order. */
export interface RngItemValues {
  id: string;
  name: string;
  nameZh: string;
  params: Record<string, number>;
  basis: Basis;
  pValues: number[];
  qValues: number[];
}

export interface RngSample {
  source: {
    kind: 'api' | 'sdf' | 'file';
    description: string;
    requestBytes?: number;
    requests?: number;
    shortAnswers?: number;
    file?: string;
    format?: 'bin' | 'ascii';
    fileBytes?: number;
  };
  /** the mode the profile asked for; `fullDetection` says whether s × n actually is the standard's */
  sampleMode: SampleMode;
  fullDetection: boolean;
  bits: number;
  sequences: number;
  /** hashes of the sample as collected (file sources: of the whole file) */
  bytes: number;
  sm3: string;
  sha256: string;
  collectMs: number;
  testMs: number;
  items: RngItemValues[];
}

const PROBE = 'rng';

function observation(t: RngProbeTarget, data: RngSample | undefined, evidence: EvidenceRef[], notTested?: { reason: NotTestedReason; detail: string }): Observation<RngSample> {
  return { probe: PROBE, object: t.object, at: new Date().toISOString(), ...(data ? { data } : {}), ...(notTested ? { notTested } : {}), evidence };
}

/** Maps a failure while sampling to the reason the object could not be judged. */
function notTestedFrom(e: unknown): { reason: NotTestedReason; detail: string } {
  const msg = (e as Error)?.message ?? String(e);
  if (e instanceof OperationNotOfferedError) return { reason: 'not_offered', detail: msg };
  if (e instanceof TargetUnreachableError) return { reason: 'could_not_test', detail: msg };
  if (e instanceof ResponseShapeError || e instanceof RandomRefusedError) return { reason: 'inconclusive', detail: msg };
  if (e instanceof CollectionLimitError) return { reason: 'inconclusive', detail: `样本未采集完整 / sample incomplete: ${msg}` };
  if (e instanceof RngInputError) return { reason: 'inconclusive', detail: `样本文件格式错误 / bad sample file: byte offset ${e.offset}: ${msg}` };
  if (e instanceof RangeError) return { reason: 'inconclusive', detail: `样本不足 / sample too short: ${msg}` };
  return { reason: 'error', detail: msg };
}

function itemsOf(r: Awaited<ReturnType<typeof testSample>>): RngItemValues[] {
  // keep the raw values only: the sample-level verdicts testSample also computes are deliberately dropped
  return r.items.map((it, i) => ({
    id: it.id, name: it.name, nameZh: it.nameZh, params: { ...it.params }, basis: it.basis,
    pValues: Array.from(r.pValues[i]!), qValues: Array.from(r.qValues[i]!),
  }));
}

function saveTable(t: RngProbeTarget, label: string, d: RngSample): EvidenceRef {
  const table = {
    format: 'gmeval-rng-pq/1',
    standard: 'GM/T 0005-2021',
    note: 'P- and Q-values per item (rows) and sequence (columns, in sample order); the decision rules of clause 6 are applied by the report, not here',
    source: d.source, sampleMode: d.sampleMode, fullDetection: d.fullDetection, bits: d.bits, sequences: d.sequences,
    sample: { bytes: d.bytes, sm3: d.sm3, sha256: d.sha256 },
    items: d.items.map((it) => ({ id: it.id, nameZh: it.nameZh, params: it.params, basis: it.basis, p: it.pValues, q: it.qValues })),
  };
  return t.evidence.save(`rng-pq${label}.json`, 'application/json', JSON.stringify(table));
}

/**
 * Collects `plan.sequences × plan.bits` bits from `source` and computes the P/Q-values while collecting
 * (streamed: a full 125 MB sample is never held in memory). `deadline` bounds collection and testing.
 */
export async function probeRandomSource(t: RngProbeTarget, source: RandomSource, plan: RngPlan, o: { deadline?: number; label?: string } = {}): Promise<Observation<RngSample>> {
  const label = o.label ?? '';
  const sequences = plan.sequences!;
  const total = (plan.bits / 8) * sequences;
  const sm3 = createHash('sm3');
  const sha = createHash('sha256');
  const keep: Uint8Array[] | undefined = total <= EVIDENCE_SAMPLE_MAX_BYTES ? [] : undefined;
  const stats: CollectStats = { requests: 0, bytes: 0, shortAnswers: 0, ms: 0 };
  const deadline = o.deadline ?? Date.now() + plan.timeLimitMs;
  async function* hashed() {
    for await (const chunk of collectBytes(source, total, { maxRequests: plan.maxRequests, concurrency: plan.concurrency, deadline: Math.min(deadline, Date.now() + plan.timeLimitMs) }, stats)) {
      sm3.update(chunk);
      sha.update(chunk);
      keep?.push(Buffer.from(chunk));
      yield chunk;
    }
  }
  const evidence: EvidenceRef[] = [];
  const first = () => {
    const ex = source.firstExchange?.();
    if (ex?.length && !evidence.some((e) => e.name.startsWith('random-request'))) evidence.push(t.evidence.save(`random-request${label}.http.json`, 'application/json', JSON.stringify(ex, null, 2)));
  };
  const t0 = Date.now();
  let r: Awaited<ReturnType<typeof testSample>>;
  try {
    r = await testSample(hashed(), { nBits: plan.bits, sequences, workers: plan.workers, format: 'bin' });
  } catch (e) {
    first();
    const ex = (e as { exchanges?: unknown[] }).exchanges;
    if (Array.isArray(ex) && ex.length) evidence.push(t.evidence.save(`random-failure${label}.http.json`, 'application/json', JSON.stringify(ex, null, 2)));
    return observation(t, undefined, evidence, notTestedFrom(e));
  }
  const elapsed = Date.now() - t0;
  const data: RngSample = {
    source: { kind: source.kind, description: source.description, requestBytes: source.maxRequestBytes, requests: stats.requests, shortAnswers: stats.shortAnswers },
    sampleMode: plan.sample, fullDetection: isFullDetection(plan.bits, r.sequences),
    bits: plan.bits, sequences: r.sequences, bytes: stats.bytes, sm3: sm3.digest('hex'), sha256: sha.digest('hex'),
    collectMs: stats.ms, testMs: Math.max(0, elapsed - stats.ms), items: itemsOf(r),
  };
  first();
  if (keep) evidence.push(t.evidence.save(`rng-sample${label}.bin`, 'application/octet-stream', Buffer.concat(keep)));
  evidence.push(saveTable(t, label, data));
  return observation(t, data, evidence);
}

async function hashFile(path: string): Promise<{ sm3: string; sha256: string; bytes: number }> {
  const sm3 = createHash('sm3');
  const sha = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    sm3.update(chunk as Buffer);
    sha.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sm3: sm3.digest('hex'), sha256: sha.digest('hex'), bytes };
}

function sniffFile(path: string): 'bin' | 'ascii' {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    return sniffFormat(head.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

/**
 * A sample file an assessor supplies (`options.file`, relative to the working directory): bin (raw bytes, MSB
 * first) or ascii ('0'/'1'). Without `sequences`, every complete sequence in the file is tested.
 */
export async function probeRandomFile(t: RngProbeTarget, plan: RngPlan, o: { label?: string; cwd?: string } = {}): Promise<Observation<RngSample>> {
  const label = o.label ?? '';
  const path = resolve(o.cwd ?? process.cwd(), plan.file!);
  if (!existsSync(path) || !statSync(path).isFile()) return observation(t, undefined, [], { reason: 'could_not_test', detail: `样本文件不存在 / sample file not found: ${path}` });
  const t0 = Date.now();
  try {
    const format = plan.format ?? sniffFile(path);
    const h = await hashFile(path);
    const t1 = Date.now();
    const r = await testSample(createReadStream(path), { nBits: plan.bits, sequences: plan.sequences, workers: plan.workers, format });
    const data: RngSample = {
      source: { kind: 'file', description: `file ${plan.file}`, file: plan.file, format, fileBytes: h.bytes },
      sampleMode: plan.sample, fullDetection: isFullDetection(plan.bits, r.sequences),
      bits: plan.bits, sequences: r.sequences, bytes: h.bytes, sm3: h.sm3, sha256: h.sha256,
      collectMs: t1 - t0, testMs: Date.now() - t1, items: itemsOf(r),
    };
    const evidence: EvidenceRef[] = [];
    if (h.bytes <= EVIDENCE_SAMPLE_MAX_BYTES) {
      const chunks: Buffer[] = [];
      for await (const c of createReadStream(path)) chunks.push(c as Buffer);
      evidence.push(t.evidence.save(`rng-sample${label}.${format === 'ascii' ? 'txt' : 'bin'}`, format === 'ascii' ? 'text/plain' : 'application/octet-stream', Buffer.concat(chunks)));
    }
    evidence.push(saveTable(t, label, data));
    return observation(t, data, evidence);
  } catch (e) {
    const nt = notTestedFrom(e);
    return observation(t, undefined, [], { ...nt, detail: `${plan.file}: ${nt.detail}` });
  }
}
