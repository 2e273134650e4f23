import { resolve } from 'node:path';
import { InputError } from '../../lib/errors.ts';
import { formatIssue } from '../../lib/yaml-schema/index.ts';
import { HttpAdapter } from './http/http-adapter.ts';
import { loadMapping } from './http/mapping.ts';
import { loadModuleAdapter } from './module-adapter.ts';
import type { Adapter } from './types.ts';
import { SdfAdapter, type ResolvedSdfAdapterConfig } from '../sdf/adapter.ts';
import { tlcpConnectionFactory, type ResolvedTlcpTransport } from '../tlcp/config.ts';

export * from './types.ts';
export { OPERATIONS } from './operations.ts';

/** What the runner resolved for one adapter: paths absolute, endpoint a URL, secrets as values (never logged). */
export type ResolvedAdapterConfig =
  | { type: 'http'; name: string; mappingFile: string; baseUrl: string; accessKey?: string; secret?: string; timeoutMs?: number; tlcp?: ResolvedTlcpTransport }
  | { type: 'module'; name: string; moduleFile: string; options: Record<string, unknown>; timeoutMs?: number }
  | ResolvedSdfAdapterConfig;

export async function createAdapter(c: ResolvedAdapterConfig): Promise<Adapter> {
  if (c.type === 'http') {
    const { mapping, issues } = loadMapping(resolve(c.mappingFile));
    if (issues.length) throw new InputError(`adapters.${c.name}.mapping: invalid mapping file`, issues.map(formatIssue));
    return new HttpAdapter({
      name: c.name, baseUrl: c.baseUrl, mapping, accessKey: c.accessKey, secret: c.secret, timeoutMs: c.timeoutMs,
      ...(c.tlcp ? { createConnection: tlcpConnectionFactory(c.tlcp) as unknown as () => import('node:stream').Duplex } : {}),
    });
  }
  if (c.type === 'sdf') return new SdfAdapter(c);
  return loadModuleAdapter(c.name, resolve(c.moduleFile), c.options, c.timeoutMs);
}
