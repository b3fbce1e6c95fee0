/**
 * `npm run bench`: how long building and rendering the reference fleet takes, and how long the
 * schema harness takes over it. Timings are measured here, never asserted in tests.
 */
import { performance } from 'node:perf_hooks';
import { SchemaRegistry, validateFleetManifests } from '../lib/validation';
import { UpstreamCache } from '../lib/upstream/lock';
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
// Cold: a fresh cache and registry each run (read + hash + parse + compile the schemas used).
time('schema harness, cold', 5, () => {
  const cache = new UpstreamCache();
  return validateFleetManifests(manifests, { cache, registry: new SchemaRegistry(cache) });
});
time('schema harness, warm', 20, () => validateFleetManifests(manifests));
console.log(`${files.size} manifests`);
