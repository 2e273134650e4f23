/**
 * The native transport: a vendor's GM/T 0018 shared library, loaded with koffi (no compiler at run time).
 * Prototypes come from the edition's function table; every argument is marshalled as bytes (structs exactly as
 * laid out in structs.ts), so what the library sees is what a C caller would pass.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Edition } from './constants.ts';
import { functionTable, REQUIRED_FUNCTIONS, SdfLoadError, SdfNotOfferedError, type Param, type SdfArgs, type SdfCallResult, type SdfTransport } from './spec.ts';

// koffi is a CommonJS native addon; loaded on demand so that the endpoint transport works without it.
type Koffi = typeof import('koffi');
const require = createRequire(import.meta.url);
let koffiModule: Koffi | undefined;
function koffi(): Koffi {
  return (koffiModule ??= require('koffi') as Koffi);
}

type Fn = (...args: unknown[]) => number;

/** Default capacity for variable-length outputs (bytes); the suite never asks for more. */
const DEFAULT_CAPACITY = 70_000;

export class NativeSdf implements SdfTransport {
  readonly kind = 'native' as const;
  readonly description: string;
  private readonly fns = new Map<string, Fn>();
  private readonly missing = new Map<string, string>();
  private readonly table: Record<string, readonly Param[]>;
  private readonly handles = new Map<string, unknown>();
  private nextHandle = 1;
  private lib: { unload(): void } | undefined;

  private constructor(readonly path: string, readonly edition: Edition) {
    this.description = `${path} (GM/T 0018-${edition} prototypes)`;
    this.table = functionTable(edition);
  }

  /** Loads the library; a missing file, an unloadable one, or a missing required symbol is an SdfLoadError. */
  static open(path: string, edition: Edition): NativeSdf {
    const abs = resolve(path);
    if (!existsSync(abs)) throw new SdfLoadError(`${path}: no such file (the SDF library to load)`);
    const t = new NativeSdf(abs, edition);
    let lib: ReturnType<Koffi['load']>;
    try {
      lib = koffi().load(abs);
    } catch (e) {
      throw new SdfLoadError(`${path}: cannot load as a shared library: ${(e as Error).message}`);
    }
    t.lib = lib;
    for (const [name, params] of Object.entries(t.table)) {
      try {
        t.fns.set(name, lib.func(name, 'int', params.map(([, kind]) => koffiType(kind))) as unknown as Fn);
      } catch (e) {
        t.missing.set(name, (e as Error).message);
      }
    }
    const absent = REQUIRED_FUNCTIONS.filter((f) => !t.fns.has(f));
    if (absent.length) {
      lib.unload();
      throw new SdfLoadError(`${path}: does not export the required SDF symbol(s) ${absent.join(', ')} — not a GM/T 0018 library, or a different naming`);
    }
    return t;
  }

  has(fn: string): boolean {
    return this.fns.has(fn);
  }

  /** Functions of the edition's table the library lacks (evidence: the suite reports them as not offered). */
  absentFunctions(): string[] {
    return [...this.missing.keys()];
  }

