import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { extract } from 'tar';
import { parse } from 'yaml';

/**
 * How the spec pack derived a file from its upstream URL, and how `npm run upstream` does the same
 * when it downloads instead of reading the mirror (the sha256 check then proves the bytes equal).
 */
export const CRD_ONLY_SUFFIX = ' (CustomResourceDefinition documents only, verbatim)';

/** The URL to download and what to take from it. */
export interface UpstreamSource {
  readonly url: string;
  /** File inside a .tgz (`url#member`), e.g. `cilium/values.yaml` of a chart archive. */
  readonly member?: string;
  /** The file is one CustomResourceDefinition document of a multi-document release manifest. */
  readonly crdDocument: boolean;
}

/** Splits a lock URL (`<url>[#member][ (CustomResourceDefinition documents only, verbatim)]`). */
export function parseSourceUrl(lockUrl: string): UpstreamSource {
  const crdDocument = lockUrl.endsWith(CRD_ONLY_SUFFIX);
  const url = crdDocument ? lockUrl.slice(0, -CRD_ONLY_SUFFIX.length) : lockUrl;
  const [base, member] = url.split('#', 2);
  return { url: base, crdDocument, ...(member ? { member } : {}) };
}

/** One member of a .tgz archive, extracted with node-tar. */
export function tgzMember(tgz: Buffer, member: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'infraflux-tgz-'));
  try {
    const archive = join(dir, 'archive.tgz');
    writeFileSync(archive, tgz);
    const out = join(dir, 'out');
    mkdirSync(out);
    extract({ file: archive, cwd: out, sync: true, filter: (path: string) => path.replace(/^\.\//, '') === member });
    try {
      return readFileSync(join(out, member));
    } catch {
      throw new Error(`archive has no member ${member}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The CustomResourceDefinition of `packPath` (`<group>_<plural>.yaml`, the controller-gen naming)
 * cut verbatim out of a multi-document manifest, as the pack stores it: `---\n` + the document.
 */
export function crdDocument(manifest: string, packPath: string): Buffer {
  const name = basename(packPath).replace(/\.ya?ml$/, '');
  const separator = name.indexOf('_');
  const wanted = separator > 0 ? `${name.slice(separator + 1)}.${name.slice(0, separator)}` : name;
  const chunks = manifest.split(/^---[ \t]*\r?\n/m);
  for (const chunk of chunks) {
    const doc = parse(chunk) as { kind?: string; metadata?: { name?: string } } | null;
    if (doc?.kind === 'CustomResourceDefinition' && doc.metadata?.name === wanted) {
      return Buffer.from(`---\n${chunk.endsWith('\n') ? chunk : `${chunk}\n`}`);
    }
  }
  throw new Error(`manifest has no CustomResourceDefinition ${wanted}`);
}
