/**
 * `npm run bench`: how long building and rendering the reference fleet takes, and how long the
 * schema harness takes over it, cold and warm. Timings are measured here, never asserted in tests.
 *
 * Harness variants (each run builds a new registry unless said otherwise):
 * - cold: the cache files only (read + sha256, YAML parse, conversion, Ajv code generation), as a
 *   process without `npm run upstream`'s derived pack and validator store;
 * - derived pack + stored code: what a test process does (one pack file, Ajv's stored code);
 * - shipped pack: an installed package (build/schemas/pack.json.gz, compiles in-process);
 * - warm: the same registry again (what a second synth in one process costs).
 * Chart values.schema.json validators come from the store in every variant but the shipped pack.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SchemaRegistry, validateFleetManifests } from '../lib/validation';
import { projectRoot, UpstreamCache } from '../lib/upstream/lock';
import { SCHEMA_PACK_FILE, SchemaPack } from '../lib/validation/schema-pack';
import { buildReferenceFleet } from '../stacks/fleet';

function time<T>(label: string, runs: number, fn: () => T): T {
  let result: T = fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  console.log(`${label.padEnd(40)} median ${median.toFixed(1)} ms over ${runs} runs (min ${samples[0].toFixed(1)}, max ${samples[samples.length - 1].toFixed(1)})`);
  return result;
}

const files = time('build + render reference fleet', 20, () => buildReferenceFleet().render());
const manifests = buildReferenceFleet().manifests();
time('schema harness, cold (cache files, Ajv compile)', 3, () => {
  const cache = new UpstreamCache();
  return validateFleetManifests(manifests, { cache, registry: new SchemaRegistry(cache, { index: 'cache', store: false }) });
});
time('schema harness, derived pack + stored code', 5, () => {
  const cache = new UpstreamCache();
  return validateFleetManifests(manifests, { cache, registry: new SchemaRegistry(cache) });
});
const shipped = join(projectRoot(), SCHEMA_PACK_FILE);
if (existsSync(shipped)) {
  time('schema harness, shipped pack (npm package)', 3, () => {
    const pack = SchemaPack.load(shipped);
    return validateFleetManifests(manifests, { registry: new SchemaRegistry(pack) });
  });
} else {
  console.log(`(no ${SCHEMA_PACK_FILE}: run \`npm run build\` to time the shipped pack)`);
}
time('schema harness, warm (same registry)', 20, () => validateFleetManifests(manifests));
console.log(`${files.size} manifests`);
