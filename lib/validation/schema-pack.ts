import { createHash } from 'node:crypto';
import { ErrorCode, InfraFluxError } from '../core/errors';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { lockPath, projectRoot, UpstreamCache, type UpstreamChart } from '../upstream/lock';
import { convertSwaggerDefinitions, crdObjectSchema, emptyNotes } from './k8s-schema';
import { field, isJsonObject, parseYamlDocument, parseYamlDocuments, stringField, type JsonObject } from './types';

/**
 * The schema pack: everything validation needs from the pinned upstream files, converted once.
 *
 * - the Kubernetes core definitions, converted (k8s-schema.ts), and the GVK -> definition index;
 * - every served custom resource GVK after the duplicate rule (see schema-registry.ts), with its
 *   scope, source file, shadowed files and converted object schema (or the conversion error);
 * - per group/kind, the served versions (for "did you mean" hints);
 * - every pinned chart: its pin (version, repository), its values.yaml parsed, its
 *   values.schema.json text, and the other YAML files of its folder (spec.chart.spec.valuesFiles).
 *
 * It is generated deterministically from the verified UpstreamCache only (`generateSchemaPack`):
 * `npm run build` writes it to `build/schemas/pack.json.gz` (shipped in the npm package, used
 * when there is no repository lock), and `npm run upstream` writes the same content next to the
 * cache (`.upstream-cache/.derived/<fingerprint>/pack.json.gz`), so that each test process reads
 * one small file instead of parsing 32 MB of CRD YAML.
 */

export const SCHEMA_PACK_FORMAT = 1;
const CORE_SWAGGER_PATH = 'kubernetes/openapi-spec/swagger.json';
const YAML_FILE = /\.ya?ml$/;

/** A CustomResourceDefinition version found in a pinned file. */
export interface CrdVersion {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly scope?: string;
  readonly served: boolean;
  readonly file: string;
  readonly schema?: JsonObject;
  /** `metadata.name` of the CRD (`<plural>.<group>`). */
  readonly crdName?: string;
}

/** A served custom resource GVK of the pack, after the duplicate rule. */
export interface PackedCrd {
  readonly apiVersion: string;
  readonly kind: string;
  readonly file: string;
  readonly scope?: string;
  /** `metadata.name` of the CRD (`<plural>.<group>`): the reconcile model names CRDs by it. */
  readonly crdName?: string;
  readonly shadowedFiles: readonly string[];
  /** Converted strict object schema (crdObjectSchema), absent when the conversion failed. */
  readonly schema?: JsonObject;
  readonly conversionError?: string;
  readonly celRules: number;
  readonly skippedPatterns: readonly string[];
}

/** A pinned chart and the files validation reads from it. */
export interface PackedChart {
  readonly chart: UpstreamChart;
  /** Every pinned YAML file in the chart's folder, parsed (values.yaml included). */
  readonly yaml: Readonly<Record<string, unknown>>;
  /** values.schema.json, as pinned (text). */
  readonly schemaText?: string;
}

export interface SchemaPackData {
  readonly format: typeof SCHEMA_PACK_FORMAT;
  /** sha256 of the lock entries the pack was generated from and of the converter's code. */
  readonly fingerprint: string;
  readonly kubernetes: {
    readonly file: string;
    /** sha256 of the JSON of `definitions`. */
    readonly sha256: string;
    readonly definitions: JsonObject;
    /** [`group/version/kind`, definition name], in swagger order. */
    readonly kinds: readonly (readonly [string, string])[];
  };
  readonly crds: readonly PackedCrd[];
  /** `group/kind` -> served versions (sorted), including versions without a schema. */
  readonly served: Readonly<Record<string, readonly string[]>>;
  readonly charts: Readonly<Record<string, PackedChart>>;
}

export function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

function isExperimental(path: string): boolean {
  return path.split('/').includes('experimental');
}

