/**
 * `gmeval tlcp probe HOST:PORT` — GB/T 38636-2020 (TLCP) conformance probe: conversations with the server, verdicts
 * per check (probes/tlcp/judge.ts, the same code the features use), GM/T 0015 lints of its certificates.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandGroup } from './index.ts';
import { EXIT, InputError } from '../exit-codes.ts';
import { parseEndpoint } from '../../probes/tlcp/dial.ts';
import { clientCredentialsFromPem, runTlcpProbe, trustAnchorsFromPem, type TlcpProbeRun } from '../../probes/tlcp/run.ts';
import { groupResults, LINT_GROUPS, lintLine } from '../../probes/cert/lint-chain.ts';
import type { TlcpCredentials } from '../../lib/tlcp/index.ts';

interface ProbeCliOptions {
  json?: boolean; trust?: string; clientCert?: string; clientKey?: string; suites?: string; clientAuth?: string;
  timeout: string; evidence?: string; edition: string; serverName?: string;
}

function readText(file: string, option: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${option} ${file}: cannot read: ${(e as Error).message}`);
  }
}

function parseSuites(v: string): number[] {
  return v.split(/[,\s]+/).filter(Boolean).map((s) => {
    const n = Number.parseInt(s.replace(/^0x/i, ''), 16);
    if (!/^(0x)?[0-9a-f]{1,4}$/i.test(s) || !Number.isFinite(n)) throw new InputError(`--suites: "${s}" is not a hexadecimal suite id (e.g. e013,e053)`);
    return n;
  });
}

/** Evidence files: one transcript per conversation (hex + decoded), the verdicts, the certificate lints. */
function writeEvidence(dir: string, run: TlcpProbeRun): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const c of run.report.conversations) {
    const f = join(dir, `${c.id}.transcript.txt`);
    const lines = [`# ${c.title}`, ...c.sent.map((s) => `# sent: ${s}`), c.skipped ? `# skipped: ${c.skipped}` : `# outcome: ${JSON.stringify(c.outcome)}`, ...c.notes.map((n) => `# note: ${n}`),
      ...c.transcript.map((e) => `${String(e.t).padStart(5)}ms ${e.dir.padEnd(3)} ${e.kind.padEnd(9)} ${e.summary}\n        ${e.hex}`)];
    writeFileSync(f, lines.join('\n') + '\n');
    files.push(f);
  }
  writeFileSync(join(dir, 'checks.json'), JSON.stringify(run.checks, null, 2) + '\n');
  if (run.certificates) writeFileSync(join(dir, 'certificate-lints.json'), JSON.stringify(run.certificates, null, 2) + '\n');
  return files;
}

