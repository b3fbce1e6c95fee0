/**
 * The architecture of lib/ and stacks/ (docs/architecture.md, "Folder rules"): no import cycles,
 * each lib/ folder imports only the folders below it, lib/ never imports stacks/test/scripts, only
 * lib/terraform loads CDKTF. The rules live in .dependency-cruiser.cjs; dependency-cruiser checks
 * them (parsing with SWC: TypeScript 7 has no JavaScript API).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string; readonly severity: string };
  readonly cycle?: readonly ({ readonly name: string } | string)[];
}

/** Runs dependency-cruiser with the repository's config over `folders` of `cwd`. */
function cruise(cwd: string, folders: readonly string[]): Violation[] {
  // jest's NODE_OPTIONS (`--import tsx`, jest.config.js) would not resolve outside the repository.
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const run = spawnSync(DEPCRUISE, [...folders, '--config', CONFIG, '--output-type', 'json'], { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw run.error;
  let result: { summary?: { violations?: Violation[] } };
  try {
    result = JSON.parse(run.stdout) as typeof result;
  } catch {
    throw new Error(`depcruise printed no JSON (exit ${run.status}):\n${run.stderr}`);
  }
  const violations = result.summary?.violations;
  if (!Array.isArray(violations)) throw new Error(`depcruise output has no summary.violations (exit ${run.status}):\n${run.stderr}`);
  return violations;
}

/** One line per violation: the rule, the edge and, for a cycle, the files around it. */
function violationLine(v: Violation): string {
  const cycle = v.cycle?.map((c) => (typeof c === 'string' ? c : c.name));
  return `${v.rule.name}: ${v.from} → ${v.to}${cycle?.length ? ` (cycle: ${[v.from, ...cycle].join(' → ')})` : ''}`;
}

function write(root: string, file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

describe('architecture (.dependency-cruiser.cjs)', () => {
  test('lib/ and stacks/ break none of the folder rules', () => {
    // GIVEN the repository's lib/ and stacks/
    // WHEN dependency-cruiser checks them against the rules
    const violations = cruise(ROOT, ['lib', 'stacks']);
    // THEN there is no violation (each one printed, rule and edge, when there is)
    expect(violations.map(violationLine)).toEqual([]);
  });

  test('fails an import cycle and a core file importing lib/flux, naming each rule', () => {
    // GIVEN a tiny tree: two core files that import each other, and a core file importing lib/flux
    const dir = mkdtempSync(join(tmpdir(), 'infraflux-arch-'));
    try {
      write(dir, 'tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs', target: 'es2022' } }));
      write(dir, 'lib/core/a.ts', "import { b } from './b';\nexport const a = (): number => b() + 1;\n");
      write(dir, 'lib/core/b.ts', "import { a } from './a';\nexport const b = (): number => (a.length > 0 ? 1 : 0);\n");
      write(dir, 'lib/core/c.ts', "import { d } from '../flux/d';\nexport const c = d;\n");
      write(dir, 'lib/flux/d.ts', 'export const d = 4;\n');
      // WHEN dependency-cruiser checks it with the same config
      const violations = cruise(dir, ['lib']);
      const found = violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
      // THEN both the cycle (no-circular) and the upward edge (folder-core) are reported
      expect(found).toEqual(
        expect.arrayContaining([
          { rule: 'no-circular', from: 'lib/core/a.ts', to: 'lib/core/b.ts' },
          { rule: 'folder-core', from: 'lib/core/c.ts', to: 'lib/flux/d.ts' },
        ]),
      );
      expect(new Set(found.map((v) => v.rule))).toEqual(new Set(['no-circular', 'folder-core']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
