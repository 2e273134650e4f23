import type { Db } from '../store/db.ts';
import type { MasterKey } from '../store/master-key.ts';
import type { Defects } from '../defects/registry.ts';
import { SoftSdfDevice } from '../devices/soft-sdf.ts';
import { SdfError } from '../devices/sdr.ts';

/**
 * The cipher-device resource pool (T/TCGIA 0003-2023 §6.1): enrolment with a self-test, and scheduling of
 * new keys across healthy devices (round-robin). A key stays on the device that generated it.
 */
export class ResourcePool {
  private readonly devices: SoftSdfDevice[];
  private cursor = 0;

  constructor(db: Db, master: MasterKey, defects: Defects, initialDevices = 2) {
    this.devices = SoftSdfDevice.loadAll(db, master, defects);
    while (this.devices.length < initialDevices) {
      const dev = SoftSdfDevice.enrol(db, master, defects, 'GMEVAL-SOFT-SDF', 'gmeval reference');
      const st = dev.selfTest();
      if (!st.ok) throw new Error(`device ${dev.info.id} failed its enrolment self-test: ${st.detail}`);
      this.devices.push(dev);
    }
  }

  list(): SoftSdfDevice[] {
    return [...this.devices];
  }

  get(id: string): SoftSdfDevice {
    const d = this.devices.find((x) => x.info.id === id);
    if (!d) throw new SdfError('SDR_OPENDEVICE', `device ${id} is not in the pool`);
    return d;
  }

  /** Next healthy device, round-robin. */
  schedule(): SoftSdfDevice {
    const healthy = this.devices.filter((d) => d.info.state === 'ONLINE');
    if (!healthy.length) throw new SdfError('SDR_HARDFAIL', 'no healthy device in the pool');
    const d = healthy[this.cursor % healthy.length]!;
    this.cursor = (this.cursor + 1) % Number.MAX_SAFE_INTEGER;
    return d;
  }
}
