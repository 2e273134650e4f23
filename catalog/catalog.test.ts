import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_DIR, CatalogError, catalogCoverage, loadCatalog, normalizeClause, unitsAtLevel } from './index.ts';

const catalog = loadCatalog();

test('every catalogue file validates against its schema and the cross-field rules', () => {
  assert.equal(catalog.gbt39786.units.length, 41);
  assert.equal(catalog.gbt39786.layers.length, 8);
  assert.ok(catalog.ttcgia0003.clauses.length >= 100);
  assert.ok(catalog.licence.items.length >= 400);
  assert.ok(catalog.rules.constants.length >= 10);
});

test('unit counts per level match GB/T 39786: 24, 27, 41, 41 (technical 15/15/22/22)', () => {
  assert.deepEqual([1, 2, 3, 4].map((l) => unitsAtLevel(catalog, l as 1).length), [24, 27, 41, 41]);
  assert.deepEqual([1, 2, 3, 4].map((l) => unitsAtLevel(catalog, l as 1).filter((u) => u.kind === 'technical').length), [15, 15, 22, 22]);
  const l3 = unitsAtLevel(catalog, 3);
  const perLayer = catalog.gbt39786.layers.map((ly) => l3.filter((u) => u.layer === ly.id).length);
  assert.deepEqual(perLayer, [3, 5, 6, 8, 6, 5, 5, 3], 'A-1…A-8 indicator counts at level 3');
});

test('level-3 figures the digest marks verified', () => {
  const u = (id: string) => catalog.gbt39786.unitById.get(id)!;
  assert.equal(u('6.1.1').weight[2], 1); assert.equal(u('6.1.1').strength[2], '宜');
  assert.equal(u('6.2.4').weight[2], 0.4); assert.equal(u('6.2.2').weight[3], 1);
  assert.equal(u('6.4.8').weight[2], 1); assert.equal(u('6.4.8').strength[2], '宜');
  assert.equal(u('7.2.2').weight[2], 1); assert.equal(u('7.4.1').clause[0], '6.8');
  assert.deepEqual(u('6.2.3').compensatesWith, ['6.4.4']);
  assert.ok(catalog.gbt39786.units.every((x) => x.strengthBasis[2] === 'verified' && x.weightBasis[2] === 'verified'), 'L3 column all verified');
  assert.ok(catalog.gbt39786.units.filter((x) => x.kind === 'management').every((x) => x.weightBasis[3] === 'single-source'), 'L4 management weights single-source');
  assert.deepEqual(u('6.2.5').highRisk?.levels, [4]);
});

test('platform-standard clauses carry the text of T/TCGIA 0003-2023 and a method', () => {
  const c = catalog.ttcgia0003.clauseById.get('6.5.3.e')!;
  assert.equal(c.title, '密钥使用');
  assert.ok(c.text.startsWith('密钥应明确用途,并按用途正确使用'));
  assert.equal(c.strength, '应'); assert.equal(c.method, 'test');
  assert.equal(catalog.ttcgia0003.clauseById.get('6.6.f')!.method, 'examine');
  assert.equal(catalog.ttcgia0003.clauseById.get('7.2.增值服务.a')!.strength, '可');
  for (const id of ['6.1.1.a', '6.2.h', '6.4.h', '6.5.1', '6.5.4', '6.5.4.b', '6.5.10.b', '10.2.3']) assert.ok(catalog.ttcgia0003.clauseById.has(id), id);
});

test('licence items: ids as printed in the application material', () => {
  const find = (std: string, id: string) => catalog.licence.items.find((i) => i.std === std && i.id === id);
  assert.equal(find('LICENCE-CA', '二.4.4.4')?.title, '管理员证书的冻结流程');
  assert.equal(find('LICENCE-KM', '三.5.3.6')?.title, '司法取证员');
  assert.equal(find('LICENCE-KM', '四.6.5.2')?.method, 'test');
  assert.equal(find('LICENCE-MGMT', '3-3')?.title, '可信人员策略');
  assert.equal(find('GMT0034', '12.5')?.title, '司法密钥恢复');
  assert.equal(find('GMT0038', '7.9')?.basis, 'unverified');
});

