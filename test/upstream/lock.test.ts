import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { ErrorCode } from '../../lib/core/errors';
import { CACHE_ENV, cacheDir, LOCK_ENV, LOCK_FILE_NAME, lockPath, projectRoot, readLock, sha256, UpstreamCache, UpstreamLock } from '../../lib/upstream/lock';

const TEXT = 'apiVersion: v1\nkind: ConfigMap\n';

/** A throwaway repository root with a two-file lock and a cache holding one good and one tampered file. */
function fixture(): { root: string; cache: string } {
  const root = mkdtempSync(join(tmpdir(), 'infraflux-lock-'));
  const cache = join(root, 'cache');
  const lock: UpstreamLock = {
    lockfileVersion: 1,
    comment: 'test',
    components: { demo: '1.0.0' },
    charts: { demo: { name: 'demo', component: 'demo', version: '1.0.0', repository: 'https://charts.example.com', valuesPath: 'demo/chart/values.yaml' } },
    files: [
      { path: 'demo/good.yaml', component: 'demo', version: '1.0.0', sha256: sha256(TEXT), bytes: TEXT.length },
      { path: 'demo/tampered.yaml', component: 'demo', version: '1.0.0', sha256: sha256(TEXT), bytes: TEXT.length },
      { path: 'demo/absent.yaml', component: 'demo', version: '1.0.0', sha256: sha256('x'), bytes: 1 },
    ],
  };
  writeFileSync(join(root, LOCK_FILE_NAME), JSON.stringify(lock));
  mkdirSync(join(cache, 'demo'), { recursive: true });
  writeFileSync(join(cache, 'demo', 'good.yaml'), TEXT);
  writeFileSync(join(cache, 'demo', 'tampered.yaml'), TEXT + '# changed\n');
  return { root, cache };
}

/** Runs `fn` with environment variables set, restoring them afterwards. */
function withEnv<T>(env: Record<string, string | undefined>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  }
}

describe('paths', () => {
  test('projectRoot is the folder with package.json above lib/upstream', () => {
    // THEN
    expect(projectRoot()).toBe(resolve(__dirname, '..', '..'));
  });

  test('lock and cache paths default under the root and follow the environment', () => {
    // GIVEN no overrides THEN defaults
    withEnv({ [LOCK_ENV]: undefined, [CACHE_ENV]: undefined }, () => {
      expect(lockPath('/repo')).toBe(join('/repo', 'upstream.lock.json'));
      expect(cacheDir('/repo')).toBe(join('/repo', '.upstream-cache'));
    });
    // GIVEN overrides THEN absolute overrides
    withEnv({ [LOCK_ENV]: 'small.lock.json', [CACHE_ENV]: '/tmp/cache' }, () => {
      expect(lockPath('/repo')).toBe(resolve('small.lock.json'));
      expect(cacheDir('/repo')).toBe('/tmp/cache');
    });
  });

  test('sha256 is the hex digest', () => {
    // THEN
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('readLock', () => {
  test('reads the lock of a root', () => {
    // GIVEN
    const { root } = fixture();
    const lock = withEnv({ [LOCK_ENV]: undefined }, () => readLock(root));
    // THEN
    expect(lock.files.map((f) => f.path)).toEqual(['demo/good.yaml', 'demo/tampered.yaml', 'demo/absent.yaml']);
  });

  // InfraFluxErrors named by the file (no construct): the tests assert the code and the message.
  test('fails when the lock file is missing, saying where the pinned files exist', () => {
    // GIVEN
    const empty = mkdtempSync(join(tmpdir(), 'infraflux-nolock-'));
    // THEN
    expect(() => withEnv({ [LOCK_ENV]: undefined }, () => readLock(empty))).toThrow(/upstream\.lock\.json is missing: the pinned upstream files are only available in a checkout of the InfraFlux repository/);
    expect(() => withEnv({ [LOCK_ENV]: undefined }, () => readLock(empty))).toThrow(expect.objectContaining({ code: ErrorCode.UPSTREAM_LOCK_MISSING, constructPath: join(empty, LOCK_FILE_NAME) }));
  });
});

describe('UpstreamCache', () => {
  const { root, cache } = fixture();
  const upstream = withEnv({ [LOCK_ENV]: undefined }, () => new UpstreamCache(root, cache));

  test('reads a locked file whose bytes match, and filters the lock', () => {
    // WHEN / THEN
    expect(upstream.read('demo/good.yaml')).toBe(TEXT);
    expect(upstream.read('demo/good.yaml')).toBe(TEXT);
    expect(upstream.dir).toBe(cache);
    expect(upstream.files((f) => f.path.includes('good')).map((f) => f.path)).toEqual(['demo/good.yaml']);
    expect(upstream.files()).toHaveLength(3);
    expect(upstream.entry('demo/good.yaml').bytes).toBe(TEXT.length);
    expect(upstream.chart('demo').valuesPath).toBe('demo/chart/values.yaml');
  });

  test('default() is one instance per process', () => {
    // THEN
    expect(UpstreamCache.default()).toBe(UpstreamCache.default());
  });

  test('fails on a file that is not in the lock', () => {
    // THEN
    expect(() => upstream.read('demo/other.yaml')).toThrow('upstream file "demo/other.yaml" is not in upstream.lock.json');
    expect(() => upstream.read('demo/other.yaml')).toThrow(expect.objectContaining({ code: ErrorCode.UPSTREAM_NOT_PINNED, constructPath: 'demo/other.yaml' }));
  });

  test('fails on a locked file missing from the cache', () => {
    // THEN
    expect(() => upstream.read('demo/absent.yaml')).toThrow(/upstream file "demo\/absent\.yaml" \(sha256 [0-9a-f]{64}\) is not in the cache .*; run `npm run upstream`/);
    expect(() => upstream.read('demo/absent.yaml')).toThrow(expect.objectContaining({ code: ErrorCode.UPSTREAM_CACHE_MISSING, constructPath: 'demo/absent.yaml' }));
  });

  test('fails on a cached file whose bytes do not match the lock', () => {
    // THEN
    expect(() => upstream.read('demo/tampered.yaml')).toThrow(`cached upstream file "demo/tampered.yaml" has sha256 ${sha256(TEXT + '# changed\n')}, expected ${sha256(TEXT)}`);
    expect(() => upstream.read('demo/tampered.yaml')).toThrow(expect.objectContaining({ code: ErrorCode.UPSTREAM_CACHE_MISMATCH }));
  });

  test('fails on a chart that is not pinned, listing the pinned ones', () => {
    // THEN
    expect(() => upstream.chart('nope')).toThrow('chart "nope" is not pinned in upstream.lock.json; pinned charts: demo');
    expect(() => upstream.chart('nope')).toThrow(expect.objectContaining({ code: ErrorCode.UPSTREAM_NOT_PINNED }));
  });
});
