/**
 * The platform's notion of now. A conformance run may move it forward (POST /sys/test/clock) so that
 * destruction windows and rotation periods can be observed without waiting days; the offset is audited.
 */
export class Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  iso(): string {
    return this.now().toISOString();
  }
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}
