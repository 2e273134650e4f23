import type { PlatformContext } from '../context.ts';
import { Approvals } from '../approvals/approvals.ts';
import { KeyManagementCentre } from '../km/km.ts';
import { OcspResponder } from '../ocsp/responder.ts';
import { TimeStampAuthority } from '../tsa/tsa.ts';
import { CertificateAuthority } from './ca.ts';
import { RegistrationAuthority } from './ra.ts';

/** The electronic-certification services of the platform (CA, RA, KM, OCSP, TSA, approvals), built once at start-up. */
export class PkiServices {
  readonly ca: CertificateAuthority;
  readonly km: KeyManagementCentre;
  readonly ra: RegistrationAuthority;
  readonly ocsp: OcspResponder;
  readonly tsa: TimeStampAuthority;
  readonly approvals: Approvals;

  constructor(ctx: PlatformContext) {
    this.ca = new CertificateAuthority(ctx);
    this.km = new KeyManagementCentre(ctx, this.ca);
    this.ra = new RegistrationAuthority(ctx, this.ca, this.km);
    this.ocsp = new OcspResponder(ctx, this.ca);
    this.tsa = new TimeStampAuthority(ctx, this.ca);
    this.approvals = new Approvals(ctx);
  }

  /** Periodic work: CRLs whose period ended, the KM pool below its low watermark. */
  sweep(): void {
    this.ca.sweep();
    this.km.replenish({ actor: { type: 'system', id: 'km' } });
  }
}
