import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MIRROR_ENV, readLock, UpstreamCache, UpstreamLock } from '../../lib/upstream/lock';
import { fillCache } from '../../scripts/_upstream-fill';

const ROOT = join(__dirname, '..', '..');
const lock = readLock(ROOT);
const real = new UpstreamCache(ROOT);
const SAMPLE = lock.files.filter((f) => f.path.startsWith('cert-manager/crds/')).slice(0, 2);

/** A throw-away lock with two real entries, a mirror and a cache, so the real cache is never touched. */
function sandbox(): { lockFile: string; mirror: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'infraflux-upstream-'));
  const small: UpstreamLock = { ...lock, files: SAMPLE };
  const lockFile = join(dir, 'upstream.lock.json');
  writeFileSync(lockFile, JSON.stringify(small));
  const mirror = join(dir, 'mirror');
  for (const f of SAMPLE) {
    mkdirSync(dirname(join(mirror, f.path)), { recursive: true });
    writeFileSync(join(mirror, f.path), real.read(f.path));
  }
  return { lockFile, mirror, cache: join(dir, 'cache') };
}

function runUpstream(env: Record<string, string>, ...args: string[]): { status: number | null; output: string } {
  // One Node process with tsx's loader (the tsx CLI would start a second one).
  const res = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'upstream.ts'), 'fetch', ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

/** The filler in this process (what the CLI runs): status 0 with its summary, or 1 with its message. */
async function fill(s: { lockFile: string; mirror?: string; cache: string }, verifyOnly = false): Promise<{ status: number; output: string }> {
  try {
    return { status: 0, output: await fillCache({ lockFile: s.lockFile, cache: s.cache, mirror: s.mirror, verifyOnly, mirrorEnv: MIRROR_ENV }) };
  } catch (e) {
    return { status: 1, output: (e as Error).message };
  }
}

describe('npm run upstream', () => {
  test('`npm run upstream` (the CLI) fills the cache from the mirror and verifies every sha256', () => {
    // GIVEN a mirror holding the locked files
    const s = sandbox();
    // WHEN the cache is filled
    const res = runUpstream({ INFRAFLUX_UPSTREAM_LOCK: s.lockFile, INFRAFLUX_UPSTREAM_MIRROR: s.mirror, INFRAFLUX_UPSTREAM_CACHE: s.cache });
    // THEN it succeeds and the cached bytes are the locked ones
    expect(res.output).toContain('2 files verified');
    expect(res.status).toBe(0);
    expect(readFileSync(join(s.cache, SAMPLE[0].path), 'utf8')).toBe(real.read(SAMPLE[0].path));
  });

  test('fails (the CLI, exit 1) naming the file and the expected sha256 when the mirror copy is corrupted', () => {
    // GIVEN a mirror whose first file has one changed byte
    const s = sandbox();
    const target = join(s.mirror, SAMPLE[0].path);
    writeFileSync(target, readFileSync(target, 'utf8').replace('apiVersion', 'apiVersioN'));
    // WHEN the cache is filled
    const res = runUpstream({ INFRAFLUX_UPSTREAM_LOCK: s.lockFile, INFRAFLUX_UPSTREAM_MIRROR: s.mirror, INFRAFLUX_UPSTREAM_CACHE: s.cache });
    // THEN it fails, names the file and the sha256 it expected, and caches nothing unverified
    expect(res.status).toBe(1);
    expect(res.output).toContain(SAMPLE[0].path);
    expect(res.output).toContain(`expected ${SAMPLE[0].sha256}`);
    expect(() => readFileSync(join(s.cache, SAMPLE[0].path))).toThrow();
  });

  test('fails naming the file and the expected sha256 when a file is missing from the mirror', async () => {
    // GIVEN a mirror that lacks the second file
    const s = sandbox();
    rmSync(join(s.mirror, SAMPLE[1].path));
    // WHEN the cache is filled
    const res = await fill(s);
    // THEN it fails naming that file and its sha256
    expect(res.status).toBe(1);
    expect(res.output).toMatch(new RegExp(`${SAMPLE[1].path}: not found in mirror .*expected sha256 ${SAMPLE[1].sha256}`));
  });

  test('fails naming the file and the expected sha256 when a cached file is corrupted', async () => {
    // GIVEN a filled cache in which one file was changed afterwards
    const s = sandbox();
    expect((await fill(s)).status).toBe(0);
    writeFileSync(join(s.cache, SAMPLE[1].path), 'tampered');
    // WHEN the cache is verified again
    const res = await fill(s);
    // THEN the run fails and says which file and which sha256
    expect(res.status).toBe(1);
    expect(res.output).toContain(`${SAMPLE[1].path}: cached file is corrupted`);
    expect(res.output).toContain(`expected ${SAMPLE[1].sha256}`);
  });

  test('fails on a missing cached file in --verify mode', async () => {
    const s = sandbox();
    const res = await fill({ lockFile: s.lockFile, cache: s.cache }, true);
    expect(res.status).toBe(1);
    expect(res.output).toContain(`${SAMPLE[0].path}: missing from the cache (expected sha256 ${SAMPLE[0].sha256})`);
  });

  test('UpstreamCache refuses files outside the lock and tampered cache files', async () => {
    const s = sandbox();
    process.env.INFRAFLUX_UPSTREAM_LOCK = s.lockFile;
    try {
      expect((await fill(s)).status).toBe(0);
      const cache = new UpstreamCache(ROOT, s.cache);
      expect(() => cache.read('cilium/chart/values.yaml')).toThrow(/is not in upstream\.lock\.json/);
      writeFileSync(join(s.cache, SAMPLE[0].path), 'tampered');
      expect(() => cache.read(SAMPLE[0].path)).toThrow(new RegExp(`expected ${SAMPLE[0].sha256}`));
    } finally {
      delete process.env.INFRAFLUX_UPSTREAM_LOCK;
    }
  });

  test('the lock records URL, sha256 and version for every upstream file, and nothing from ../shared is committed', () => {
    for (const f of lock.files) {
      expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(f.version).not.toHaveLength(0);
    }
    expect(lock.files.filter((f) => !f.url).map((f) => f.path)).toEqual(['terraform/cloudflare.json', 'terraform/proxmox.json', 'terraform/talos.json']);
    const tracked = spawnSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\n');
    expect(tracked.filter((p) => p.startsWith('.upstream-cache/'))).toEqual([]);
  });
});