/** Duplicate rule (see schema-registry.ts): non-experimental first, then by path. */
export function preferenceOrder(a: { file: string }, b: { file: string }): number {
  const rank = Number(isExperimental(a.file)) - Number(isExperimental(b.file));
  if (rank !== 0) return rank;
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

export function crdVersionsOf(doc: unknown, file: string): CrdVersion[] {
  if (stringField(doc, 'kind') !== 'CustomResourceDefinition') return [];
  if (stringField(doc, 'apiVersion') !== 'apiextensions.k8s.io/v1') return [];
  const group = stringField(field(doc, 'spec'), 'group');
  const kind = stringField(field(doc, 'spec', 'names'), 'kind');
  const versions = field(doc, 'spec', 'versions');
  if (!group || !kind || !Array.isArray(versions)) return [];
  const scope = stringField(field(doc, 'spec'), 'scope');
  const crdName = stringField(field(doc, 'metadata'), 'name');
  return versions.filter(isJsonObject).map((v) => {
    const schema = field(v, 'schema', 'openAPIV3Schema');
    return {
      group,
      kind,
      file,
      version: String(v.name),
      served: v.served === true,
      ...(scope !== undefined ? { scope } : {}),
      ...(isJsonObject(schema) ? { schema } : {}),
      ...(crdName !== undefined ? { crdName } : {}),
    };
  });
}

/** The converted object schema of one CRD version, or why it cannot be converted. */
export function convertCrdVersion(entry: CrdVersion): Pick<PackedCrd, 'schema' | 'conversionError' | 'celRules' | 'skippedPatterns'> {
  const apiVersion = `${entry.group}/${entry.version}`;
  if (!entry.schema) {
    return { conversionError: `${entry.file} has no schema.openAPIV3Schema for ${apiVersion} ${entry.kind}`, celRules: 0, skippedPatterns: [] };
  }
  const notes = emptyNotes();
  try {
    const schema = crdObjectSchema(entry.schema, apiVersion, entry.kind, notes);
    return { schema, celRules: notes.celRules, skippedPatterns: notes.skippedPatterns };
  } catch (error) {
    return { conversionError: (error as Error).message, celRules: notes.celRules, skippedPatterns: notes.skippedPatterns };
  }
}

/** Core swagger definitions: converted document and GVK index. */
export function convertCore(swaggerText: string): SchemaPackData['kubernetes'] {
  const spec: unknown = JSON.parse(swaggerText);
  const definitions = field(spec, 'definitions');
  if (!isJsonObject(definitions)) throw new InfraFluxError(ErrorCode.UPSTREAM_FILE_MALFORMED, CORE_SWAGGER_PATH, `${CORE_SWAGGER_PATH} has no definitions`);
  const kinds: [string, string][] = [];
  const seen = new Set<string>();
  for (const [name, definition] of Object.entries(definitions)) {
    const gvks = field(definition, 'x-kubernetes-group-version-kind');
    if (!Array.isArray(gvks)) continue;
    for (const gvk of gvks) {
      const group = stringField(gvk, 'group') ?? '';
      const version = stringField(gvk, 'version');
      const kind = stringField(gvk, 'kind');
      if (!version || !kind) continue;
      const key = gvkKey(group, version, kind);
      if (seen.has(key)) continue;
      seen.add(key);
      kinds.push([key, name]);
    }
  }
  const converted = convertSwaggerDefinitions(definitions, emptyNotes());
  return { file: CORE_SWAGGER_PATH, sha256: createHash('sha256').update(JSON.stringify(converted)).digest('hex'), definitions: converted, kinds };
}

// ---------------------------------------------------------------------------------------------
// Generation (from the verified cache only)

function sourceOf(module: string): string {
  const ext = __filename.endsWith('.ts') ? '.ts' : '.js';
  return readFileSync(join(__dirname, `${module}${ext}`), 'utf8');
}

/**
 * What the pack content depends on: the lock entries (paths and sha256s of every file, the chart
 * pins) and the code that converts them. Two caches with the same fingerprint give the same pack.
 */
export function packFingerprint(cache: UpstreamCache): string {
  const hash = createHash('sha256').update(`schema-pack ${SCHEMA_PACK_FORMAT}\n`);
  for (const f of cache.lock.files) hash.update(`${f.path} ${f.sha256}\n`);
  hash.update(JSON.stringify(cache.lock.charts));
  for (const module of ['schema-pack', 'k8s-schema', 'types']) hash.update(sourceOf(module));
  return hash.digest('hex');
}

/** Locked YAML files that mention CustomResourceDefinition, verified. */
export function crdFileTexts(cache: UpstreamCache): { path: string; text: string }[] {
  return cache
    .files((f) => YAML_FILE.test(f.path))
    .map((f) => ({ path: f.path, text: cache.read(f.path) }))
    .filter((f) => f.text.includes('CustomResourceDefinition'));
}

/** Every served GVK of the CRD files (after the duplicate rule), and served versions per group/kind. */
export function packCrds(
  paths: readonly string[],
  parse: (path: string) => readonly CrdVersion[],
  convert: (entry: CrdVersion) => ReturnType<typeof convertCrdVersion> = convertCrdVersion,
): Pick<SchemaPackData, 'crds' | 'served'> {
  const byGvk = new Map<string, CrdVersion[]>();
  const served = new Map<string, Set<string>>();
  for (const path of paths) {
    for (const v of parse(path)) {
      if (!v.served) continue;
      const gk = `${v.group}/${v.kind}`;
      served.set(gk, (served.get(gk) ?? new Set()).add(v.version));
      if (!v.schema) continue;
      const key = gvkKey(v.group, v.version, v.kind);
      byGvk.set(key, [...(byGvk.get(key) ?? []), v]);
    }
  }
  const crds: PackedCrd[] = [...byGvk.values()].map((candidates) => {
    const [chosen, ...shadowed] = [...candidates].sort(preferenceOrder) as [CrdVersion, ...CrdVersion[]];
    return {
      apiVersion: `${chosen.group}/${chosen.version}`,
      kind: chosen.kind,
      file: chosen.file,
      ...(chosen.scope !== undefined ? { scope: chosen.scope } : {}),
      ...(chosen.crdName !== undefined ? { crdName: chosen.crdName } : {}),
      shadowedFiles: shadowed.map((c) => c.file),
      ...convert(chosen),
    };
  });
  const servedSorted = [...served.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { crds, served: Object.fromEntries(servedSorted.map(([k, v]) => [k, [...v].sort()])) };
}

/**
 * The pack of a verified cache. `parse` returns the CRD versions of one file and `convert` converts
 * one (callers that already parsed or converted pass their memo); every byte is read through
 * `cache.read` (sha256-checked).
 */
export function generateSchemaPack(
  cache: UpstreamCache,
  parse: (path: string) => readonly CrdVersion[] = (path) => parseYamlDocuments(cache.read(path), path).flatMap((doc) => crdVersionsOf(doc, path)),
  convert: (entry: CrdVersion) => ReturnType<typeof convertCrdVersion> = convertCrdVersion,
): SchemaPackData {
  const { crds, served } = packCrds(crdFileTexts(cache).map((f) => f.path), parse, convert);
  const charts: Record<string, PackedChart> = {};
  for (const name of Object.keys(cache.lock.charts).sort()) {
    const chart = cache.lock.charts[name] as UpstreamChart;
    const yaml: Record<string, unknown> = {};
    if (chart.valuesPath) {
      const folder = dirname(chart.valuesPath);
      for (const f of cache.files((e) => dirname(e.path) === folder && YAML_FILE.test(e.path))) {
        try {
          yaml[f.path] = parseYamlDocument(cache.read(f.path), f.path);
        } catch {
          // Only values.yaml must parse; another file is then reported as not pinned when named.
          if (f.path === chart.valuesPath) throw new InfraFluxError(ErrorCode.YAML_PARSE, f.path, `${f.path} is not valid YAML`);
        }
      }
    }
    charts[name] = { chart, yaml, ...(chart.schemaPath ? { schemaText: cache.read(chart.schemaPath) } : {}) };
  }
  return {
    format: SCHEMA_PACK_FORMAT,
    fingerprint: packFingerprint(cache),
    kubernetes: convertCore(cache.read(CORE_SWAGGER_PATH)),
    crds,
    served,
    charts,
  };
}

/**
 * Numbers JSON cannot write (YAML 1.1 `.inf`, `.nan`, and scalars the parser reads as such, e.g.
 * `e1000` in a capi-proxmox enum), by path, so the pack keeps exactly what the cache parse gave.
 */
type NonFinite = [path: (string | number)[], value: 'Infinity' | '-Infinity' | 'NaN'];

function nonFiniteNumbers(value: unknown, path: (string | number)[], out: NonFinite[]): NonFinite[] {
  if (typeof value === 'number' && !Number.isFinite(value)) out.push([[...path], Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity']);
  else if (Array.isArray(value)) value.forEach((v, i) => nonFiniteNumbers(v, [...path, i], out));
  else if (isJsonObject(value)) for (const [k, v] of Object.entries(value)) nonFiniteNumbers(v, [...path, k], out);
  return out;
}

/** The pack file's bytes: minified JSON, gzip (deterministic: Node writes no timestamp). */
export function serializeSchemaPack(data: SchemaPackData): Uint8Array {
  const nonFinite = nonFiniteNumbers(data, [], []);
  return gzipSync(Buffer.from(JSON.stringify({ ...data, nonFinite }), 'utf8'), { level: 9 });
}

export function parseSchemaPack(bytes: Uint8Array, what: string): SchemaPackData {
  const { nonFinite, ...data } = JSON.parse(gunzipSync(bytes).toString('utf8')) as SchemaPackData & { nonFinite?: NonFinite[] };
  if (data.format !== SCHEMA_PACK_FORMAT) throw new InfraFluxError(ErrorCode.SCHEMA_PACK_FORMAT, what, `${what} has schema pack format ${String(data.format)}, expected ${SCHEMA_PACK_FORMAT}`);
  for (const [path, value] of nonFinite ?? []) {
    let node: unknown = data;
    for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
    (node as Record<string | number, unknown>)[path[path.length - 1] as string | number] = Number(value);
  }
  return data;
}

// ---------------------------------------------------------------------------------------------
// Locations

/** Where the build writes the pack, relative to the package root. */
export const SCHEMA_PACK_FILE = 'build/schemas/pack.json.gz';

/** The folder of derived files of a cache (pack, compiled validators), keyed by fingerprint. */
export function derivedDir(cache: UpstreamCache): string {
  return join(cache.dir, '.derived');
}

export function derivedPackFile(cache: UpstreamCache, fingerprint: string = packFingerprint(cache)): string {
  return join(derivedDir(cache), fingerprint, 'pack.json.gz');
}

/**
 * Compiled validator store (content-addressed, see schema-compiler.ts): next to a repository
 * cache; for an installed package's pack, `node_modules/.cache/infraflux/validators` (the usual
 * place for tools' caches), and none when the package is not inside a node_modules folder.
 */
export function validatorStore(source: UpstreamSource): string | undefined {
  if (!(source instanceof SchemaPack)) return join(derivedDir(source), 'validators');
  const packageRoot = dirname(dirname(dirname(source.file)));
  const modules = dirname(packageRoot);
  return basename(modules) === 'node_modules' ? join(modules, '.cache', 'infraflux', 'validators') : undefined;
}

/**
 * The pack as a read-only source for SchemaRegistry and the HelmRelease checks, used where there
 * is no repository lock and cache (e.g. from an installed npm package).
 */
export class SchemaPack {
  private static defaultInstance: SchemaPack | undefined;

  /** The pack shipped with this package (`build/schemas/pack.json.gz`), loaded once per process. */
  public static default(): SchemaPack {
    if (!SchemaPack.defaultInstance) SchemaPack.defaultInstance = SchemaPack.load(join(projectRoot(), SCHEMA_PACK_FILE));
    return SchemaPack.defaultInstance;
  }

  public static load(file: string): SchemaPack {
    if (!existsSync(file)) {
      throw new InfraFluxError(ErrorCode.SCHEMA_PACK_MISSING, file, `the schema pack ${file} is missing; this installation of infraflux is incomplete (reinstall the package)`);
    }
    return new SchemaPack(parseSchemaPack(readFileSync(file), file), file);
  }

  /** Pinned charts by name. */
  public readonly charts: Readonly<Record<string, UpstreamChart>>;

  public constructor(public readonly data: SchemaPackData, public readonly file = '<in memory>') {
    this.charts = Object.fromEntries(Object.entries(data.charts).map(([name, c]) => [name, c.chart]));
  }

  public chart(name: string): UpstreamChart {
    const chart = this.charts[name];
    if (!chart) throw new InfraFluxError(ErrorCode.UPSTREAM_NOT_PINNED, this.file, `chart "${name}" is not pinned; pinned charts: ${Object.keys(this.charts).join(', ')}`);
    return chart;
  }
}

/** A verified repository cache or the shipped pack. */
export type UpstreamSource = UpstreamCache | SchemaPack;

/**
 * Inside the repository (an `upstream.lock.json` next to package.json): the verified cache, so
 * that every run checks the sha256s. Elsewhere (an installed package): the shipped schema pack.
 */
export function defaultUpstreamSource(): UpstreamSource {
  return existsSync(lockPath()) ? UpstreamCache.default() : SchemaPack.default();
}

/** The pack derived from a cache (`npm run upstream` writes it), when it exists and is current. */
export function derivedPack(cache: UpstreamCache): SchemaPack | undefined {
  if (derivedPacks.has(cache)) return derivedPacks.get(cache) ?? undefined;
  const fingerprint = packFingerprint(cache);
  const file = derivedPackFile(cache, fingerprint);
  const pack = existsSync(file) ? new SchemaPack(parseSchemaPack(readFileSync(file), file), file) : undefined;
  const current = pack?.data.fingerprint === fingerprint ? pack : undefined;
  derivedPacks.set(cache, current ?? null);
  return current;
}

const derivedPacks = new WeakMap<UpstreamCache, SchemaPack | null>();

