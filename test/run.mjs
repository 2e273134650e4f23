#!/usr/bin/env node
// Runs every *.test.ts file under the source folders with node:test.
// Files are collected explicitly; finding none is an error, never a silent "ran no test".
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = ['lib', 'probes', 'steps', 'reports', 'reference-platform', 'runner', 'bin', 'test', 'catalog', 'profiles', 'bench'];
const files = [];
function walk(dir) {
  let entries;
  try { entries = readdirSync(dir); } catch { return; }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'fixtures' || name === 'output') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.ts')) files.push(p);
  }
}
for (const r of roots) walk(r);
const only = process.argv.slice(2);
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
if (selected.length === 0) {
  console.error('test/run.mjs: no test files found' + (only.length ? ` matching ${only.join(' ')}` : ''));
  process.exit(1);
}
selected.sort();
if (!only.length) {
  // the whole suite starts with the strict type check: a type error fails the tests
  console.log('typecheck: tsc --noEmit');
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.'], { stdio: 'inherit' });
  if (tsc.status !== 0) {
    console.error('typecheck failed');
    process.exit(1);
  }
}
console.log(`running ${selected.length} test files`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...selected], { stdio: 'inherit' });
process.exit(r.status ?? 1);
