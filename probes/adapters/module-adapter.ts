import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { InputError } from '../../lib/errors.ts';
import { OPERATIONS } from './operations.ts';
import { OperationNotOfferedError, TargetUnreachableError, type Adapter, type AuthMode, type CallOptions, type CallResult, type Fields } from './types.ts';

/**
 * What a user's module provides: `export function createAdapter(options) { return { hash: async (input) => ({ digest }) , … } }`.
 * Each method is an operation name from OPERATIONS; it resolves with the output fields, or throws.
 * A thrown error with `refused: true` (and optional `code`) means the platform refused the operation
 * (a legitimate answer that checks judge), anything else means it could not be reached.
 */
export type UserOperations = Partial<Record<string, (input: Fields) => Promise<Fields>>>;
export interface UserModule { createAdapter(options: Record<string, unknown>): UserOperations | Promise<UserOperations> }

export class RefusedError extends Error {
  readonly refused = true;
  constructor(message: string, readonly code?: string) { super(message); }
}

export async function loadModuleAdapter(name: string, file: string, options: Record<string, unknown>, timeoutMs = 10_000): Promise<Adapter> {
  if (!existsSync(file)) throw new InputError(`adapters.${name}.module: ${file} not found`);
  let mod: Partial<UserModule>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Partial<UserModule>;
  } catch (e) {
    throw new InputError(`adapters.${name}.module: cannot load ${file}: ${(e as Error).message}`);
  }
  if (typeof mod.createAdapter !== 'function') throw new InputError(`adapters.${name}.module: ${file} does not export createAdapter(options)`);
  const ops = await mod.createAdapter(options);
  const unknown = Object.keys(ops).filter((k) => typeof ops[k] === 'function' && !(k in OPERATIONS) && k !== 'close');
  if (unknown.length) throw new InputError(`adapters.${name}.module: ${file}: unknown operation(s) ${unknown.join(', ')} (known: ${Object.keys(OPERATIONS).join(', ')})`);
  return new ModuleAdapter(name, ops, timeoutMs);
}

class ModuleAdapter implements Adapter {
  readonly type = 'module';
  constructor(readonly name: string, private readonly ops: UserOperations, private readonly timeoutMs: number) {}
  operations(): string[] {
    return Object.keys(this.ops).filter((k) => k in OPERATIONS && typeof this.ops[k] === 'function');
  }
  authModes(): AuthMode[] {
    return ['valid'];
  }
  async call(operation: string, input: Fields, opts: CallOptions = {}): Promise<CallResult> {
    const fn = this.ops[operation];
    if (!fn) throw new OperationNotOfferedError(this.name, operation, 'the module does not implement it');
    if ((opts.auth ?? 'valid') !== 'valid') throw new OperationNotOfferedError(this.name, operation, `auth variation "${opts.auth}" is not available through a module adapter`);
    const limit = opts.timeoutMs ?? this.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      const output = await Promise.race([
        fn.call(this.ops, input),
        new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new TargetUnreachableError(`${operation}: no answer within ${limit} ms`)), limit); }),
      ]);
      return { ok: true, output: output ?? {}, exchanges: [] };
    } catch (e) {
      const err = e as { refused?: boolean; code?: string; message?: string };
      if (err?.refused) return { ok: false, output: {}, error: { code: err.code, message: err.message }, exchanges: [] };
      if (e instanceof TargetUnreachableError) throw e;
      throw new TargetUnreachableError(`${operation}: ${err?.message ?? String(e)}`);
    } finally {
      clearTimeout(timer);
    }
  }
  async close(): Promise<void> {
    const c = (this.ops as { close?: () => Promise<void> }).close;
    if (typeof c === 'function') await c.call(this.ops);
  }
}
