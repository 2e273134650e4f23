import { observeCall, type ApiTarget, type CallObservation } from '../../probes/api/call.ts';
import type { Fields } from '../../probes/adapters/index.ts';
import type { Observation } from '../../probes/observation.ts';
import { recall, remember } from '../support/judge.ts';
import type { GmWorld } from '../support/world.ts';

/**
 * Views of one assessed platform through other identities named in the object's options: a second
 * application (`peerAdapter`) and administrators by role (`adminAdapters`). A view the profile does not
 * configure yields a not-tested observation (not offered), never a pass.
 */
export type Role = 'self' | 'peer' | 'super_admin' | 'business_admin' | 'auditor';

export async function viewAs(w: GmWorld, t: ApiTarget & { raw: { options?: Record<string, unknown> } }, role: Role): Promise<ApiTarget | string> {
  if (role === 'self') return t;
  const o = t.raw.options ?? {};
  const name = role === 'peer' ? o.peerAdapter : (o.adminAdapters as Record<string, unknown> | undefined)?.[role];
  if (typeof name !== 'string') return `测评对象 ${t.object.id} 未在 options 中配置${role === 'peer' ? '第二个接入应用（peerAdapter）' : `${role} 管理员（adminAdapters.${role}）`}`;
  const adapter = await w.adapterNamed(name);
  if (!adapter) return `适配器 ${name} 未配置`;
  return { ...t, adapter };
}

/** One call as `role`, remembered under `key`; an unconfigured view becomes a not-tested observation. */
export async function callAs(w: GmWorld, t: ApiTarget & { raw: { options?: Record<string, unknown> } }, role: Role, op: string, input: Fields, key: string, opts: { auth?: import('../../probes/adapters/index.ts').AuthMode } = {}): Promise<Observation<CallObservation>> {
  const v = await viewAs(w, t, role);
  const obs: Observation<CallObservation> = typeof v === 'string'
    ? { probe: 'api', object: t.object, at: new Date().toISOString(), notTested: { reason: 'not_offered', detail: v }, evidence: [] }
    : await observeCall(v, op, input, opts, `${key}-${op}`);
  remember(w, t.object.id, obs, key);
  return obs;
}

/**
 * A set-up call that must succeed for the check to mean anything: a refusal blocks the object's later
 * steps as not tested (inconclusive) with the platform's reason. Returns the output, or undefined.
 */
export async function setup(w: GmWorld, t: ApiTarget & { raw: { options?: Record<string, unknown> } }, role: Role, op: string, input: Fields, key: string, what: string): Promise<Fields | undefined> {
  const obs = await callAs(w, t, role, op, input, key);
  if (!obs.data) return undefined;
  if (!obs.data.accepted) {
    remember(w, t.object.id, { ...obs, data: undefined, notTested: { reason: 'inconclusive', detail: `${what}未成功 / set-up refused: ${refusal(obs.data)}` } }, key);
    return undefined;
  }
  return obs.data.output;
}

export const refusal = (d: CallObservation) => `${d.error?.status ?? ''} ${d.error?.code ?? ''} ${d.error?.message ?? ''}`.trim();
export const got = (w: GmWorld, objectId: string, key: string) => recall<CallObservation>(w, objectId, key)?.data;
export const hex = (b: unknown) => (Buffer.isBuffer(b) ? b.toString('hex') : String(b));
