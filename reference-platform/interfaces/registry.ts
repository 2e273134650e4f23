import type { Clock } from '../clock.ts';
import type { Defects } from '../defects/registry.ts';
import type { Db } from '../store/db.ts';
import { ApiError } from '../api/errors.ts';

export type InterfaceState = 'DRAFT' | 'PUBLISHED' | 'DEPRECATED';
export interface InterfaceRecord {
  interfaceId: string; method: string; path: string; version: string; state: InterfaceState;
  history: { at: string; event: string; version: string; by?: string; note?: string }[]; updatedAt: string;
}

const PREFIX = '/api/v1';
/** Allowed lifecycle actions (from → to). 废弃 (deprecate) takes an interface out of service; publish brings it back. */
const ACTIONS: Record<string, { from: InterfaceState[]; to: InterfaceState }> = {
  publish: { from: ['DRAFT', 'DEPRECATED'], to: 'PUBLISHED' },
  deprecate: { from: ['PUBLISHED'], to: 'DEPRECATED' },
  unpublish: { from: ['PUBLISHED'], to: 'DRAFT' },
};
export const INTERFACE_ACTIONS = Object.keys(ACTIONS);

/** A readable, stable id: "POST /api/v1/crypto/sm4/encrypt" → "post.crypto.sm4.encrypt". */
export function interfaceId(method: string, url: string): string {
  return `${method.toLowerCase()}${url.slice(url.startsWith(PREFIX) ? PREFIX.length : 0).replace(/[/:]+/g, '.').replace(/\.$/, '')}`;
}

/**
 * The unified crypto-service interface's lifecycle (T/TCGIA 0003-2023 §6.4 f): every application-facing route is
 * an interface with a version and a state. The routes a platform has at its first start are PUBLISHED v1.0; a
 * route that appears later (new software on an existing data directory) is added as DRAFT until an administrator
 * publishes it. Version iterations and state changes are kept as history. A DRAFT interface answers 404
 * INTERFACE_NOT_PUBLISHED and a DEPRECATED (废弃) one 410 INTERFACE_DEPRECATED, whoever calls. States are cached
 * in memory so the check costs no database read per request.
 */
export class InterfaceRegistry {
  private readonly states = new Map<string, InterfaceState>();

  constructor(private readonly db: Db, private readonly clock: Clock, private readonly defects: Defects) {}

  /** Registers the application routes found at start-up. */
  seed(routes: { method: string; url: string }[]): void {
    const first = (this.db.prepare('SELECT COUNT(*) AS n FROM api_interfaces').get() as { n: number }).n === 0;
    const now = this.clock.iso();
    const ins = this.db.prepare('INSERT OR IGNORE INTO api_interfaces (id, method, path, version, state, history, updated_at) VALUES (?,?,?,?,?,?,?)');
    this.db.transaction(() => {
      for (const r of routes) {
        const state: InterfaceState = first ? 'PUBLISHED' : 'DRAFT';
        ins.run(interfaceId(r.method, r.url), r.method, r.url, '1.0', state, JSON.stringify([{ at: now, event: first ? 'PUBLISHED' : 'ADDED', version: '1.0' }]), now);
      }
    })();
    for (const r of this.db.prepare('SELECT method, path, state FROM api_interfaces').all() as { method: string; path: string; state: InterfaceState }[]) this.states.set(`${r.method} ${r.path}`, r.state);
  }

  /** Refuses a call to an interface that is not in service. */
  check(method: string, url: string | undefined): void {
    if (!url || this.defects.has('deprecated-interface-served')) return;
    const s = this.states.get(`${method} ${url}`);
    if (s === 'DEPRECATED') throw new ApiError(410, 'INTERFACE_DEPRECATED', `interface ${interfaceId(method, url)} has been deprecated (废弃) and is out of service`);
    if (s === 'DRAFT') throw new ApiError(404, 'INTERFACE_NOT_PUBLISHED', `interface ${interfaceId(method, url)} is not published`);
  }

  get(id: string): InterfaceRecord | undefined {
    const r = this.db.prepare('SELECT * FROM api_interfaces WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? toRecord(r) : undefined;
  }

  list(): InterfaceRecord[] {
    return (this.db.prepare('SELECT * FROM api_interfaces ORDER BY path, method').all() as Record<string, unknown>[]).map(toRecord);
  }

  /** publish / deprecate / unpublish; anything else from the current state is 409. */
  transition(id: string, action: string, by: string, note?: string): InterfaceRecord {
    const a = ACTIONS[action];
    if (!a) throw new ApiError(404, 'NOT_FOUND', `no interface action ${action} (${INTERFACE_ACTIONS.join(', ')})`);
    const cur = this.must(id);
    if (!a.from.includes(cur.state)) throw new ApiError(409, 'ILLEGAL_TRANSITION', `cannot ${action} an interface in state ${cur.state}`);
    return this.write(cur, a.to, cur.version, { event: a.to, by, note });
  }

  /** A version iteration (版本迭代): the new version must be greater than the current one (dotted numbers). */
  newVersion(id: string, version: string, by: string, note?: string): InterfaceRecord {
    const cur = this.must(id);
    if (!/^\d+(\.\d+){0,2}$/.test(version)) throw new ApiError(400, 'INVALID_ARGUMENT', 'version: dotted numbers, e.g. 1.1 or 2.0.0');
    if (compareVersions(version, cur.version) <= 0) throw new ApiError(409, 'VERSION_NOT_NEWER', `version ${version} is not newer than ${cur.version}`);
    return this.write(cur, cur.state, version, { event: 'VERSION', by, note });
  }

  private must(id: string): InterfaceRecord {
    const r = this.get(id);
    if (!r) throw new ApiError(404, 'INTERFACE_NOT_FOUND', `no interface ${id}`);
    return r;
  }

  private write(cur: InterfaceRecord, state: InterfaceState, version: string, h: { event: string; by: string; note?: string }): InterfaceRecord {
    const now = this.clock.iso();
    const history = [...cur.history, { at: now, event: h.event, version, by: h.by, ...(h.note ? { note: h.note } : {}) }];
    this.db.prepare('UPDATE api_interfaces SET state = ?, version = ?, history = ?, updated_at = ? WHERE id = ?').run(state, version, JSON.stringify(history), now, cur.interfaceId);
    this.states.set(`${cur.method} ${cur.path}`, state);
    return this.must(cur.interfaceId);
  }
}

function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

function toRecord(r: Record<string, unknown>): InterfaceRecord {
  return {
    interfaceId: String(r.id), method: String(r.method), path: String(r.path), version: String(r.version), state: r.state as InterfaceState,
    history: JSON.parse(String(r.history)) as InterfaceRecord['history'], updatedAt: String(r.updated_at),
  };
}
