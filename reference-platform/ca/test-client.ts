/** Test helper: an administrator session on a running reference platform (password + SM2 challenge). */
import { sm2PrivateKeyFromPem, sm2Sign, SM2_DEFAULT_ID } from '../../lib/gm/index.ts';
import type { ProvisionedAdmin } from '../index.ts';

export interface Client { call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown>; raw: Buffer }>; raw(method: string, path: string, body: Buffer, type: string): Promise<{ status: number; raw: Buffer }> }

export async function adminClient(base: string, a: ProvisionedAdmin): Promise<Client> {
  const post = async (p: string, b: unknown) => (await fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) })).json() as Promise<Record<string, string>>;
  const l = await post('/admin/login', { username: a.username, password: a.password });
  const kp = sm2PrivateKeyFromPem(a.privateKeyPem);
  const sig = sm2Sign(kp.privateKey, Buffer.from(l.challenge!, 'base64'), { id: SM2_DEFAULT_ID, format: 'der' });
  const s = await post('/admin/login/mfa', { mfaToken: l.mfaToken, signature: sig.toString('base64') });
  const token = s.sessionToken;
  return {
    async call(method, path, body) {
      const r = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
      const raw = Buffer.from(await r.arrayBuffer());
      let json: Record<string, unknown> = {};
      try { json = JSON.parse(raw.toString('utf8')); } catch { /* binary */ }
      return { status: r.status, json, raw };
    },
    async raw(method, path, body, type) {
      const r = await fetch(`${base}${path}`, { method, headers: { 'content-type': type }, body });
      return { status: r.status, raw: Buffer.from(await r.arrayBuffer()) };
    },
  };
}
