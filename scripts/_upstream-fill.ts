/**
 * The cache filler behind `npm run upstream` (scripts/upstream.ts): reads every locked file from a
 * mirror folder or its upstream URL into the cache and verifies its sha256. Nothing unverified is
 * written. A module of its own so tests run it in-process against a throw-away lock, mirror and
 * cache; the CLI only adds the exit code.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sha256, UpstreamLock, UpstreamLockFile } from '../lib/upstream/lock';
import { crdDocument, parseSourceUrl, tgzMember } from './_upstream-fetch';

/** A failure the CLI prints as its message alone (no stack). */
export class UpstreamError extends Error {}

/** Where `fillCache` reads and writes. */
export interface FillOptions {
  /** The lock file (upstream.lock.json). */
  readonly lockFile: string;
  /** The cache folder to fill. */
  readonly cache: string;
  /** A folder with the spec pack's files; @default - download from each file's URL */
  readonly mirror?: string;
  /** Only verify what is cached; a missing file is an error. @default false */
  readonly verifyOnly?: boolean;
  /** The environment variable that names a mirror, for messages. */
  readonly mirrorEnv: string;
}

async function download(entry: UpstreamLockFile, mirrorEnv: string): Promise<Buffer> {
  if (!entry.url) {
    throw new UpstreamError(`${entry.path} was written by the spec pack itself and has no upstream URL; set ${mirrorEnv}`);
  }
  const source = parseSourceUrl(entry.url);
  const res = await fetch(source.url);
  if (!res.ok) throw new UpstreamError(`GET ${source.url} answered ${res.status}`);
  let data: Buffer = Buffer.from(await res.arrayBuffer());
  if (source.member) data = tgzMember(data, source.member);
  if (source.crdDocument) data = crdDocument(data.toString('utf8'), entry.path);
  return data;
}

/** Fills and verifies the cache; returns the summary line, throws an UpstreamError listing every problem. */
export async function fillCache(options: FillOptions): Promise<string> {
  const { cache, mirror, mirrorEnv } = options;
  const verifyOnly = options.verifyOnly ?? false;
  const lock = JSON.parse(readFileSync(options.lockFile, 'utf8')) as UpstreamLock;
  const problems: string[] = [];
  let fetched = 0;
  let present = 0;
  for (const entry of lock.files) {
    const target = join(cache, entry.path);
    if (existsSync(target)) {
      const actual = sha256(readFileSync(target));
      if (actual === entry.sha256) {
        present++;
        continue;
      }
      problems.push(
        `${entry.path}: cached file is corrupted (sha256 ${actual}, expected ${entry.sha256}); delete ${target} to fetch it again`,
      );
      continue;
    }
    if (verifyOnly) {
      problems.push(`${entry.path}: missing from the cache (expected sha256 ${entry.sha256})`);
      continue;
    }
    let data: Buffer;
    try {
      if (mirror) {
        const source = join(mirror, entry.path);
        if (!existsSync(source)) throw new UpstreamError(`not found in mirror ${mirror}`);
        data = readFileSync(source);
      } else {
        data = await download(entry, mirrorEnv);
      }
    } catch (e) {
      problems.push(`${entry.path}: ${(e as Error).message} (expected sha256 ${entry.sha256})`);
      continue;
    }
    const actual = sha256(data);
    if (actual !== entry.sha256) {
      problems.push(`${entry.path}: source has sha256 ${actual}, expected ${entry.sha256}${mirror ? ` (mirror ${mirror})` : ` (${entry.url})`}`);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}`;
    writeFileSync(tmp, data);
    renameSync(tmp, target);
    fetched++;
  }
  if (problems.length > 0) {
    throw new UpstreamError(`upstream: ${problems.length} of ${lock.files.length} files failed verification:\n  ${problems.join('\n  ')}`);
  }
  return `upstream: ${lock.files.length} files verified in ${cache} (${present} already cached, ${fetched} fetched from ${mirror ?? 'upstream URLs'})`;
}
