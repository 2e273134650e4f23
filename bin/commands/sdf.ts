/**
 * `gmeval sdf …` — GM/T 0018 (SDF) device-interface conformance: the live probe, and the ACVP-style offline loop
 * (vectors → answer on the air-gapped machine → judge). One judgement serves both (probes/sdf/judge.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CommandGroup } from './index.ts';
import { EXIT, InputError } from '../exit-codes.ts';
import { openTransport } from '../../probes/sdf/adapter.ts';
import { answerRequest } from '../../probes/sdf/answer.ts';
import { type Edition } from '../../probes/sdf/constants.ts';
import { judgeResponse, type JudgeReport } from '../../probes/sdf/judge.ts';
import { SdfLoadError, type SdfTransport } from '../../probes/sdf/spec.ts';
import { requestDigest, runSuite, serializeRequest } from '../../probes/sdf/suite.ts';
import { ALL_KINDS, generateVectors, parseCapabilities, REQUEST_FORMAT, RESPONSE_FORMAT, type Kind, type VectorRequest, type VectorResponse } from '../../probes/sdf/vectors.ts';

interface TransportOptions { lib?: string; url?: string; edition: string; pinEnv: string; keyIndex?: string; kekIndex?: string }

function edition(v: string): Edition {
  if (v !== '2012' && v !== '2023') throw new InputError(`--edition: "${v}" is not 2012 or 2023`);
  return v;
}

function index(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InputError(`--${name}: "${v}" is not a key index (≥ 1)`);
  return Number(v);
}

/** The PIN comes from an environment variable, never from the command line (it would land in shell history). */
function pin(o: TransportOptions): string {
  const v = process.env[o.pinEnv];
  if (v === undefined) throw new InputError(`the private-key access password is read from the environment variable ${o.pinEnv}, which is not set`, ['set it, or name another variable with --pin-env']);
  return v;
}

async function open(o: TransportOptions): Promise<SdfTransport> {
  if (!!o.lib === !!o.url) throw new InputError('give exactly one of --lib PATH or --url sdf://HOST:PORT[/DEVICE]');
  try {
    return await openTransport({ library: o.lib, endpoint: o.url, edition: edition(o.edition) });
  } catch (e) {
    if (e instanceof SdfLoadError) throw new InputError(e.message);
    throw e;
  }
}

function readJson<T>(file: string, format: string): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read: ${(e as Error).message}`);
  }
  let v: { format?: unknown };
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not JSON: ${(e as Error).message}`);
  }
  if (v?.format !== format) throw new InputError(`${file}: format: expected "${format}", got ${JSON.stringify(v?.format)}`);
  return v as T;
}

function transportOptions(c: Command): Command {
  return c
    .option('--lib <path>', 'the vendor SDF shared library (loaded with koffi)')
    .option('--url <url>', 'a device endpoint: sdf://HOST:PORT[/DEVICE]')
    .option('--edition <year>', 'GM/T 0018 edition of the library prototypes: 2012 | 2023', '2023')
    .option('--pin-env <name>', 'environment variable holding the private-key access password', 'GMEVAL_SDF_PIN')
    .option('--key-index <n>', 'key index holding the SM2 sign/enc pairs (default 1)')
    .option('--kek-index <n>', 'KEK index (default 1)');
}

function printReport(r: JudgeReport): void {
  const mark = { passed: '✓', failed: '✗', missing: '?', unreceived: '–' } as const;
  for (const t of r.results) {
    process.stdout.write(`${mark[t.disposition]} ${t.disposition.padEnd(10)} ${t.id.padEnd(24)} GM/T 0018 ${t.clause.padEnd(7)} ${t.reason}\n`);
    if (t.disposition === 'failed' && t.fn) process.stdout.write(`    ${t.fn}\n    expected: ${t.expected}\n    provided: ${t.provided}\n`);
  }
  const s = r.summary;
  process.stdout.write(`\n${s.total} tests: ${s.passed} passed, ${s.failed} failed, ${s.missing} missing, ${s.unreceived} unreceived\n`);
}

function exitFor(r: JudgeReport): number {
  if (r.summary.failed || r.summary.missing) return EXIT.FAILED;
  return r.summary.unreceived ? EXIT.NOT_TESTED : EXIT.OK;
}

