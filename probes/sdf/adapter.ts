/**
 * The built-in `sdf` adapter (DESIGN.md §3): a profile object reached through a GM/T 0018 library or a device
 * endpoint. `call(fn, input)` is one SDF call (return value in `output.rv`); the GM/T 0018 steps use the
 * transport directly through `open()`.
 */
import type { Adapter, AuthMode, CallResult, Fields } from '../adapters/types.ts';
import { OperationNotOfferedError, TargetUnreachableError } from '../adapters/types.ts';
import type { Edition } from './constants.ts';
import { EndpointSdf } from './endpoint.ts';
import { NativeSdf } from './native.ts';
import { functionTable, SdfLoadError, SdfNotOfferedError, type SdfArgs, type SdfTransport } from './spec.ts';
import type { Kind } from './vectors.ts';

/** What the runner resolved for an `sdf` adapter: a library path or an endpoint URL, the PIN as a value (never logged). */
export interface ResolvedSdfAdapterConfig {
  type: 'sdf';
  name: string;
  library?: string;
  edition: Edition;
  endpoint?: string;
  pin?: string;
  keyIndex?: number;
  kekIndex?: number;
  capabilities?: Kind[];
  timeoutMs?: number;
}

/** Opens the transport a resolved config names; a missing library or unreachable endpoint is an SdfLoadError. */
export async function openTransport(c: { library?: string; endpoint?: string; edition?: Edition; timeoutMs?: number }): Promise<SdfTransport> {
  if (c.library) return NativeSdf.open(c.library, c.edition ?? '2023');
  if (c.endpoint) return EndpointSdf.open(c.endpoint, c.timeoutMs);
  throw new SdfLoadError('an sdf adapter needs a library or an endpoint');
}

export class SdfAdapter implements Adapter {
  readonly type = 'sdf';
  readonly name: string;
  private transport?: SdfTransport;

  constructor(readonly config: ResolvedSdfAdapterConfig) {
    this.name = config.name;
  }

  /** The transport, opened on first use. A load failure is the target being unreachable (could not test). */
  async open(): Promise<SdfTransport> {
    if (this.transport) return this.transport;
    try {
      return (this.transport = await openTransport(this.config));
    } catch (e) {
      if (e instanceof SdfLoadError) throw new TargetUnreachableError(e.message);
      throw e;
    }
  }

  operations(): string[] {
    return Object.keys(functionTable(this.config.edition));
  }

  authModes(): AuthMode[] {
    return ['valid'];
  }

  async call(operation: string, input: Fields): Promise<CallResult> {
    const t = await this.open();
    try {
      const r = await t.call(operation, input as SdfArgs);
      return { ok: r.rv === 0, output: { rv: r.rv, ...r.out }, ...(r.rv ? { error: { code: `0x${r.rv.toString(16).padStart(8, '0')}` } } : {}), exchanges: [] };
    } catch (e) {
      if (e instanceof SdfNotOfferedError) throw new OperationNotOfferedError(this.name, operation, e.message);
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.transport?.close();
    this.transport = undefined;
  }
}
