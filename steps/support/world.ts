import { World, type IWorldOptions } from '@cucumber/cucumber';
import { createAdapter, type Adapter } from '../../probes/adapters/index.ts';
import { FileEvidenceSink } from '../../probes/evidence.ts';
import type { ApiTarget } from '../../probes/api/call.ts';
import type { Finding } from '../../reports/finding.ts';
import { FINDING_MEDIA_TYPE, type RunContext } from './run-context.ts';
import type { EvalObject, ObjectKind } from '../../profiles/profile.ts';

/** Per-object state a scenario builds up between its steps (keys it created, what it last observed). */
export type ObjectState = Record<string, unknown>;

/** One World per scenario: the run context, adapters for its objects, and the findings it produced. */
export class GmWorld extends World<RunContext> {
  readonly ctx: RunContext;
  scenarioId = '';
  tags: string[] = [];
  targets: (ApiTarget & { raw: EvalObject })[] = [];
  /** objects declared in the profile but not reachable through an adapter: they get not_tested findings */
  unreachable: { object: EvalObject; reason: string }[] = [];
  readonly state = new Map<string, ObjectState>();
  readonly findings: Finding[] = [];
  private readonly adapters = new Map<string, Adapter>();

  constructor(options: IWorldOptions<RunContext>) {
    super(options);
    this.ctx = options.parameters;
  }

  stateOf(objectId: string): ObjectState {
    let s = this.state.get(objectId);
    if (!s) this.state.set(objectId, (s = {}));
    return s;
  }

  /** Selects the profile's objects of a kind and opens their adapters. */
  async selectObjects(kind: ObjectKind): Promise<void> {
    this.targets = [];
    this.unreachable = [];
    for (const o of this.ctx.objects.filter((x) => x.kind === kind)) {
      if (!o.adapter) {
        this.unreachable.push({ object: o, reason: `object ${o.id} names no adapter` });
        continue;
      }
      const conf = this.ctx.adapters[o.adapter];
      if (!conf) {
        this.unreachable.push({ object: o, reason: `adapter ${o.adapter} is not configured` });
        continue;
      }
      let adapter = this.adapters.get(o.adapter);
      if (!adapter) this.adapters.set(o.adapter, (adapter = await createAdapter(conf)));
      this.targets.push({ adapter, object: { id: o.id, name: o.name }, evidence: new FileEvidenceSink(this.ctx.runDir, `${this.scenarioId}/${o.id}`), raw: o });
    }
  }

  /**
   * Selects objects reached by a standard protocol, with no adapter (tlcp-channel: GB/T 38636 needs none, DESIGN §3).
   * `filter` narrows them (e.g. management channels only). Their targets carry a stand-in adapter offering nothing.
   */
  selectProtocolObjects(kind: ObjectKind, filter: (o: EvalObject) => boolean = () => true): void {
    this.targets = [];
    this.unreachable = [];
    const none: Adapter = {
      name: 'protocol', type: 'protocol', operations: () => [], authModes: () => [],
      call: async (op) => { throw new Error(`object kind ${kind} is probed by protocol; no adapter operation ${op}`); },
    };
    for (const o of this.ctx.objects.filter((x) => x.kind === kind && filter(x))) {
      this.targets.push({ adapter: none, object: { id: o.id, name: o.name }, evidence: new FileEvidenceSink(this.ctx.runDir, `${this.scenarioId}/${o.id}`), raw: o });
    }
  }

  /**
   * Another adapter of the profile by name (e.g. a second application's or an administrator's view of
   * the same platform, named in an object's options), opened once per scenario; undefined if not configured.
   */
  async adapterNamed(name: string): Promise<Adapter | undefined> {
    const conf = this.ctx.adapters[name];
    if (!conf) return undefined;
    let adapter = this.adapters.get(name);
    if (!adapter) this.adapters.set(name, (adapter = await createAdapter(conf)));
    return adapter;
  }

  /** Records a finding and streams it to the report through cucumber's attachment channel. */
  async addFinding(f: Finding): Promise<void> {
    this.findings.push(f);
    await this.attach(JSON.stringify(f), { mediaType: FINDING_MEDIA_TYPE });
  }

  async closeAdapters(): Promise<void> {
    for (const a of this.adapters.values()) await a.close?.();
  }
}
