import type { CommandGroup } from './index.ts';
import { InputError } from '../exit-codes.ts';
import { runEvaluation } from '../../runner/run.ts';
import { relative } from 'node:path';
import type { Report } from '../../reports/model.ts';

function scoreLine(r: Report): string {
  const s = r.score;
  if (!s) return '';
  const total = s.total === null ? '—' : s.total.toFixed(2);
  const range = s.complete ? '' : ` (incomplete: up to ${s.totalUpper?.toFixed(2) ?? '—'}; ${s.counts.uncovered} units uncovered, ${s.counts.incomplete} incomplete)`;
  const demo = (r.attestations ?? []).some((a) => a.demonstration) ? ' [includes DEMONSTRATION attestations]' : '';
  return `gmeval: GB/T 39786 level ${s.level} score ${total}${range} — ${s.conclusion} (${s.conclusionEn}), ${s.highRisks.length} high risk(s)${demo}\n`;
}

export const register: CommandGroup = (program, setExit) => {
  program
    .command('run')
    .description('evaluate a target (default: the bundled reference platform with profiles/reference.yaml) / 执行测评')
    .option('--profile <file>', 'profile YAML (default profiles/reference.yaml)')
    .option('--tags <expr>', 'cucumber tag expression selecting scenarios, e.g. "@dim:正确性 and not @method:interview"')
    .option('--out <dir>', 'run folder (default ./gmeval-report/<timestamp>/)')
    .option('--gate <expr>', 'CI gate, e.g. "score>=90,high=0,not_tested<=2" (default failed=0,not_tested=0; metrics in docs/ci.md)')
    .option('--attestations <file>', 'attestations/waivers YAML on top of the profile\'s (reports/schema/attestations.schema.json)')
    .option('--lang <zh|en>', 'report language (default zh)')
    .option('--parallel <n>', 'parallel workers', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 64) throw new InputError(`--parallel: "${v}" is not a number from 1 to 64`);
      return n;
    })
    .option('--defect <name...>', 'reference platform only: switch on named defects for this run')
    .action(async (o: { profile?: string; tags?: string; out?: string; gate?: string; lang?: string; parallel?: number; defect?: string[]; attestations?: string }) => {
      if (o.lang && o.lang !== 'zh' && o.lang !== 'en') throw new InputError(`--lang: "${o.lang}" must be zh or en`);
      const r = await runEvaluation({ profile: o.profile, tags: o.tags, out: o.out, gate: o.gate, lang: o.lang as 'zh' | 'en' | undefined, parallel: o.parallel, defects: o.defect, attestations: o.attestations });
      const s = r.report.summary.scenarios;
      // an attested scenario keeps its underlying status in the report, but the assessor has settled it
      const attested = r.report.scenarios.filter((x) => x.status === 'not_tested' && x.attestation).length;
      const where = relative(process.cwd(), r.outDir) || '.';
      process.stdout.write(
        `gmeval: ${r.report.scenarios.length} checks — ${s.passed} passed, ${s.failed} failed, ${s.not_tested - attested} not tested, ${attested} answered by attestation, ${s.not_applicable} not applicable\n` +
        scoreLine(r.report) +
        `gmeval: gate ${r.report.gate?.expression}: ${r.report.gate?.passed ? 'passed' : 'FAILED'}\n` +
        `gmeval: report ${where}/report.html (also report.json, junit.xml, results.sarif, summary.md, allure-results/, manifest.json)\n`,
      );
      for (const w of r.report.waivers ?? []) if (w.state === 'expired') process.stdout.write(`  ! waiver ${w.id} EXPIRED ${w.expires} — ignored\n`);
      for (const sc of r.report.scenarios.filter((x) => x.status === 'failed' || (x.status === 'not_tested' && !x.attestation))) {
        process.stdout.write(`  ${sc.waiver ? '~' : sc.status === 'failed' ? '✗' : '?'} [${sc.std ?? ''} ${sc.clause ?? ''}] ${sc.name}${sc.waiver ? ` (waived: ${sc.waiver})` : ''}${sc.reason ? ` — ${sc.reason}` : ''}\n`);
      }
      for (const h of r.report.score?.highRisks ?? []) process.stdout.write(`  ⚠ ${h.description}\n`);
      setExit(r.exitCode);
    });
};
