import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandGroup } from './index.ts';
import { EXIT, InputError } from '../exit-codes.ts';
import { loadCatalog, unitsAtLevel, type Level } from '../../catalog/index.ts';
import { citedScenarios } from '../../reports/feature-tags.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The attestation template for a level: every unit no scenario covers (the examine/interview units), and for
 * units whose scenarios judge only some of D/A/K, the dimensions left to the assessor.
 */
export function attestationTemplate(level: Level, featurePaths: string[]): string {
  const catalog = loadCatalog();
  const cited = citedScenarios(featurePaths);
  const dims = new Map<string, Set<string>>();
  for (const s of cited) for (const u of s.units) {
    const set = dims.get(u) ?? new Set<string>();
    for (const d of s.dak) set.add(d);
    dims.set(u, set);
  }
  const q = (s: string) => JSON.stringify(s);
  const out: string[] = [
    `# gmeval 人工确认模板 / attestation template — GB/T 39786-2021 第${level}级`,
    '# 每项填写 result（符合/部分符合/不符合/不适用）、assessor、date（YYYY-MM-DD）、method（说和看/简单实操/深度验证）、evidence（相对本文件的证据文件）。',
    '# 技术单元：result 符合 = D✔A✔K✔，不符合 = D✘；部分符合须写 dak（例如 {D: true, A: true, K: false}）。管理单元只写 result。',
    '# 未填写的模板不能通过校验（result 与 date 为占位符）。用法：gmeval run --attestations <本文件>',
    'schemaVersion: 1',
    'attestations:',
  ];
  for (const u of unitsAtLevel(catalog, level)) {
    const have = dims.get(u.id);
    const missing = u.kind === 'technical' ? ['D', 'A', 'K'].filter((d) => !have?.has(d)) : have ? [] : ['R'];
    if (!missing.length) continue;
    const layer = catalog.gbt39786.layerById.get(u.layer)!;
    out.push(`  # ${u.id} ${layer.zh} · ${u.title.zh}（${u.clause[level - 1]}，${u.strength[level - 1]}，权重 ${u.weight[level - 1]}）${have ? ` — 场景已判定 ${[...have].join('/')}，请确认其余维度` : ''}`);
    out.push(`  - unit: ${q(u.id)}`);
    out.push(`    object: ${q(u.kind === 'technical' ? '待填写：测评对象' : u.title.zh)}`);
    out.push(`    result: 待填写`);
    if (u.kind === 'technical' && have) out.push(`    dak: { ${missing.map((d) => `${d}: 待填写`).join(', ')} }`);
    out.push('    assessor: 待填写', '    date: YYYY-MM-DD', '    method: 说和看', '    evidence: []', '    note: ""');
  }
  out.push('waivers: []', '');
  return out.join('\n');
}

export const register: CommandGroup = (program, setExit) => {
  const attest = program.command('attest').description('assessor attestations / 人工确认');
  attest
    .command('init')
    .description('write an attestation template for the units at a level that no scenario covers')
    .requiredOption('--level <n>', 'GB/T 39786 level (1–4)')
    .option('--out <file>', 'write here instead of stdout (refuses to overwrite)')
    .option('--features <dir...>', 'feature folders whose @unit/@dak tags count as covered (default features/)')
    .action((o: { level: string; out?: string; features?: string[] }) => {
      const level = Number(o.level);
      if (![1, 2, 3, 4].includes(level)) throw new InputError(`--level: "${o.level}" must be 1, 2, 3 or 4`);
      const paths = (o.features ?? [resolve(ROOT, 'features')]).map((p) => resolve(p));
      for (const p of paths) if (!existsSync(p)) throw new InputError(`--features: ${p} not found`);
      const text = attestationTemplate(level as Level, paths);
      if (o.out) {
        if (existsSync(o.out)) throw new InputError(`--out: ${o.out} exists; not overwritten`);
        writeFileSync(o.out, text);
        process.stdout.write(`gmeval: attestation template for level ${level} written to ${o.out}\n`);
      } else process.stdout.write(text);
      setExit(EXIT.OK);
    });
};
