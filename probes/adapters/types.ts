/**
 * The adapter interface (DESIGN.md §3): how probes reach platform functions that no standard protocol fixes.
 * Every operation is optional; one an adapter does not offer yields `not_tested`, never a pass.
 */

/** Byte values travel as Buffers inside gmeval; adapters encode them for the wire. */
export type Value = string | number | boolean | Buffer | null | undefined | Value[] | { [k: string]: Value };
export type Fields = Record<string, Value>;

/** How the request is authenticated — the variations let effectiveness checks try what an attacker would. */
export type AuthMode = 'valid' | 'none' | 'bad-signature' | 'stale-timestamp' | 'replay' | 'password-only' | 'wrong-second-factor';

export interface CallOptions {
  auth?: AuthMode;
  timeoutMs?: number;
}

/** One request/response pair as evidence. Secrets never appear: the adapter redacts before recording. */
export interface Exchange {
  at: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body: string; ms: number };
  error?: string;
}

export interface CallResult {
  /** the target accepted and answered the operation */
  ok: boolean;
  output: Fields;
  /** present when the target refused: the platform's own code and message, and the transport status */
  error?: { code?: string; message?: string; status?: number };
  exchanges: Exchange[];
}

export interface Adapter {
  readonly name: string;
  readonly type: string;
  /** operations this adapter offers */
  operations(): string[];
  /** auth variations it can produce (an http adapter with request signing can; a module adapter may not) */
  authModes(): AuthMode[];
  call(operation: string, input: Fields, opts?: CallOptions): Promise<CallResult>;
  close?(): Promise<void>;
}

/** The operation is not offered by the adapter or its mapping: the check becomes not_tested. */
export class OperationNotOfferedError extends Error {
  constructor(readonly adapter: string, readonly operation: string, detail = '') {
    super(`adapter "${adapter}" does not offer operation "${operation}"${detail ? `: ${detail}` : ''}`);
    this.name = 'OperationNotOfferedError';
  }
}

/** The target could not be reached or did not answer in time: not_tested (could_not_test). */
export class TargetUnreachableError extends Error {
  constructor(message: string, readonly exchanges: Exchange[] = []) {
    super(message);
    this.name = 'TargetUnreachableError';
  }
}

/** The target answered, but not in the shape the mapping declares: not_tested (inconclusive) with the reason. */
export class ResponseShapeError extends Error {
  constructor(message: string, readonly exchanges: Exchange[] = []) {
    super(message);
    this.name = 'ResponseShapeError';
  }
}
