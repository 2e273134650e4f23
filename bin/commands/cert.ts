/**
 * `gmeval cert lint FILE...` — GM/T 0015 (2012/2023) + RFC 5280 lints on certificates, CRLs and OCSP responses,
 * plus GM/T 0010 lints on CMS / PKCS#7 envelopes and signed data
 * (lib/lint). All files together form one pool, so a chain split over several files still finds its issuers.
 * Exit 1 when any error or fatal finding; exit 2 only when a file cannot be read or holds nothing recognisable —
 * malformed DER inside a readable file is a `fatal` finding with its byte offset.
 */
import { readFileSync, statSync } from 'node:fs';
import type { CommandGroup } from './index.ts';
import { EXIT, InputError } from '../exit-codes.ts';
import { CERT_TYPES, type CertType } from '../../lib/pki/classify.ts';
import { loadPkiObjects, type LoadedObject } from '../../lib/pki/input.ts';
import { hasErrors, renderTable, toJsonDocument, toSarif } from '../../lib/lint/format.ts';
import { lintLoaded } from '../../lib/lint/lint-objects.ts';
import { PROFILE_NAMES, PROFILES, ALL_LINTS, type ProfileName } from '../../lib/lint/registry.ts';
import { KmRecordsError, parseKmRecords } from '../../lib/lint/km-records.ts';
import { PURPOSES, type Edition, type KmRecord, type LintOptions, type Purpose } from '../../lib/lint/types.ts';

interface LintCliOptions {
  edition: string;
  type: string;
  profile?: string;
  exclude?: string[];
  sm2Id?: string;
  usccOid?: string;
  purpose?: string;
  kmRecords?: string;
  lang: string;
  json?: boolean;
  sarif?: boolean;
}

const MAX_FILE = 64 << 20;

function readInput(path: string): { name: string; objects: LoadedObject[] } {
  let bytes: Buffer;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new InputError(`${path}: not a regular file`);
    if (st.size > MAX_FILE) throw new InputError(`${path}: ${st.size} bytes is larger than the ${MAX_FILE >> 20} MiB limit`);
    bytes = readFileSync(path);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${path}: cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (bytes.length === 0) throw new InputError(`${path}: file is empty`);
  const { objects, skipped } = loadPkiObjects(bytes);
  if (objects.length === 0) {
    throw new InputError(`${path}: no certificate, CRL or OCSP response found`, [
      ...skipped,
      'expected PEM (CERTIFICATE, X509 CRL, OCSP RESPONSE, PKCS7, CMS) or DER starting with a SEQUENCE (0x30)',
    ]);
  }
  for (const s of skipped) process.stderr.write(`gmeval: ${path}: ${s} (ignored)\n`);
  return { name: path, objects };
}

function readKmRecords(path: string): KmRecord[] {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (err) {
    throw new InputError(`--km-records: ${path}: cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try { return parseKmRecords(text, path); } catch (err) {
    if (err instanceof KmRecordsError) throw new InputError(`--km-records: ${err.message}`);
    throw err;
  }
}

export const register: CommandGroup = (program, setExit) => {
  const cert = program.command('cert').description('数字证书、CRL、OCSP 检查 — certificate, CRL and OCSP checks');
  cert.command('lint')
    .description('GM/T 0015 + RFC 5280 lints on certificates, CRLs and OCSP responses; GM/T 0010 lints on CMS/PKCS#7 envelopes (PEM, DER, chains)')
    .argument('<file...>', 'PEM or DER files; several PEM blocks in one file form a chain')
    .option('--edition <year>', 'GM/T 0015 edition: 2012 or 2023', '2012')
    .option('--type <type>', `type of the first certificate of each file: auto|${CERT_TYPES.join('|')}`, 'auto')
    .option('--profile <name>', `lint profile: ${PROFILE_NAMES.join(', ')} (default gmt0015-<edition>)`)
    .option('--exclude <ids...>', 'lint ids to leave out')
    .option('--sm2-id <ascii>', 'SM2 signer ID for signature verification (default 1234567812345678)')
    .option('--uscc-oid <oid>', 'USCC extension OID confirmed for this assessment (1.2.156.10260.4.4 or …4.4.4)')
    .option('--purpose <purpose>', `what the end-entity certificates are presented for: ${PURPOSES.join('|')} (enables w_tlcp_server_eku)`)
    .option('--km-records <file>', 'KM key records (JSON [{userCertNo, publicKey}] or lines "serial[,publicKey]") the encryption certificates must match')
    .option('--lang <lang>', 'table language: zh, en or both', 'both')
    .option('--json', 'JSON report (schema: reports/schema/cert-lint.schema.json)')
    .option('--sarif', 'SARIF 2.1.0 report for CI')
    .action((files: string[], o: LintCliOptions) => {
      if (o.edition !== '2012' && o.edition !== '2023') throw new InputError(`--edition: ${JSON.stringify(o.edition)} must be 2012 or 2023`);
      const type = o.type as CertType | 'auto';
      if (type !== 'auto' && !CERT_TYPES.includes(type)) throw new InputError(`--type: ${JSON.stringify(o.type)} must be one of auto, ${CERT_TYPES.join(', ')}`);
      const profile = (o.profile ?? `gmt0015-${o.edition}`) as ProfileName;
      if (!(profile in PROFILES)) throw new InputError(`--profile: unknown profile ${JSON.stringify(o.profile)}`, [`known: ${PROFILE_NAMES.join(', ')}`]);
      for (const id of o.exclude ?? []) if (!ALL_LINTS.some((l) => l.meta.id === id)) throw new InputError(`--exclude: unknown lint id ${JSON.stringify(id)}`);
      if (!['zh', 'en', 'both'].includes(o.lang)) throw new InputError(`--lang: ${JSON.stringify(o.lang)} must be zh, en or both`);
      if (o.json && o.sarif) throw new InputError('--json and --sarif are mutually exclusive');
      const inputs = files.map(readInput);
      const options: LintOptions = {};
      if (o.sm2Id !== undefined) options.sm2Id = new TextEncoder().encode(o.sm2Id);
      if (o.usccOid !== undefined) options.usccOid = o.usccOid;
      if (o.purpose !== undefined) {
        if (!PURPOSES.includes(o.purpose as Purpose)) throw new InputError(`--purpose: ${JSON.stringify(o.purpose)} must be one of ${PURPOSES.join(', ')}`);
        options.purpose = o.purpose as Purpose;
      }
      if (o.kmRecords !== undefined) options.kmRecords = readKmRecords(o.kmRecords);
      const reports = lintLoaded(inputs, { profile, edition: o.edition as Edition, type, exclude: o.exclude ?? [], options });
      if (o.json) process.stdout.write(JSON.stringify(toJsonDocument(reports, { profile, edition: o.edition }), null, 2) + '\n');
      else if (o.sarif) process.stdout.write(JSON.stringify(toSarif(reports), null, 2) + '\n');
      else process.stdout.write(renderTable(reports, o.lang as 'zh' | 'en' | 'both'));
      setExit(hasErrors(reports) ? EXIT.FAILED : EXIT.OK);
    });
};
