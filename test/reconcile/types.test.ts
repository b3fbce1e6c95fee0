import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, type ProblemCode } from '../../lib/core/errors';
import { ReconcileCode } from '../../lib/reconcile/types';

describe('ReconcileCode', () => {
  test('every code is a distinct RECONCILE_<NAME> string, so it is a ProblemCode and never an ErrorCode', () => {
    // GIVEN every code of the reconcile model
    const entries = Object.entries(ReconcileCode);
    // THEN each value is RECONCILE_ followed by its member name (stable: docs/reconcile.md and users grep for them)
    for (const [name, value] of entries) expect(value).toBe(`RECONCILE_${name}`);
    // AND no two rules share a code, and none collides with an InfraFluxError code
    const values = entries.map(([, v]) => v as string);
    expect(new Set(values).size).toBe(values.length);
    const errorCodes = new Set<string>(Object.values(ErrorCode));
    expect(values.filter((v) => errorCodes.has(v))).toEqual([]);
    const asProblem: ProblemCode = ReconcileCode.NAMESPACE_MISSING;
    expect(asProblem).toBe('RECONCILE_NAMESPACE_MISSING');
  });

  test('every code is documented in docs/reconcile.md', () => {
    // GIVEN the reference of the model's rules WHEN each code is looked up THEN none is missing
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'reconcile.md'), 'utf8');
    expect(Object.values(ReconcileCode).filter((code) => !doc.includes(code))).toEqual([]);
  });
});
