/** Probe + verdicts + certificate lints in one call: what the CLI prints and what the features' When-step records. */
import { credentialsFromPem, certificatesFromPem, type TlcpCredentials } from '../../lib/tlcp/index.ts';
import { lintTlcpCertificates, type ChainLintObservation } from '../cert/lint-chain.ts';
import { judgeTlcpProbe, type TlcpCheckResult, type TlcpExpectations } from './judge.ts';
import { parseServerFlight } from './parse.ts';
import { probeTlcp, type TlcpProbeOptions, type TlcpProbeReport } from './probe.ts';

export interface TlcpProbeRun {
  report: TlcpProbeReport;
  checks: TlcpCheckResult[];
  /** GM/T 0015 lints of the server's certificates (null when none were received) */
  certificates: ChainLintObservation | null;
}

export async function runTlcpProbe(o: TlcpProbeOptions, x: TlcpExpectations = {}, edition: '2012' | '2023' = '2012'): Promise<TlcpProbeRun> {
  const report = await probeTlcp(o);
  const checks = judgeTlcpProbe(report, x);
  const first = report.conversations.find((c) => c.id === 'sanity-first');
  const certs = first ? parseServerFlight(first.transcript).certificates : undefined;
  return { report, checks, certificates: certs?.length ? lintTlcpCertificates(certs, x.trustAnchors ?? [], edition) : null };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * A client double certificate from PEM texts: certificates [sign, enc, CA…] and private keys [sign, enc] in that
 * order. Throws Error with a readable reason (the caller names the file).
 */
export function clientCredentialsFromPem(certText: string, keyText: string): TlcpCredentials {
  const certs = [...certText.matchAll(PEM_BLOCK)].filter((m) => m[1] === 'CERTIFICATE').map((m) => m[0]);
  const keys = [...keyText.matchAll(PEM_BLOCK)].filter((m) => /PRIVATE KEY/.test(m[1]!)).map((m) => m[0]);
  if (certs.length < 2) throw new Error(`needs the signing and the encryption certificate (in that order); found ${certs.length} CERTIFICATE block(s)`);
  if (keys.length < 2) throw new Error(`needs the signing and the encryption private key (in that order); found ${keys.length} PRIVATE KEY block(s)`);
  return credentialsFromPem({ signCert: certs[0]!, encCert: certs[1]!, signKey: keys[0]!, encKey: keys[1]!, ...(certs.length > 2 ? { chain: certs.slice(2).join('\n') } : {}) });
}

/** Trust anchors from a PEM text (one or more CERTIFICATE blocks). */
export function trustAnchorsFromPem(text: string): Uint8Array[] {
  const certs = certificatesFromPem(text);
  if (!certs.length) throw new Error('no CERTIFICATE block');
  return certs;
}