  async call(fn: string, args: SdfArgs, opts: { capacity?: number } = {}): Promise<SdfCallResult> {
    const f = this.fns.get(fn);
    const params = this.table[fn];
    if (!f || !params) throw new SdfNotOfferedError(fn, this.missing.get(fn) ? `not exported by ${this.path}` : 'not in the function table');
    const capacity = opts.capacity ?? DEFAULT_CAPACITY;
    const cargs: unknown[] = [];
    const after: (() => void)[] = [];
    const out: SdfCallResult['out'] = {};
    const buffers = new Map<string, Buffer>();
    // input buffers first: a length parameter may precede the buffer it measures (SDF_WriteFile)
    for (const [name, kind] of params) {
      if (kind !== 'in' && kind !== 'in?') continue;
      const v = args[name];
      if (Buffer.isBuffer(v)) buffers.set(name, Buffer.from(v)); // a private copy: a library writing to input must not alter ours
    }
    for (const [name, kind] of params) {
      if (kind === 'h') {
        const ref = args[name];
        cargs.push(typeof ref === 'string' ? (this.handles.has(ref) ? this.handles.get(ref) : null) : null);
      } else if (kind === 'hOut') {
        const box: unknown[] = [null];
        cargs.push(box);
        after.push(() => {
          const id = `h${this.nextHandle++}`;
          this.handles.set(id, box[0]);
          out[name] = id;
        });
      } else if (kind === 'u32') {
        cargs.push(Number(args[name] ?? 0) >>> 0);
      } else if (kind === 'in' || kind === 'in?') {
        const b = buffers.get(name) ?? null;
        cargs.push(b && b.length === 0 ? Buffer.alloc(1) : b);
      } else if (kind.startsWith('len:')) {
        const of = kind.slice(4);
        const v = args[name];
        cargs.push(typeof v === 'number' ? v >>> 0 : (buffers.get(of)?.length ?? 0));
      } else if (kind.startsWith('out:')) {
        const b = Buffer.alloc(Number(kind.slice(4)));
        cargs.push(b);
        after.push(() => void (out[name] = b));
      } else if (kind === 'cipher') {
        const b = Buffer.alloc(capacity);
        cargs.push(b);
        after.push(() => {
          const l = b.readUInt32LE(160);
          out[name] = b.subarray(0, Math.min(b.length, 164 + l));
        });
      } else if (kind === 'inout') {
        const v = args[name];
        const b = Buffer.isBuffer(v) ? Buffer.from(v) : null;
        cargs.push(b);
        if (b) after.push(() => void (out[name] = b));
      } else if (kind === 'outv') {
        const len = typeof args[`${name}.length`] === 'number' ? (args[`${name}.length`] as number) : capacity;
        const b = Buffer.alloc(Math.max(1, len));
        buffers.set(name, b);
        cargs.push(b);
      } else if (kind.startsWith('lenout:')) {
        const of = kind.slice(7);
        const requested = typeof args[name] === 'number' ? (args[name] as number) : undefined;
        const box = [requested ?? capacity];
        // the paired buffer may come before or after this parameter
        const pairIdx = params.findIndex(([n]) => n === of);
        if (pairIdx > params.findIndex(([n]) => n === name)) args = { ...args, [`${of}.length`]: box[0]! };
        cargs.push(box);
        after.push(() => {
          const b = buffers.get(of)!;
          out[name] = box[0]!;
          out[of] = b.subarray(0, Math.min(b.length, box[0]!));
        });
      }
    }
    // outv sized from an earlier u32 (SDF_GenerateRandom: uiLength)
    if (fn === 'SDF_GenerateRandom') {
      const n = Number(args.uiLength ?? 0) >>> 0;
      const b = Buffer.alloc(Math.max(1, Math.min(n, capacity)));
      cargs[2] = n > capacity ? null : b;
      after.push(() => void (out.pucRandom = b.subarray(0, Math.min(n, b.length))));
    }
    const rv = f(...cargs) >>> 0;
    // outputs of a failed call are not read: a conforming library leaves them undefined
    if (rv === 0) for (const a of after) a();
    return { rv, out };
  }

  async close(): Promise<void> {
    this.handles.clear();
    this.lib?.unload();
    this.lib = undefined;
  }
}

type KoffiTypeSpec = Parameters<Koffi['out']>[0] | ReturnType<Koffi['out']>;

function koffiType(kind: string): KoffiTypeSpec {
  const k = koffi();
  if (kind === 'h') return 'void *';
  if (kind === 'hOut') return k.out(k.pointer('void *'));
  if (kind === 'u32' || kind.startsWith('len:')) return 'uint32_t';
  if (kind.startsWith('lenout:')) return k.inout(k.pointer('uint32_t'));
  return 'uint8_t *';
}
