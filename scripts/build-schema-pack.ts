/**
 * The schema pack (lib/validation/schema-pack.ts), generated from the verified upstream cache only.
 *
 * `tsx scripts/build-schema-pack.ts`            write build/schemas/pack.json.gz (`npm run build`).
 * `tsx scripts/build-schema-pack.ts --derived`  write the same pack next to the cache
 *     (`.upstream-cache/.derived/<fingerprint>/pack.json.gz`) and compile every pinned schema into
 *     the validator store, in one process per core (`npm run upstream` runs it after verifying the
 *     cache). Nothing is done when both are current.
 * `--shard i/n` (internal): compile the i-th of n slices of the schemas into the store.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { projectRoot, UpstreamCache } from '../lib/upstream/lock';
import { COMPILER_FINGERPRINT } from '../lib/validation/schema-compiler';
import {
  derivedPackFile,
  generateSchemaPack,
  packFingerprint,
  SCHEMA_PACK_FILE,
  serializeSchemaPack,
  validatorStore,
  type SchemaPackData,
} from '../lib/validation/schema-pack';
import { SchemaRegistry } from '../lib/validation/schema-registry';

function writeAtomically(file: string, data: Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** Writes the pack (default: generated from the verified cache) to `file`; returns its bytes. */
export function writeSchemaPack(cache: UpstreamCache, file: string, data: SchemaPackData = generateSchemaPack(cache)): Uint8Array {
  const bytes = serializeSchemaPack(data);
  writeAtomically(file, bytes);
  return bytes;
}

/** Compiles (or finds already stored) every pinned schema of slice `shard` of `shards`. */
function compileShard(cache: UpstreamCache, shard: number, shards: number): void {
  const registry = new SchemaRegistry(cache);
  const all = [...registry.allCoreKinds(), ...registry.allCustomResources()];
  all.forEach((pinned, i) => {
    if (i % shards === shard) registry.compile(pinned.apiVersion, pinned.kind);
  });
}

function runShards(shards: number): Promise<void> {
  const jobs = Array.from({ length: shards }, (_, i) =>
    new Promise<void>((resolve, reject) => {
      const child = fork(__filename, ['--shard', `${i}/${shards}`], { stdio: 'inherit', execArgv: process.execArgv });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`schema compile shard ${i}/${shards} exited with ${code}`))));
    }),
  );
  return Promise.all(jobs).then(() => undefined);
}

async function derived(cache: UpstreamCache): Promise<void> {
  const start = performance.now();
  const fingerprint = packFingerprint(cache);
  const packFile = derivedPackFile(cache, fingerprint);
  const marker = join(dirname(packFile), `compiled-${COMPILER_FINGERPRINT}`);
  if (existsSync(packFile) && existsSync(marker)) return;
  if (!existsSync(packFile)) {
    const bytes = writeSchemaPack(cache, packFile);
    console.log(`schema pack: ${packFile} (${bytes.length} bytes, ${gunzipSync(bytes).length} unpacked)`);
  }
  await runShards(Math.max(1, Math.min(4, availableParallelism())));
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  console.log(`schema pack: every pinned schema compiled into ${validatorStore(cache)} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

async function main(argv: string[]): Promise<void> {
  const cache = UpstreamCache.default();
  const shardAt = argv.indexOf('--shard');
  if (shardAt >= 0) {
    const [i, n] = (argv[shardAt + 1] ?? '').split('/').map(Number);
    return compileShard(cache, i as number, n as number);
  }
  if (argv.includes('--derived')) return derived(cache);
  const file = join(projectRoot(), SCHEMA_PACK_FILE);
  const bytes = writeSchemaPack(cache, file);
  console.log(`schema pack: ${file} (${bytes.length} bytes, ${gunzipSync(bytes).length} unpacked)`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(e.stack ?? e.message);
    process.exit(1);
  });
}
