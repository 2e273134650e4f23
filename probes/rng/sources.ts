/**
 * Where random bytes come from, and how many are drawn: a platform's random service through its adapter
 * (`random` operation), an SDF device's `SDF_GenerateRandom`, or (see probe.ts) a file.
 */
import { OperationNotOfferedError, ResponseShapeError, type Adapter, type Exchange } from '../adapters/index.ts';

export interface RandomSource {
  readonly kind: 'api' | 'sdf';
  /** for evidence: what was called */
  readonly description: string;
  /** the largest request the source accepts */
  readonly maxRequestBytes: number;
  /** exactly `length` bytes, or fewer if the source caps its answers; errors are the adapter's error classes */
  read(length: number): Promise<Uint8Array>;
  /** the first exchange, kept as evidence of how the sample was taken */
  firstExchange?(): Exchange[] | undefined;
}

/** The target refused a random request (its own error code), e.g. a per-request maximum lower than declared. */
export class RandomRefusedError extends Error {
  constructor(message: string, readonly exchanges: Exchange[] = []) {
    super(message);
    this.name = 'RandomRefusedError';
  }
}

/** The platform's random service through the profile's adapter (operation `random`: in `length`, out `random`). */
export function adapterRandomSource(adapter: Adapter, maxRequestBytes: number, timeoutMs?: number): RandomSource {
  let first: Exchange[] | undefined;
  return {
    kind: 'api',
    description: `adapter ${adapter.name} (${adapter.type}) operation random`,
    maxRequestBytes,
    firstExchange: () => first,
    async read(length) {
      if (!adapter.operations().includes('random')) throw new OperationNotOfferedError(adapter.name, 'random');
      const r = await adapter.call('random', { length }, timeoutMs ? { timeoutMs } : {});
      first ??= r.exchanges;
      if (!r.ok) {
        const e = r.error;
        throw new RandomRefusedError(`the target refused random(length=${length}): ${[e?.status, e?.code, e?.message].filter((x) => x !== undefined).join(' ')}`, r.exchanges);
      }
      const out = r.output.random;
      if (!Buffer.isBuffer(out)) throw new ResponseShapeError(`random(length=${length}): the answer has no byte field "random" (mapping response)`, r.exchanges);
      return out;
    },
  };
}

/**
 * What the SDF transport must offer for `SDF_GenerateRandom` (GM/T 0018 6.2.7) inside an open session.
 * probes/sdf provides it (native library or network endpoint); anything with this shape works.
 */
export interface SdfRandomSession {
  readonly description: string;
  generateRandom(length: number): Promise<Uint8Array>;
}

export function sdfRandomSource(session: SdfRandomSession, maxRequestBytes: number): RandomSource {
  return { kind: 'sdf', description: `${session.description} SDF_GenerateRandom`, maxRequestBytes, read: (n) => session.generateRandom(n) };
}

export interface CollectLimits {
  /** upper bound on requests (default: twice what exact answers would need, plus 10) */
  maxRequests?: number;
  concurrency: number;
  /** absolute time (ms since epoch) after which collection stops with an error */
  deadline: number;
}

export interface CollectStats {
  requests: number;
  bytes: number;
  shortAnswers: number;
  ms: number;
}

/** Collection stopped before the sample was complete (bounds reached); not a verdict on the source. */
export class CollectionLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CollectionLimitError';
  }
}

/**
 * Draws `total` bytes in requests of at most `maxRequestBytes`, up to `concurrency` in flight, yielding them in
 * order as they arrive (so the tests can run while collection goes on). Bounded in request count and time.
 */
export async function* collectBytes(source: RandomSource, total: number, limits: CollectLimits, stats: CollectStats): AsyncGenerator<Uint8Array> {
  const t0 = Date.now();
  const per = Math.max(1, source.maxRequestBytes);
  const maxRequests = limits.maxRequests ?? 2 * Math.ceil(total / per) + 10;
  let requested = 0; // bytes asked for by requests issued so far
  const inFlight: Promise<Uint8Array>[] = [];
  const issue = () => {
    const n = Math.min(per, total - requested);
    requested += n;
    stats.requests++;
    const p = source.read(n).then((b) => {
      if (b.length > n) return b.subarray(0, n); // never more than asked: the sample size stays exact
      if (b.length < n) stats.shortAnswers++;
      return b;
    });
    p.catch(() => {}); // awaited below in order; avoids an unhandled rejection while earlier ones are pending
    inFlight.push(p);
  };
  try {
    while (stats.bytes < total) {
      if (inFlight.length === 0) {
        if (requested >= total) requested = stats.bytes; // short answers left a gap: ask again for the rest
        if (stats.requests >= maxRequests) throw new CollectionLimitError(`request limit reached: ${stats.requests} requests gave ${stats.bytes} of ${total} bytes (options.maxRequests)`);
      }
      while (inFlight.length < limits.concurrency && requested < total && stats.requests < maxRequests) issue();
      if (Date.now() > limits.deadline) throw new CollectionLimitError(`time limit reached after ${stats.requests} requests, ${stats.bytes} of ${total} bytes (options.timeLimitSeconds, timeouts.stepMs)`);
      const b = await inFlight.shift()!;
      const take = b.subarray(0, Math.min(b.length, total - stats.bytes));
      stats.bytes += take.length;
      if (take.length) yield take;
    }
  } finally {
    stats.ms = Date.now() - t0;
    await Promise.allSettled(inFlight);
  }
}
