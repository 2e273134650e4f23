import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandGroup } from './index.ts';
import { EXIT, InputError } from '../exit-codes.ts';
import { verifyRun } from '../../reports/manifest.ts';
import { diffReports, formatDiff, readReport } from '../../reports/diff.ts';

/** Whether a command is on PATH and runs (`--version` exits 0). */
function runs(cmd: string, args: string[] = ['--version']): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 30_000 });
  return r.status === 0;
}

export const register: CommandGroup = (program, setExit) => {
  const report = program.command('report').description('work with run folders: verify, diff, Allure / 报告校验、对比、Allure');

  report
    .command('verify <dir>')
    .description('check manifest.json: SM2 signature and the SM3/SHA-256 of every file (exit 0 intact, 1 changed, 2 unreadable)')
    .option('--key <pem>', 'expected SM2 public key (PEM file): the manifest must be signed by it')
    .option('--json', 'machine-readable result (reports/schema/report-verify.schema.json)')
    .action((dir: string, o: { key?: string; json?: boolean }) => {
      let pem: string | undefined;
      if (o.key) {
        if (!existsSync(o.key)) throw new InputError(`--key: ${o.key} not found`);
        pem = readFileSync(o.key, 'utf8');
      }
      const r = verifyRun(resolve(dir), { publicKeyPem: pem });
      if (o.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else if (r.ok) process.stdout.write(`gmeval: ${dir}: intact — ${r.files} files, SM3 and SHA-256 match, SM2 signature valid (key SM3 ${r.publicKeySm3})\n`);
      else {
        process.stdout.write(`gmeval: ${dir}: NOT intact — ${r.problems.length} problem(s)\n`);
        for (const p of r.problems) process.stdout.write(`  ${p.problem.padEnd(9)} ${p.path}: ${p.detail}\n`);
      }
      setExit(r.ok ? EXIT.OK : EXIT.FAILED);
    });

  report
    .command('diff <old> <new>')
    .description('compare two runs by stable scenario id: new failures, fixes, status and score changes')
    .option('--json', 'machine-readable result (reports/schema/report-diff.schema.json)')
    .option('--fail-on-new', 'exit 1 when the new run has a failure the old one did not')
    .action((a: string, b: string, o: { json?: boolean; failOnNew?: boolean }) => {
      const d = diffReports(readReport(a), readReport(b));
      process.stdout.write(o.json ? JSON.stringify(d, null, 2) + '\n' : formatDiff(d));
      setExit(o.failOnNew && d.newFailures.length ? EXIT.FAILED : EXIT.OK);
    });

  report
    .command('allure <dir>')
    .description('render <dir>/allure-results as a single-file HTML report (needs the Allure CLI; Allure 2 also needs Java)')
    .option('--out <dir>', 'output folder (default <dir>/allure-report)')
    .action((dir: string, o: { out?: string }) => {
      const results = join(resolve(dir), 'allure-results');
      if (!existsSync(results)) throw new InputError(`${results}: not found — give a gmeval run folder (it holds allure-results/)`);
      const out = resolve(o.out ?? join(dir, 'allure-report'));
      const missing: string[] = [];
      if (!runs('allure')) missing.push('the Allure command line ("allure" on PATH): Allure 2 from https://allurereport.org/docs/install/ (needs Java 8+), or Allure 3 with "npm install -g allure"');
      if (missing.length) {
        const java = runs('java', ['-version']) ? 'Java is installed' : 'Java is not installed either (Allure 2 needs it; Allure 3 does not)';
        throw new InputError(`gmeval report allure: cannot render — missing ${missing.join('; ')}. ${java}. The results themselves are in ${results}.`);
      }
      const r = spawnSync('allure', ['generate', '--single-file', '--clean', '-o', out, results], { stdio: 'inherit' });
      if (r.status !== 0) throw new InputError(`allure generate exited with ${r.status}`);
      process.stdout.write(`gmeval: Allure report ${join(out, 'index.html')}\n`);
      setExit(EXIT.OK);
    });
};