test('coverage: unknown clauses and units are reported, uncovered units listed', () => {
  const r = catalogCoverage({
    level: 3,
    citedClauses: [
      { std: 'TTCGIA0003-2023', clause: '6.5.3.e' }, { std: 'TTCGIA0003-2023', clause: '6.5.3e' }, { std: 'GBT39786-2021', clause: '8.2.a' },
      { std: 'GBT39786-2021', clause: '8.2.z' }, { std: 'TTCGIA0003-2023', clause: '6.5.11.a' }, { std: 'LICENCE-CA', clause: '二.4.4.4' },
      { std: 'GMT0005-2021', clause: '6.1' },
    ],
    citedUnits: ['6.2.1', '6.2.3', '9.9.9'],
    attestedUnits: catalog.gbt39786.units.filter((u) => u.kind === 'management').map((u) => u.id),
  }, catalog);
  assert.deepEqual(r.unknownClauses, [{ std: 'GBT39786-2021', clause: '8.2.z' }, { std: 'TTCGIA0003-2023', clause: '6.5.11.a' }]);
  assert.deepEqual(r.unknownUnits, ['9.9.9']);
  assert.deepEqual(r.uncataloguedStandards, ['GMT0005-2021']);
  assert.equal(r.uncoveredUnits.length, 22 - 2);
  assert.ok(!r.uncoveredUnits.some((u) => u.id === '6.2.1' || u.id.startsWith('7.')));
  assert.equal(r.uncoveredUnits.find((u) => u.id === '6.3.2')?.clause, '8.3.b');
  const l1 = catalogCoverage({ level: 1, citedClauses: [], citedUnits: [], attestedUnits: [] }, catalog);
  assert.equal(l1.uncoveredUnits.length, 24);
  const all = catalogCoverage({ level: 4, citedClauses: [], citedUnits: catalog.gbt39786.units.map((u) => u.id), attestedUnits: [] }, catalog);
  assert.deepEqual(all.uncoveredUnits, []);
});

test('clause spellings are normalised', () => {
  assert.equal(normalizeClause('8.2a'), '8.2.a');
  assert.equal(normalizeClause('8.2 a)'), '8.2.a');
  assert.equal(normalizeClause('6.5.3.E'), '6.5.3.e');
  assert.equal(normalizeClause('二.4.4.4'), '二.4.4.4');
});

function brokenCopy(file: string, edit: (s: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-catalog-'));
  cpSync(CATALOG_DIR, dir, { recursive: true, filter: (p) => !p.endsWith('.ts') });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

test('a malformed catalogue fails with file, field and line', () => {
  const dir = brokenCopy('gbt39786.yaml', (s) => s.replace('weight: [0.4, 0.4, 0.7, 0.7]', 'weight: [0.4, 0.4, "heavy", 0.7]'));
  assert.throws(() => loadCatalog(dir), (e: unknown) => {
    assert.ok(e instanceof CatalogError);
    assert.match(e.message, /gbt39786\.yaml/);
    const p = e.problems.find((x) => x.field === '/units/1/weight/2');
    assert.ok(p, JSON.stringify(e.problems));
    assert.ok(p.line && p.line > 30, `line ${p.line}`);
    return true;
  });
});

test('cross-field rules: per-level nulls agree and compensation pairs are symmetric', () => {
  const d1 = brokenCopy('gbt39786.yaml', (s) => s.replace('clause: [null, null, "8.1.c", "9.1.c"]', 'clause: ["6.1.c", null, "8.1.c", "9.1.c"]'));
  assert.throws(() => loadCatalog(d1), /level 1: clause, strength, weight and their bases must all be given or all be null/);
  const d2 = brokenCopy('gbt39786.yaml', (s) => s.replace('compensatesWith: ["6.4.6"]', 'compensatesWith: ["6.4.5"]'));
  assert.throws(() => loadCatalog(d2), /does not list/);
  const d3 = brokenCopy('ttcgia0003.yaml', (s) => s.replace('method: test', 'method: probe'));
  assert.throws(() => loadCatalog(d3), (e: unknown) => e instanceof CatalogError && /ttcgia0003\.yaml/.test(e.message) && /method/.test(e.message));
  const d4 = brokenCopy('licence.yaml', (s) => s.replace('id: "二.4.4.5"', 'id: "二.4.4.4"'));
  assert.throws(() => loadCatalog(d4), /duplicate item LICENCE-CA 二\.4\.4\.4/);
});
