/**
 * The TLCP listener's certificates: a double certificate pair (signing + encryption) for the server, and one for the
 * evaluation client (ECDHE needs a client double certificate), all issued by a platform-internal SM2 CA.
 *
 * `provisionTlcpCertificates` is the one place that decides who issues them: until the platform CA
 * (reference-platform/ca) is wired in, it creates its own self-signed root; pass `issuer` to issue from another CA.
 */
import { sm2GenerateKeyPair, sm2PrivateKeyToPem, type Sm2KeyPair } from '../../lib/gm/index.ts';
import { ext, issueCertificate, selfIssuer, type IssuerSpec, type NameSpec } from '../../lib/pki/builder.ts';
import { OID } from '../../lib/pki/oids.ts';
import type { TlcpCredentials } from '../../lib/tlcp/index.ts';

export interface TlcpCertificateSet {
  server: TlcpCredentials;
  /** the evaluation client's double certificate and keys (secrets: handed to the evaluation in memory only) */
  client: TlcpCredentials;
  /** trust anchor of both pairs (DER) */
  caCert: Uint8Array;
  caPem: string;
  clientPem: { certs: string; keys: string };
}

export interface ProvisionOptions {
  /** issue from this CA instead of a fresh self-signed root */
  issuer?: { spec: IssuerSpec; certDer: Uint8Array };
  hostNames?: string[];
  /** defect `cert-enc-keyusage-sign`: the server's encryption certificate carries keyUsage digitalSignature only */
  encKeyUsageSign?: boolean;
  /** defect `cert-ee-is-ca`: the server's end-entity certificates carry basicConstraints cA=TRUE */
  endEntityIsCa?: boolean;
  /** defect `cert-validity-generalizedtime`: validity dates before 2050 encoded as GeneralizedTime */
  generalizedTime?: boolean;
  now?: Date;
}

const DAY = 86_400_000;

export function provisionTlcpCertificates(o: ProvisionOptions = {}): TlcpCertificateSet {
  const now = o.now ?? new Date();
  const notBefore = new Date(now.getTime() - DAY);
  let issuer: IssuerSpec;
  let caCert: Uint8Array;
  if (o.issuer) {
    issuer = o.issuer.spec;
    caCert = o.issuer.certDer;
  } else {
    const caKeys = sm2GenerateKeyPair();
    const caName: NameSpec = [['C', 'CN'], ['O', 'gmeval reference platform'], ['CN', 'gmeval Reference Platform SM2 Root CA']];
    issuer = selfIssuer(caKeys, caName);
    caCert = issueCertificate({
      subject: caName, notBefore, notAfter: new Date(now.getTime() + 3650 * DAY), publicKey: caKeys.publicKey,
      extensions: [ext.basicConstraints(true), ext.keyUsage(['keyCertSign', 'cRLSign'])],
    }, issuer).der;
  }
  const pair = (cn: string, eku: string, san: string[] | undefined, encUsageSign: boolean, faults: { ca?: boolean; gtime?: boolean } = {}) => {
    const subject: NameSpec = [['C', 'CN'], ['O', 'gmeval reference platform'], ['CN', cn]];
    const signKey = sm2GenerateKeyPair();
    const encKey = sm2GenerateKeyPair();
    const notAfter = new Date(now.getTime() + 365 * DAY);
    const common = { subject, notBefore, notAfter, ...(faults.gtime ? { overrides: { notBefore: generalizedTime(notBefore), notAfter: generalizedTime(notAfter) } } : {}) };
    const sanExt = [...(san?.length ? [ext.subjectAltName({ dns: san })] : []), ...(faults.ca ? [ext.basicConstraints(true)] : [])];
    const signCert = issueCertificate({ ...common, publicKey: signKey.publicKey, extensions: [ext.keyUsage(['digitalSignature', 'nonRepudiation']), ext.extKeyUsage([eku]), ...sanExt] }, issuer).der;
    const encCert = issueCertificate({
      ...common, publicKey: encKey.publicKey,
      extensions: [ext.keyUsage(encUsageSign ? ['digitalSignature'] : ['keyEncipherment', 'dataEncipherment', 'keyAgreement']), ext.extKeyUsage([eku]), ...sanExt],
    }, issuer).der;
    return { signCert, signKey, encCert, encKey, chain: [caCert] } satisfies TlcpCredentials;
  };
  const server = pair('gmeval Reference Platform TLCP', OID.kpServerAuth, o.hostNames ?? ['localhost'], !!o.encKeyUsageSign, { ca: !!o.endEntityIsCa, gtime: !!o.generalizedTime });
  const client = pair('gmeval evaluation client', OID.kpClientAuth, undefined, false);
  const pem = (der: Uint8Array, label = 'CERTIFICATE') => `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
  return {
    server, client, caCert, caPem: pem(caCert),
    clientPem: { certs: pem(client.signCert) + pem(client.encCert), keys: sm2PrivateKeyToPem(client.signKey as Sm2KeyPair) + sm2PrivateKeyToPem(client.encKey as Sm2KeyPair) },
  };
}

/** DER GeneralizedTime (tag 0x18) — RFC 5280 wants UTCTime before 2050: used only for the defect. */
function generalizedTime(d: Date): Uint8Array {
  const text = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return Uint8Array.from([0x18, text.length, ...Buffer.from(text, 'latin1')]);
}
