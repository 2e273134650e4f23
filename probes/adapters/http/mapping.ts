import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSchema, parseYamlWithSchema, type YamlIssue } from '../../../lib/yaml-schema/index.ts';
import { OPERATIONS } from '../operations.ts';

export interface OperationMapping {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  success?: number[];
  response?: Record<string, string>;
}

export interface HttpMapping {
  schemaVersion: 1;
  name: string;
  auth?: {
    scheme: 'hmac-sm3' | 'sm2-challenge-session' | 'none';
    /** sm2-challenge-session: password step, SM2 signature over the challenge, session header */
    session?: { login: OperationMapping; challenge: string; loginToken: string; respond: OperationMapping; token: string; header: string; headerValue?: string; signerId?: string };
    headers?: { accessKey: string; timestamp: string; nonce: string; signature: string };
    stringToSign?: string;
    timestamp?: 'rfc3339' | 'unix' | 'unix-ms';
    nonceBytes?: number;
    signatureEncoding?: 'base64' | 'hex';
  };
  errors?: { code?: string; message?: string };
  operations: Record<string, OperationMapping>;
}

const here = dirname(fileURLToPath(import.meta.url));
let validator: ReturnType<typeof compileSchema> | undefined;
const schema = () => (validator ??= compileSchema(JSON.parse(readFileSync(resolve(here, 'mapping.schema.json'), 'utf8'))));

/** Placeholders in templates: `{field}` or `{field|encoding}`. */
export const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)(?:\|(base64|hex|string|json))?\}/g;

export function loadMapping(file: string): { mapping: HttpMapping; issues: YamlIssue[] } {
  if (!existsSync(file)) return { mapping: undefined as never, issues: [{ file, line: 1, column: 1, field: '', reason: 'mapping file not found' }] };
  const r0 = parseYamlWithSchema<HttpMapping>(readFileSync(file, 'utf8'), file, schema());
  if (!r0.ok && !r0.partial) return { mapping: undefined as never, issues: r0.issues };
  // cross-checks run on a schema-invalid mapping too, so one pass reports every problem
  const r = r0.ok ? r0 : { value: r0.partial!.value as HttpMapping, doc: r0.partial!.doc, lines: r0.partial!.lines };
  const issues: YamlIssue[] = r0.ok ? [] : [...r0.issues];
  const at = (path: (string | number)[]) => {
    const node = r.doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const p = r.lines.linePos(node?.range?.[0] ?? 0);
    return { file, line: p.line, column: p.col };
  };
  const atKey = (parent: (string | number)[], key: string) => {
    const map = r.doc.getIn(parent, true) as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | undefined;
    const k = map?.items?.find((it) => it.key?.value === key)?.key;
    const p = r.lines.linePos(k?.range?.[0] ?? 0);
    return { file, line: p.line, column: p.col };
  };
  const m = r.value;
  if (!m || typeof m !== 'object' || !m.operations || typeof m.operations !== 'object') return { mapping: m, issues };
  if (m.auth?.scheme === 'hmac-sm3' && (!m.auth.headers || !m.auth.stringToSign))
    issues.push({ ...at(['auth']), field: 'auth', reason: 'scheme hmac-sm3 needs headers and stringToSign' });
  if (m.auth?.scheme === 'sm2-challenge-session' && !m.auth.session)
    issues.push({ ...at(['auth']), field: 'auth', reason: 'scheme sm2-challenge-session needs session (login, challenge, loginToken, respond, token, header)' });
  for (const [op, spec] of Object.entries(m.operations)) {
    if (!spec || typeof spec !== 'object') continue;
    const known = OPERATIONS[op];
    if (!known) {
      issues.push({ ...atKey(['operations'], op), field: `operations.${op}`, reason: `unknown operation (known: ${Object.keys(OPERATIONS).join(', ')})` });
      continue;
    }
    for (const part of ['path', 'query', 'body'] as const) {
      for (const match of JSON.stringify(spec[part] ?? null).matchAll(PLACEHOLDER)) {
        if (!(match[1]! in known.input))
          issues.push({ ...at(['operations', op, part]), field: `operations.${op}.${part}`, reason: `placeholder {${match[1]}} is not an input of ${op} (inputs: ${Object.keys(known.input).join(', ') || 'none'})` });
      }
    }
    for (const out of Object.keys(spec.response ?? {})) {
      if (!(out in known.output))
        issues.push({ ...at(['operations', op, 'response', out]), field: `operations.${op}.response.${out}`, reason: `not an output of ${op} (outputs: ${Object.keys(known.output).join(', ')})` });
    }
  }
  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  return { mapping: m, issues };
}

export function validateMappingFile(file: string): YamlIssue[] {
  return loadMapping(file).issues;
}
