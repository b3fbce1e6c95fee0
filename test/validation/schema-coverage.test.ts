import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { projectRoot, UpstreamCache } from '../../lib/upstream/lock';
import { formatIssue, SchemaRegistry, validateObjects, type SourcedObject } from '../../lib/validation';
import { derivedPackFile, parseSchemaPack, SCHEMA_PACK_FILE, SchemaPack, serializeSchemaPack } from '../../lib/validation/schema-pack';
import { writeSchemaPack } from '../../scripts/build-schema-pack';

/**
 * Whole-pack checks (slow: parses every pinned CRD file and compiles ~800 schemas). They guard
 * upgrades of the spec pack: a CRD the lookup filter cannot find, or a schema the conversion
 * produces and Ajv cannot compile, fails here rather than in a fleet validation run.
 *
 * The registry works on the cache files themselves (`index: 'cache'`), never on the derived pack,
 * so the fast lookup is checked against a full parse. Compiling goes through the validator store
 * (schema-compiler.ts): a stored file is the code Ajv generated for exactly this schema, Ajv
 * version and converter, so loading it proves the schema compiles as much as compiling it again.
 */
const cache = UpstreamCache.default();
const registry = new SchemaRegistry(cache, { index: 'cache' });

describe('every pinned schema', () => {
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
      // (Not calling validate: V8 compiles the generated functions lazily on first call, ~25 s
      // for all of them, and a compile error is known without it.)
      if (!compiled || compiled.compileError !== undefined) failures.push(`${pinned.apiVersion} ${pinned.kind}: ${compiled?.compileError ?? 'not found'}`);
      compiled?.skippedPatterns.forEach((p) => skipped.add(p));
      celRules += compiled?.celRulesIgnored ?? 0;
    }
    // THEN nothing failed; CEL rules exist but are (knowingly) not evaluated
    expect(failures).toEqual([]);
    expect([...skipped]).toEqual([]);
    expect(celRules).toBeGreaterThan(1000);
  });
});

/**
 * The schema pack (what the npm package validates with, and what test processes read instead of
 * the CRD YAML) must be what the generator makes of the verified cache, and must give the same
 * verdicts as the cache.
 */
describe('the schema pack', () => {
  const generated = registry.generateSchemaPack();
  const bytes = serializeSchemaPack(generated);

  test('the derived pack next to the cache is what the generator makes of the verified cache (not stale)', () => {
    // GIVEN the pack `npm run upstream` wrote for this lock and converter
    const file = derivedPackFile(cache, generated.fingerprint);
    expect(existsSync(file)).toBe(true);
    // THEN its content is exactly the fresh generation from the cache (also what JSON cannot
    // write: numbers such as Infinity survive the round trip)
    expect(gunzipSync(readFileSync(file)).toString('utf8')).toBe(gunzipSync(bytes).toString('utf8'));
    expect(parseSchemaPack(readFileSync(file), file)).toEqual(generated);
  });

  test('the build script writes the same pack, and a built package pack (when built) is not stale', () => {
    // GIVEN the build's writer WHEN it writes the generated pack into a temporary folder
    const out = join(mkdtempSync(join(tmpdir(), 'schema-pack-')), 'pack.json.gz');
    const written = writeSchemaPack(cache, out, generated);
    // THEN the bytes are the generator's, deterministic (gzip without a timestamp)
    expect(Buffer.compare(Buffer.from(written), Buffer.from(bytes))).toBe(0);
    expect(Buffer.compare(readFileSync(out), Buffer.from(bytes))).toBe(0);
    const built = join(projectRoot(), SCHEMA_PACK_FILE);
    if (existsSync(built)) expect(parseSchemaPack(readFileSync(built), built)).toEqual(generated);
  });

  test('the pack holds every served GVK with its scope, the core kinds and every pinned chart', () => {
    expect(generated.crds.map((c) => `${c.apiVersion}/${c.kind}`)).toEqual(registry.allCustomResources().map((c) => `${c.apiVersion}/${c.kind}`));
    expect(generated.crds.find((c) => c.kind === 'ClusterIssuer')?.scope).toBe('Cluster');
    expect(generated.kubernetes.kinds.length).toBe(registry.allCoreKinds().length);
    expect(Object.keys(generated.charts).sort()).toEqual(Object.keys(cache.lock.charts).sort());
    expect(generated.charts['cilium']?.schemaText).toBe(cache.read(cache.lock.charts['cilium']?.schemaPath as string));
  });

  test('a registry over the pack gives the same verdicts as one over the cache', () => {
    // GIVEN valid and invalid core objects, custom resources and HelmReleases
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'x' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } };
    const release = (values: Record<string, unknown>, version = cache.lock.charts['cert-manager']?.version): Record<string, unknown> => ({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'cert-manager', namespace: 'flux-system' },
      spec: { interval: '1h', chart: { spec: { chart: 'cert-manager', version, sourceRef: { kind: 'HelmRepository', name: 'jetstack' } } }, values },
    });
    const repository = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'jetstack', namespace: 'flux-system' }, spec: { interval: '1h', url: cache.lock.charts['cert-manager']?.repository } };
    const sets: Record<string, unknown[]> = {
      valid: [
        deployment,
        { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'ca' }, spec: { selfSigned: {} } },
        release({ crds: { enabled: true } }),
        repository,
      ],
      invalid: [
        { ...deployment, spec: { ...deployment.spec, replicas: 'three', unknownField: 1 } },
        { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'ca' }, spec: { selfSigned: {}, acmee: {} } },
        { apiVersion: 'cert-manager.io/v9', kind: 'ClusterIssuer', metadata: { name: 'ca' }, spec: {} },
        release({ crds: { enabled: 'yes' }, notAKey: 1 }),
        { ...release({}, '0.0.1'), metadata: { name: 'other', namespace: 'flux-system' } },
        repository,
      ],
    };
    const packRegistry = new SchemaRegistry(new SchemaPack(parseSchemaPack(bytes, 'generated')));
    for (const [name, objects] of Object.entries(sets)) {
      const sourced: SourcedObject[] = objects.map((object, i) => ({ source: `${name}/${i}`, object }));
      // WHEN both registries validate the set
      const fromCache = validateObjects(sourced, { registry });
      const fromPack = validateObjects(sourced, { registry: packRegistry });
      // THEN the reports are identical
      expect(fromPack).toEqual(fromCache);
      if (name === 'valid') expect(fromCache.issues.map(formatIssue)).toEqual([]);
      else expect(fromCache.issues.length).toBeGreaterThanOrEqual(6);
    }
  });
});
