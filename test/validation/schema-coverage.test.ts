import { SchemaRegistry } from '../../lib/validation';

/**
 * Whole-pack checks (slow: parses every pinned CRD file and compiles ~1,200 schemas, about 40 s).
 * They guard upgrades of the spec pack: a CRD the lookup filter cannot find, or a schema the
 * conversion produces and Ajv cannot compile, fails here rather than in a fleet validation run.
 */
describe('every pinned schema', () => {
  const registry = new SchemaRegistry();
  const crds = registry.allCustomResources();
  const core = registry.allCoreKinds();

  test('the pack defines hundreds of served custom resource kinds and the core kinds', () => {
    expect(crds.length).toBeGreaterThan(450);
    expect(core.length).toBeGreaterThan(150);
  });

  test('every served CRD group/version/kind is found by the fast lookup, from the same file', () => {
    // GIVEN the full parse of every CRD file WHEN each GVK is looked up the fast way
    const misses = crds.filter((c) => registry.find(c.apiVersion, c.kind)?.file !== c.file);
    // THEN the text pre-filter missed none of them
    expect(misses.map((m) => `${m.apiVersion} ${m.kind} (${m.file})`)).toEqual([]);
  });

  test('every pinned schema compiles, and every Go pattern has a JS equivalent', () => {
    // GIVEN all core and custom kinds WHEN compiled
    const failures: string[] = [];
    const skipped = new Set<string>();
    let celRules = 0;
    for (const pinned of [...core, ...crds]) {
      const compiled = registry.compile(pinned.apiVersion, pinned.kind);
      const errors = compiled?.validate({ apiVersion: pinned.apiVersion, kind: pinned.kind, metadata: { name: 'probe' } }) ?? [];
      const compileError = errors.find((e) => e.message.startsWith('cannot compile'));
      if (!compiled || compileError) failures.push(`${pinned.apiVersion} ${pinned.kind}: ${compileError?.message ?? 'not found'}`);
      compiled?.skippedPatterns.forEach((p) => skipped.add(p));
      celRules += compiled?.celRulesIgnored ?? 0;
    }
    // THEN nothing failed; CEL rules exist but are (knowingly) not evaluated
    expect(failures).toEqual([]);
    expect([...skipped]).toEqual([]);
    expect(celRules).toBeGreaterThan(1000);
  });
});
