import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ErrorCode, InfraFluxError } from '../core/errors';

/**
 * The project's record of every upstream file it uses: where it comes from and what its bytes
 * hash to. `upstream.lock.json` is committed; the bytes themselves live in a git-ignored cache
 * filled by `npm run upstream` (see docs/decisions/0003-upstream-lock-and-cache.md).
 */
export interface UpstreamLockFile {
  /** Path inside the spec pack, e.g. `flux/crds/kustomize.toolkit.fluxcd.io_kustomizations.yaml`. */
  readonly path: string;
  /** Component folder of the spec pack, e.g. `flux`. */
  readonly component: string;
  /** Pinned version of the component. */
  readonly version: string;
  /**
   * Where a machine with internet fetches the same bytes. `#inner/path` names a file inside an
   * archive; a trailing ` (CustomResourceDefinition documents only, verbatim)` means the file is the
   * CRD documents of a multi-document release manifest. Absent for files the spec pack wrote itself
   * (`kind: summary`), which only the mirror can provide.
   */
  readonly url?: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** A pinned Helm chart: name, exact version, repository and its values files in the cache. */
export interface UpstreamChart {
  readonly name: string;
  readonly component: string;
  readonly version: string;
  readonly repository: string;
  /** Cache path of the chart's pinned values.yaml. */
  readonly valuesPath: string;
  /** Cache path of the chart's values.schema.json, when the chart ships one. */
  readonly schemaPath?: string;
}

export interface UpstreamLock {
  readonly lockfileVersion: 1;
  readonly comment: string;
  readonly components: Readonly<Record<string, string>>;
  readonly charts: Readonly<Record<string, UpstreamChart>>;
  readonly files: readonly UpstreamLockFile[];
}

/** Repository root (this file sits in lib/upstream/ or build/lib/upstream/). */
export function projectRoot(): string {
  let dir = resolve(__dirname);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = resolve(dir, '..');
    // Without the repository (or package) root there is no lock to read.
    if (parent === dir) throw new InfraFluxError(ErrorCode.UPSTREAM_LOCK_MISSING, __dirname, `cannot find package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

export const LOCK_FILE_NAME = 'upstream.lock.json';
/** Environment variable naming a folder laid out like the spec pack (CI: `../shared/upstream`). */
export const MIRROR_ENV = 'INFRAFLUX_UPSTREAM_MIRROR';
/** Environment variable overriding the cache folder (default `<repo>/.upstream-cache`). */
export const CACHE_ENV = 'INFRAFLUX_UPSTREAM_CACHE';

/** Environment variable overriding the lock file (tests use it to run the fetcher on a small lock). */
export const LOCK_ENV = 'INFRAFLUX_UPSTREAM_LOCK';

export function lockPath(root: string = projectRoot()): string {
  return process.env[LOCK_ENV] ? resolve(process.env[LOCK_ENV] as string) : join(root, LOCK_FILE_NAME);
}

export function cacheDir(root: string = projectRoot()): string {
  return process.env[CACHE_ENV] ? resolve(process.env[CACHE_ENV] as string) : join(root, '.upstream-cache');
}

export function readLock(root: string = projectRoot()): UpstreamLock {
  const file = lockPath(root);
  if (!existsSync(file)) {
    // Only the repository has a lock (an installed package validates with its schema pack), so
    // the message names no repository script.
    throw new InfraFluxError(ErrorCode.UPSTREAM_LOCK_MISSING, file, `${file} is missing: the pinned upstream files are only available in a checkout of the InfraFlux repository`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as UpstreamLock;
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Read-only access to the verified upstream cache. Tests, the validation harness and the import
 * scripts read upstream files only through this class; it refuses files that are not in the lock
 * and files whose bytes do not match the locked sha256.
 */
export class UpstreamCache {
  private static defaultInstance: UpstreamCache | undefined;

  /** The cache of this repository, created once per process. */
  public static default(): UpstreamCache {
    if (!UpstreamCache.defaultInstance) UpstreamCache.defaultInstance = new UpstreamCache();
    return UpstreamCache.defaultInstance;
  }

  public readonly lock: UpstreamLock;
  public readonly dir: string;
  private readonly byPath: Map<string, UpstreamLockFile>;
  private readonly verified = new Map<string, string>();

  public constructor(root: string = projectRoot(), dir: string = cacheDir(root)) {
    this.lock = readLock(root);
    this.dir = dir;
    this.byPath = new Map(this.lock.files.map((f) => [f.path, f]));
  }

  /** Every locked file whose path matches the predicate, sorted by path. */
  public files(predicate: (file: UpstreamLockFile) => boolean = () => true): UpstreamLockFile[] {
    return this.lock.files.filter(predicate);
  }

  public entry(path: string): UpstreamLockFile {
    const entry = this.byPath.get(path);
    if (!entry) throw new InfraFluxError(ErrorCode.UPSTREAM_NOT_PINNED, path, `upstream file "${path}" is not in ${LOCK_FILE_NAME}`);
    return entry;
  }

  /** The verified contents of a locked file, as text. */
  public read(path: string): string {
    const cached = this.verified.get(path);
    if (cached !== undefined) return cached;
    const entry = this.entry(path);
    const file = join(this.dir, path);
    if (!existsSync(file)) {
      throw new InfraFluxError(
        ErrorCode.UPSTREAM_CACHE_MISSING,
        path,
        `upstream file "${path}" (sha256 ${entry.sha256}) is not in the cache ${this.dir}; run \`npm run upstream\``,
      );
    }
    const data = readFileSync(file);
    const actual = sha256(data);
    if (actual !== entry.sha256) {
      throw new InfraFluxError(
        ErrorCode.UPSTREAM_CACHE_MISMATCH,
        path,
        `cached upstream file "${path}" has sha256 ${actual}, expected ${entry.sha256}; run \`npm run upstream\``,
      );
    }
    const text = data.toString('utf8');
    this.verified.set(path, text);
    return text;
  }

  public chart(name: string): UpstreamChart {
    const chart = this.lock.charts[name];
    if (!chart) {
      throw new InfraFluxError(
        ErrorCode.UPSTREAM_NOT_PINNED,
        LOCK_FILE_NAME,
        `chart "${name}" is not pinned in ${LOCK_FILE_NAME}; pinned charts: ${Object.keys(this.lock.charts).join(', ')}`,
      );
    }
    return chart;
  }
}
