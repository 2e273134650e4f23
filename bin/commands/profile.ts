import type { CommandGroup } from './index.ts';
import { InputError } from '../exit-codes.ts';
import { formatIssue } from '../../lib/yaml-schema/index.ts';
import { loadProfile, validateProfileFile } from '../../profiles/profile.ts';
import { validateMappingFile } from '../../probes/adapters/http/mapping.ts';
import { resolve } from 'node:path';

export const register: CommandGroup = (program) => {
  const profile = program.command('profile').description('profiles: validate / 测评配置校验');
  profile
    .command('validate')
    .argument('<file>', 'profile YAML')
    .description('validate a profile and the adapter mapping files it names; exit 2 with file:line: field: reason')
    .action((file: string) => {
      const issues = validateProfileFile(file);
      if (issues.length) throw new InputError(`${file}: invalid profile (${issues.length} problem${issues.length > 1 ? 's' : ''})`, issues.map(formatIssue));
      const { profile: p, dir } = loadProfile(file);
      const mappingIssues = Object.values(p.adapters ?? {})
        .filter((a) => a.type === 'http')
        .flatMap((a) => validateMappingFile(resolve(dir, (a as { mapping: string }).mapping)));
      if (mappingIssues.length) throw new InputError(`${file}: an adapter mapping file is invalid`, mappingIssues.map(formatIssue));
      process.stdout.write(`${file}: ok (level ${p.level}, ${p.objects.length} object(s), target ${p.target.kind})\n`);

    });
};