export const register: CommandGroup = (program, setExit) => {
  const tlcp = program.command('tlcp').description('TLCP (GB/T 38636-2020) / 传输层密码协议');
  tlcp
    .command('probe <hostport>')
    .description('conformance probe of a TLCP server: suites, versions, certificates, Finished/MAC/alerts, renegotiation, resumption, client auth')
    .option('--json', 'machine-readable output (reports/schema/tlcp-probe.schema.json)')
    .option('--trust <file>', 'PEM trust anchors for the server certificate chain')
    .option('--client-cert <file>', 'PEM: client signing certificate, encryption certificate[, CA…] (ECDHE suites, client authentication)')
    .option('--client-key <file>', 'PEM: client signing private key, then encryption private key')
    .option('--suites <list>', 'suites the server must accept, hex (e.g. e013,e053,e011,e051)')
    .option('--client-auth <mode>', 'required | optional | any (default any: reported only)', 'any')
    .option('--server-name <name>', 'hostname (reserved for the SNI check)')
    .option('--timeout <ms>', 'wait for one answer (ms)', '3000')
    .option('--edition <edition>', 'GM/T 0015 edition for the certificate lints (2012|2023)', '2012')
    .option('--evidence <dir>', 'write each conversation transcript (hex + decoded) and the verdicts to DIR')
    .action(async (hostport: string, o: ProbeCliOptions) => {
      let ep;
      try {
        ep = parseEndpoint(hostport);
      } catch (e) {
        throw new InputError(`HOST:PORT: ${(e as Error).message}`);
      }
      const timeout = Number(o.timeout);
      if (!Number.isInteger(timeout) || timeout < 100 || timeout > 60000) throw new InputError(`--timeout: "${o.timeout}" is not a number of milliseconds (100..60000)`);
      if (o.edition !== '2012' && o.edition !== '2023') throw new InputError(`--edition: "${o.edition}" is not 2012 or 2023`);
      if (!['required', 'optional', 'any'].includes(o.clientAuth ?? 'any')) throw new InputError(`--client-auth: "${o.clientAuth}" is not required, optional or any`);
      if (!!o.clientCert !== !!o.clientKey) throw new InputError('--client-cert and --client-key go together');
      let anchors: Uint8Array[] | undefined;
      if (o.trust) {
        try {
          anchors = trustAnchorsFromPem(readText(o.trust, '--trust'));
        } catch (e) {
          throw e instanceof InputError ? e : new InputError(`--trust ${o.trust}: ${(e as Error).message}`);
        }
      }
      let creds: TlcpCredentials | undefined;
      if (o.clientCert && o.clientKey) {
        try {
          creds = clientCredentialsFromPem(readText(o.clientCert, '--client-cert'), readText(o.clientKey, '--client-key'));
        } catch (e) {
          throw e instanceof InputError ? e : new InputError(`--client-cert ${o.clientCert} / --client-key ${o.clientKey}: ${(e as Error).message}`);
        }
      }
      const run = await runTlcpProbe(
        { host: ep.host, port: ep.port, answerTimeoutMs: timeout, ...(creds ? { clientCredentials: creds } : {}), ...(o.serverName ? { serverName: o.serverName } : {}) },
        { ...(anchors ? { trustAnchors: anchors } : {}), ...(o.suites ? { suites: parseSuites(o.suites) } : {}), clientAuth: (o.clientAuth ?? 'any') as 'any' },
        o.edition,
      );
      const evidence = o.evidence ? writeEvidence(o.evidence, run) : [];
      const failed = run.checks.filter((c) => c.status === 'failed').length;
      if (o.json) {
        process.stdout.write(JSON.stringify({
          schemaVersion: 1, endpoint: run.report.endpoint, startedAt: run.report.startedAt, durationMs: run.report.durationMs,
          reachable: run.report.reachable, ...(run.report.unreachableReason ? { unreachableReason: run.report.unreachableReason } : {}),
          checks: run.checks, certificates: run.certificates, conversations: run.report.conversations, evidence,
        }, null, 2) + '\n');
      } else {
        const out: string[] = [`TLCP probe ${run.report.endpoint} — ${run.report.conversations.filter((c) => !c.skipped).length} conversations, ${run.report.durationMs} ms`];
        if (!run.report.reachable) out.push(`NOT TESTED: ${run.report.unreachableReason}`);
        for (const c of run.checks) out.push(`${c.status.toUpperCase().padEnd(10)} ${c.id.padEnd(18)} ${c.titleZh}${c.informational ? '（信息）' : ''}\n${''.padEnd(29)}${c.reason}`);
        if (run.certificates) {
          out.push('GM/T 0015 certificate lints:');
          for (const cert of run.certificates.certificates) {
            const bad = Object.keys(LINT_GROUPS).flatMap((g) => groupResults(cert, g).failures);
            const adv = Object.keys(LINT_GROUPS).flatMap((g) => groupResults(cert, g).advisories);
            out.push(`  #${cert.index + 1} ${cert.position} (${cert.certType}) ${cert.subject}: ${[...new Set([...bad, ...adv].map(lintLine))].join('; ') || 'no findings'}`);
          }
        }
        if (evidence.length) out.push(`evidence: ${o.evidence}`);
        process.stdout.write(out.join('\n') + '\n');
      }
      setExit(failed ? EXIT.FAILED : !run.report.reachable ? EXIT.NOT_TESTED : EXIT.OK);
    });
};
