import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSchema, formatIssue, parseYamlWithSchema, type YamlIssue } from '../lib/yaml-schema/index.ts';
import { InputError } from '../lib/errors.ts';
import type { AttestationInput, WaiverInput } from '../reports/manual.ts';

export type SecretRef = string | { env: string } | { file: string } | { provisioned: string };

export interface HttpAdapterConfig {
  type: 'http'; mapping: string; endpoint?: string; credential?: string; timeoutMs?: number;
  /** tlcp: the requests travel over GB/T 38636 to the endpoint's host:port (probes/tlcp/config.ts) */
  transport?: 'http' | 'tlcp';
  tlcp?: import('../probes/tlcp/config.ts').TlcpTransportOptions;
}
export interface ModuleAdapterConfig { type: 'module'; module: string; options?: Record<string, unknown>; timeoutMs?: number }
/** A GM/T 0018 device: native library (+ edition) or device endpoint (URL or target endpoint name), docs/sdf.md. */
export interface SdfAdapterConfig {
  type: 'sdf'; library?: string; edition?: '2012' | '2023'; endpoint?: string; device?: string | number;
  pin?: SecretRef; keyIndex?: number; kekIndex?: number; capabilities?: string[]; timeoutMs?: number;
}
export type AdapterConfig = HttpAdapterConfig | ModuleAdapterConfig | SdfAdapterConfig;

export type ObjectKind = 'crypto-service' | 'tlcp-channel' | 'device' | 'console' | 'network-zone' | 'certificate' | 'rng-source' | 'ca-system' | 'km-system';
export interface EvalObject { id: string; name: string; kind: ObjectKind; adapter?: string; units?: string[]; options?: Record<string, unknown> }

export interface Profile {
  schemaVersion: 1;
  name: string;
  description?: string;
  extends?: string;
  level: 1 | 2 | 3 | 4;
  language?: 'zh' | 'en';
  evaluateAsOf?: string;
  target: { kind: 'reference' | 'remote'; defects?: string[]; endpoints?: { api?: string; tlcp?: string; console?: string; sdf?: string } };
  credentials?: Record<string, { accessKey?: SecretRef; secret?: SecretRef }>;
  adapters?: Record<string, AdapterConfig>;
  objects: EvalObject[];
  features?: { paths?: string[]; tags?: string };
  timeouts?: { requestMs?: number; stepMs?: number };
  gate?: string;
  assumptions?: Record<string, unknown>;
  waivers?: WaiverInput[];
  /** a list, or the path of an attestations file (its waivers are used too) */
  attestations?: AttestationInput[] | string;
  report?: { signingKey?: { file: string } };
}

/** A profile as loaded: its own path (relative paths inside it resolve against `dir`). */
export interface LoadedProfile { profile: Profile; file: string; dir: string }

const here = dirname(fileURLToPath(import.meta.url));
export const PROFILE_SCHEMA_PATH = resolve(here, 'profile.schema.json');
export const DEFAULT_PROFILE_PATH = resolve(here, 'reference.yaml');
let validator: ReturnType<typeof compileSchema> | undefined;
function profileValidator() {
  return (validator ??= compileSchema(JSON.parse(readFileSync(PROFILE_SCHEMA_PATH, 'utf8'))));
}

/** Validates one profile file on its own (no `extends` resolution); returns every issue. */
export function validateProfileFile(file: string): YamlIssue[] {
  const text = readText(file);
  const r = parseYamlWithSchema<Profile>(text, file, profileValidator());
  if (!r.ok) return r.issues;
  return crossCheck(r.value, file, r.lines, r.doc);
}

/** Loads a profile, applying `extends` overlays (base first, this file's top-level fields win). */
export function loadProfile(file: string, seen: string[] = []): LoadedProfile {
  const abs = resolve(file);
  if (seen.includes(abs)) throw new InputError(`${file}: extends: circular reference (${[...seen, abs].join(' -> ')})`);
  const text = readText(abs);
  const raw = parseYamlWithSchema<Profile>(text, file, profileValidator());
  if (!raw.ok) throw new InputError(`${file}: invalid profile`, raw.issues.map(formatIssue));
  let profile = raw.value;
  if (profile.extends) {
    const baseLoaded = loadProfile(resolve(dirname(abs), profile.extends), [...seen, abs]);
    const base = baseLoaded.profile;
    // a base's attestations file is relative to the base profile, not to this one
    if (typeof base.attestations === 'string') base.attestations = resolve(baseLoaded.dir, base.attestations);
    profile = mergeProfiles(base, profile);
  }
  const issues = crossCheck(profile, file, raw.lines, raw.doc);
  if (issues.length) throw new InputError(`${file}: invalid profile`, issues.map(formatIssue));
  return { profile, file: abs, dir: dirname(abs) };
}

function mergeProfiles(base: Profile, over: Profile): Profile {
  const merged: Profile = { ...base, ...over };
  merged.credentials = { ...base.credentials, ...over.credentials };
  merged.adapters = { ...base.adapters, ...over.adapters };
  delete merged.extends;
  return merged;
}

/** Checks that the schema cannot express: references between sections. */
function crossCheck(p: Profile, file: string, lines: import('yaml').LineCounter, doc: import('yaml').Document): YamlIssue[] {
  const issues: YamlIssue[] = [];
  const at = (path: (string | number)[]) => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const pos = lines.linePos(node?.range?.[0] ?? 0);
    return { line: pos.line, column: pos.col };
  };
  const adapters = p.adapters ?? {};
  const ids = new Set<string>();
  (p.objects ?? []).forEach((o, i) => {
    if (ids.has(o.id)) issues.push({ file, ...at(['objects', i, 'id']), field: `objects[${i}].id`, reason: `duplicate object id "${o.id}"` });
    ids.add(o.id);
    if (o.adapter && !(o.adapter in adapters))
      issues.push({ file, ...at(['objects', i, 'adapter']), field: `objects[${i}].adapter`, reason: `no adapter named "${o.adapter}" in adapters (have: ${Object.keys(adapters).join(', ') || 'none'})` });
  });
  for (const [name, a] of Object.entries(adapters)) {
    if (a.type === 'http' && a.credential && !(p.credentials && a.credential in p.credentials))
      issues.push({ file, ...at(['adapters', name, 'credential']), field: `adapters.${name}.credential`, reason: `no credential named "${a.credential}" in credentials` });
  }
  return issues;
}

function readText(file: string): string {
  if (!existsSync(file)) throw new InputError(`${file}: file not found`);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read: ${(e as Error).message}`);
  }
}

/**
 * Resolves a secret reference. `provisioned` values come from the platform gmeval started itself.
 * The value is returned to the caller only; it is never logged or written to a report.
 */
export function resolveSecret(ref: SecretRef | undefined, where: string, baseDir: string, provisioned: Record<string, string> = {}): string | undefined {
  if (ref === undefined) return undefined;
  if (typeof ref === 'string') return ref;
  if ('env' in ref) {
    const v = process.env[ref.env];
    if (v === undefined) throw new InputError(`${where}: environment variable ${ref.env} is not set`);
    return v;
  }
  if ('file' in ref) {
    const f = resolve(baseDir, ref.file);
    if (!existsSync(f)) throw new InputError(`${where}: secret file ${f} not found`);
    return readFileSync(f, 'utf8').trim();
  }
  const v = provisioned[ref.provisioned];
  if (v === undefined) throw new InputError(`${where}: "${ref.provisioned}" is only provisioned when gmeval starts the reference platform (target.kind: reference)`);
  return v;
}
