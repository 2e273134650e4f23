import { OperationNotOfferedError, ResponseShapeError, TargetUnreachableError, type Adapter, type CallOptions, type CallResult, type Exchange, type Fields } from '../adapters/index.ts';
import type { EvidenceSink } from '../evidence.ts';
import type { Observation } from '../observation.ts';

export interface ApiTarget { adapter: Adapter; object: { id: string; name: string }; evidence: EvidenceSink }

/** The answer to one operation as observed: accepted with output, or refused with the platform's code. */
export interface CallObservation { operation: string; input: Record<string, unknown>; accepted: boolean; output: Fields; error?: CallResult['error'] }

/**
 * Calls one adapter operation and records the exchange as evidence. Adapter and transport failures
 * become `notTested` observations with the reason, never an exception that could read as a verdict.
 */
export async function observeCall(t: ApiTarget, operation: string, input: Fields, opts: CallOptions = {}, evidenceName = operation): Promise<Observation<CallObservation>> {
  const base = { probe: 'api', object: t.object, at: new Date().toISOString() };
  const describe = describeInput(input);
  try {
    const r = await t.adapter.call(operation, input, opts);
    return { ...base, data: { operation, input: describe, accepted: r.ok, output: r.output, error: r.error }, evidence: saveExchanges(t, evidenceName, r.exchanges) };
  } catch (e) {
    if (e instanceof OperationNotOfferedError) return { ...base, notTested: { reason: 'not_offered', detail: e.message }, evidence: [] };
    if (e instanceof TargetUnreachableError) return { ...base, notTested: { reason: 'could_not_test', detail: e.message }, evidence: saveExchanges(t, evidenceName, e.exchanges) };
    if (e instanceof ResponseShapeError) return { ...base, notTested: { reason: 'inconclusive', detail: e.message }, evidence: saveExchanges(t, evidenceName, e.exchanges) };
    return { ...base, notTested: { reason: 'error', detail: (e as Error).message ?? String(e) }, evidence: [] };
  }
}

function saveExchanges(t: ApiTarget, name: string, exchanges: Exchange[]) {
  return exchanges.length ? [t.evidence.save(`${name}.http.json`, 'application/json', JSON.stringify(exchanges, null, 2))] : [];
}

/** Inputs as recorded in observations: bytes as hex, so evidence is readable and diffable. */
function describeInput(input: Fields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) out[k] = Buffer.isBuffer(v) ? `hex:${v.toString('hex')}` : v;
  return out;
}
