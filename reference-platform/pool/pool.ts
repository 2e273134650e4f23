import type { Db } from '../store/db.ts';
import type { MasterKey } from '../store/master-key.ts';
import type { Defects } from '../defects/registry.ts';
import { SoftSdfDevice, type FaultMode } from '../devices/soft-sdf.ts';
import { SdfError } from '../devices/sdr.ts';

export interface HealthChange { deviceId: string; from: string; to: string; detail: string }

/**
 * The cipher-device resource pool (T/TCGIA 0003-2023 §6.1): enrolment with an availability self-test,
 * scheduling of new keys across healthy devices (round-robin), health checks that take a failing device
 * out of the schedule (OFFLINE) and back in (ONLINE) once its self-test passes again. A key stays on the
 * device that generated it.
 */
export class ResourcePool {
  private readonly devices: SoftSdfDevice[];
  private cursor = 0;

  constructor(private readonly db: Db, private readonly master: MasterKey, private readonly defects: Defects, initialDevices = 2) {
    this.devices = SoftSdfDevice.loadAll(db, master, defects);
    while (this.devices.length < initialDevices) this.enrol('GMEVAL-SOFT-SDF', 'gmeval reference');
  }

  /** §6.1.1 d: identity, model and vendor recorded, and the device must pass its self-test to join. */
  enrol(model: string, vendor: string, type?: string): { device: SoftSdfDevice; selfTest: { ok: boolean; detail: string } } {
    let out: { device: SoftSdfDevice; selfTest: { ok: boolean; detail: string } } | undefined;
    this.db.transaction(() => {
      const dev = SoftSdfDevice.enrol(this.db, this.master, this.defects, model, vendor, type);
      const st = dev.selfTest();
      if (!st.ok) throw new SdfError('SDR_HARDFAIL', `device failed its enrolment self-test: ${st.detail}`);
      out = { device: dev, selfTest: st };
    })();
    this.devices.push(out!.device);
    return out!;
  }

  list(): SoftSdfDevice[] {
    return [...this.devices];
  }

  get(id: string): SoftSdfDevice {
    const d = this.devices.find((x) => x.info.id === id);
    if (!d) throw new SdfError('SDR_OPENDEVICE', `device ${id} is not in the pool`);
    return d;
  }

  find(id: string): SoftSdfDevice | undefined {
    return this.devices.find((x) => x.info.id === id);
  }

  /**
   * Where an application's keys may live (§6.1.2, §6.1.3 c): set by the device groups — the members of the
   * app's group, or the devices no EXCLUSIVE group reserves. Without it every device is a candidate.
   */
  placement: { devicesFor(appId: string): SoftSdfDevice[]; groupOf(appId: string): string | null } | undefined;

  /** Next healthy device for an application's new key, among the devices its group placement allows. */
  scheduleFor(appId: string): SoftSdfDevice {
    return this.schedule(this.placement?.devicesFor(appId));
  }

  /** Next healthy device, round-robin (among `candidates` when given). */
  schedule(candidates?: SoftSdfDevice[]): SoftSdfDevice {
    const from = candidates ?? this.devices;
    // defect unhealthy-device-scheduled: the scheduler ignores health
    const healthy = this.defects.has('unhealthy-device-scheduled') ? from : from.filter((d) => d.info.state === 'ONLINE');
    if (!healthy.length) throw new SdfError('SDR_HARDFAIL', 'no healthy device in the pool');
    const d = healthy[this.cursor % healthy.length]!;
    this.cursor = (this.cursor + 1) % Number.MAX_SAFE_INTEGER;
    return d;
  }

  /** Runs every device's self-test; returns the state changes (the caller audits them). */
  healthCheck(): HealthChange[] {
    const changes: HealthChange[] = [];
    for (const d of this.devices) {
      const st = d.selfTest();
      const to = st.ok ? 'ONLINE' : 'OFFLINE';
      if (d.info.state !== to && (d.info.state === 'ONLINE' || d.info.state === 'OFFLINE')) {
        changes.push({ deviceId: d.info.id, from: d.info.state, to, detail: st.detail });
        d.info.state = to;
        this.db.prepare('UPDATE devices SET state = ? WHERE id = ?').run(to, d.info.id);
      }
    }
    return changes;
  }

  injectFault(id: string, mode: FaultMode | undefined): void {
    this.get(id).fault = mode;
  }
}
