import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UpstreamCache } from '../../lib/upstream/lock';
import { SchemaRegistry, formatIssue, isJsonObject, parseYamlDocuments, validateObjects, type SourcedObject } from '../../lib/validation';

const VALID = join(__dirname, '..', 'fixtures', 'validation', 'valid');

/** The valid fixtures copied into distinct namespaces (cluster-scoped objects renamed) up to `count`. */
function fleetOf(count: number): SourcedObject[] {
  const templates = readdirSync(VALID)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseYamlDocuments(readFileSync(join(VALID, f), 'utf8'), f).map((object) => ({ file: f, object })));
  const out: SourcedObject[] = [];
  for (let copy = 0; out.length < count; copy++) {
    for (const { file, object } of templates) {
      if (out.length >= count || !isJsonObject(object) || !isJsonObject(object.metadata)) continue;
      const metadata = { ...object.metadata };
      if (typeof metadata.namespace === 'string') metadata.namespace = `${metadata.namespace}-${copy}`;
      else metadata.name = `${String(metadata.name)}-${copy}`;
      out.push({ source: `copy-${copy}/${file}`, object: { ...object, metadata } });
    }
  }
  return out;
}

/**
 * A larger object set than the reference fleet, validated twice with the same registry: results must
 * not depend on what was compiled before. Run time is measured by `npm run bench`, not asserted here.
 */
describe('validation of a large object set', () => {
  test('validates 300 objects of ~20 kinds from a cold cache, and again from a warm one', () => {
    // GIVEN 300 objects of ~20 kinds (core, Flux, cert-manager, gateway-api, HelmReleases of 5 charts)
    const objects = fleetOf(300);
    // AND a registry and cache that have read and compiled nothing yet
    const cache = new UpstreamCache();
    const registry = new SchemaRegistry(cache);
    // WHEN validated twice
    const report = validateObjects(objects, { registry, cache });
    const again = validateObjects(objects, { registry, cache });
    // THEN all are valid both times
    expect(report.issues.map(formatIssue)).toEqual([]);
    expect(report.objectsValidated).toBe(300);
    expect(report.helmReleasesValidated).toBeGreaterThan(40);
    expect(again).toEqual(report);
  });
});