export const register: CommandGroup = (program, setExit) => {
  const sdf = program.command('sdf').description('GM/T 0018 (SDF) device-interface conformance / 密码设备应用接口一致性');

  transportOptions(sdf.command('probe').description('run the live conformance suite against a library or a device endpoint'))
    .option('--capabilities <file>', 'limit to the check groups listed in FILE')
    .option('--json', 'machine-readable (reports/schema/sdf-probe.schema.json)')
    .action(async (o: TransportOptions & { capabilities?: string; json?: boolean }) => {
      const caps = o.capabilities ? readCapabilities(o.capabilities) : undefined;
      const password = pin(o);
      const t = await open(o);
      try {
        const r = await runSuite(t, { pin: password, capabilities: caps, settings: { ...(index(o.keyIndex, 'key-index') ? { keyIndex: index(o.keyIndex, 'key-index') } : {}), ...(index(o.kekIndex, 'kek-index') ? { kekIndex: index(o.kekIndex, 'kek-index') } : {}) } });
        if (o.json) process.stdout.write(JSON.stringify({ target: t.description, edition: t.edition, ms: r.ms, summary: r.summary, results: r.results }, null, 2) + '\n');
        else {
          process.stdout.write(`GM/T 0018 conformance: ${t.description}\n\n`);
          printReport(r);
        }
        setExit(exitFor(r));
      } finally {
        await t.close();
      }
    });

  sdf.command('vectors')
    .description('write ACVP-style vector sets for a declared capability list')
    .option('--capabilities <file>', `check groups the device claims (default: all: ${ALL_KINDS.join(', ')})`)
    .option('--edition <year>', 'edition the device implements: 2012 | 2023', '2023')
    .requiredOption('--out <file>', 'where to write the request (req.json)')
    .action((o: { capabilities?: string; edition: string; out: string }) => {
      const req = generateVectors({ capabilities: o.capabilities ? readCapabilities(o.capabilities) : undefined, edition: edition(o.edition) });
      const text = serializeRequest(req);
      writeFileSync(o.out, text);
      const tests = req.testGroups.reduce((n, g) => n + g.tests.length, 0);
      process.stderr.write(`${o.out}: ${req.testGroups.length} test groups, ${tests} tests; request SM3 ${requestDigest(text)}\n`);
    });

  transportOptions(sdf.command('answer').description('run a vector request on a device (air-gapped machine) and print the answers as JSON').argument('<request>', 'req.json from `gmeval sdf vectors`'))
    .action(async (file: string, o: TransportOptions) => {
      const text = readText(file);
      const req = readJson<VectorRequest>(file, REQUEST_FORMAT);
      const password = pin(o);
      const t = await open(o);
      try {
        const resp = await answerRequest(t, req, { pin: password, requestSm3: requestDigest(text), onProgress: (l) => process.stderr.write(`${l}\n`) });
        process.stdout.write(JSON.stringify(resp, null, 2) + '\n');
      } finally {
        await t.close();
      }
    });

  sdf.command('judge')
    .description('judge answers against their request: passed, failed (expected/provided), missing, unreceived')
    .argument('<request>', 'req.json')
    .argument('<response>', 'resp.json from `gmeval sdf answer`')
    .option('--json', 'machine-readable (reports/schema/sdf-judge.schema.json)')
    .action((reqFile: string, respFile: string, o: { json?: boolean }) => {
      const text = readText(reqFile);
      const req = readJson<VectorRequest>(reqFile, REQUEST_FORMAT);
      const resp = readJson<VectorResponse>(respFile, RESPONSE_FORMAT);
      if (resp.requestSm3 !== requestDigest(text)) throw new InputError(`${respFile}: requestSm3: these answers are to a different request than ${reqFile} (SM3 ${resp.requestSm3} ≠ ${requestDigest(text)})`);
      if (!Array.isArray(resp.testGroups)) throw new InputError(`${respFile}: testGroups: expected an array`);
      const r = judgeResponse(req, resp);
      if (o.json) process.stdout.write(JSON.stringify({ request: reqFile, response: respFile, transport: resp.transport, edition: resp.edition, summary: r.summary, results: r.results }, null, 2) + '\n');
      else printReport(r);
      setExit(exitFor(r));
    });
};

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read: ${(e as Error).message}`);
  }
}

function readCapabilities(file: string): Kind[] {
  try {
    return parseCapabilities(readText(file), file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError((e as Error).message);
  }
}

