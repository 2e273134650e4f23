/** Resolves a profile's `sdf` adapter: library path against the profile, a named endpoint against the target's. */
import { resolve } from 'node:path';
import { InputError } from '../../lib/errors.ts';
import type { ResolvedSdfAdapterConfig } from './adapter.ts';
import { ALL_KINDS, type Kind } from './vectors.ts';

export interface SdfAdapterInput {
  library?: string; edition?: '2012' | '2023'; endpoint?: string; device?: string | number;
  keyIndex?: number; kekIndex?: number; capabilities?: string[]; timeoutMs?: number;
}

export function resolveSdfAdapter(name: string, a: SdfAdapterInput, file: string, dir: string, endpoints: Record<string, string>, pin: string | undefined): ResolvedSdfAdapterConfig {
  const where = `${file}: adapters.${name}`;
  const bad = (a.capabilities ?? []).filter((c) => !(ALL_KINDS as string[]).includes(c));
  if (bad.length) throw new InputError(`${where}.capabilities: unknown check group ${bad.join(', ')} (known: ${ALL_KINDS.join(', ')})`);
  let endpoint: string | undefined;
  if (a.endpoint) {
    if (/^sdf:\/\//.test(a.endpoint)) endpoint = a.endpoint;
    else {
      const base = endpoints[a.endpoint];
      if (!base) throw new InputError(`${where}.endpoint: no endpoint "${a.endpoint}" in target.endpoints (have: ${Object.keys(endpoints).join(', ') || 'none'})`);
      endpoint = `${base.replace(/\/+$/, '')}/${encodeURIComponent(String(a.device ?? 0))}`;
    }
  }
  return {
    type: 'sdf', name, edition: a.edition ?? '2023', library: a.library ? resolve(dir, a.library) : undefined, endpoint, pin,
    keyIndex: a.keyIndex, kekIndex: a.kekIndex, capabilities: a.capabilities as Kind[] | undefined, timeoutMs: a.timeoutMs,
  };
}
