/**
 * One bounded HTTP exchange for the PKI probes (OCSP, CRL, RFC 3161): headers AND body within one deadline and
 * under a size cap, so a responder that trickles, floods or stops mid-answer is "could not test" with a reason —
 * never a hang, never an unbounded buffer, never an exception escaping the probe.
 */
export const MAX_PKI_RESPONSE_BYTES = 16 << 20;

export class HttpFetchError extends Error {}

export async function fetchBytes(url: string, init: RequestInit, o: { timeoutMs: number; maxBytes?: number }): Promise<{ status: number; body: Uint8Array }> {
  const max = o.maxBytes ?? MAX_PKI_RESPONSE_BYTES;
  const signal = AbortSignal.timeout(o.timeoutMs);
  try {
    const res = await fetch(url, { ...init, signal });
    const declared = Number(res.headers.get('content-length'));
    if (declared > max) {
      await res.body?.cancel().catch(() => undefined);
      throw new HttpFetchError(`response body of ${declared} bytes exceeds ${max} bytes`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.length;
        if (size > max) {
          await reader.cancel().catch(() => undefined);
          throw new HttpFetchError(`response body exceeds ${max} bytes`);
        }
        chunks.push(value);
      }
    }
    return { status: res.status, body: Buffer.concat(chunks) };
  } catch (e) {
    if (e instanceof HttpFetchError) throw e;
    if (signal.aborted) throw new HttpFetchError(`no complete answer within ${o.timeoutMs} ms`);
    const err = e as Error & { cause?: Error & { code?: string } };
    const cause = err.cause ? `: ${err.cause.code ?? ''} ${err.cause.message}`.replace(/\s+/g, ' ') : '';
    throw new HttpFetchError(`${err.message}${cause}`);
  }
}
