import type { ValidateFunction } from 'ajv';
import { ErrorCode, InfraFluxError } from '../core/errors';
import { UpstreamCache } from '../upstream/lock';
import { coreObjectSchema } from './k8s-schema';
import { SchemaCompiler } from './schema-compiler';
import { describeAjvErrors, type SchemaError } from './schema-errors';
import {
  convertCore,
  convertCrdVersion,
  crdFileTexts,
  crdVersionsOf,
  defaultUpstreamSource,
  derivedPack,
  generateSchemaPack,
  gvkKey,
  packCrds,
  preferenceOrder,
  SchemaPack,
  validatorStore,
  type CrdVersion,
  type PackedCrd,
  type SchemaPackData,
  type UpstreamSource,
} from './schema-pack';
import { parseYamlDocuments, type JsonObject } from './types';

/**
 * Finds and compiles the pinned schema of an object from its apiVersion and kind.
 *
 * Sources, read through the verified UpstreamCache (inside the repository) or from the schema pack
 * generated from it (schema-pack.ts; an installed package has no repository cache):
 * - core kinds: the Kubernetes 1.36 OpenAPI v2 definitions carrying
 *   `x-kubernetes-group-version-kind` (`kubernetes/openapi-spec/swagger.json`);
 * - custom resources: every `apiextensions.k8s.io/v1` CustomResourceDefinition document in any
 *   locked *.yaml/*.yml file, one schema per *served* version (`schema.openAPIV3Schema`).
 *   Unserved versions are what the API server answers 404 for, so they do not count.
 *
 * Duplicate rule: when several pinned files serve the same group/version/kind (gateway-api ships
 * a standard and an experimental channel), the file whose path has no `experimental` segment wins;
 * ties are broken by the lexicographically smallest path. A version only the experimental channel
 * serves (e.g. TCPRoute v1alpha2) therefore resolves to the experimental file. The other files are
 * reported in `shadowedFiles`.
 *
 * Cost: with the pack derived from the cache (`npm run upstream` writes it next to the cache, keyed
 * by the lock and the converter code) a registry reads that one file; the source file of every
 * schema it compiles is still read through the cache, so its sha256 is checked. Without it, CRD
 * files are only parsed when a lookup needs them. A lookup reads the (cached) text of all
 * locked YAML files that mention `CustomResourceDefinition` and parses the ones containing both
 * `group: <group>` and `kind: <Kind>` scalars (see scalarLine) -- a CRD document spells both
 * literally (`spec.group`, `spec.names.kind`). Compiled validators are cached per GVK and
 * share one Ajv instance, so shared core definitions (ObjectMeta, PodSpec...) compile once; with
 * a repository cache, Ajv's generated code is also stored on disk (schema-compiler.ts), so the
 * next process loads instead of compiling.
 */

export interface GroupVersion {
  readonly group: string;
  readonly version: string;
}

/** `apps/v1` -> {apps, v1}; `v1` -> {'', v1} (the core group has no name). */
export function parseApiVersion(apiVersion: string): GroupVersion {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Where the schema of a group/version/kind comes from. */
export interface PinnedSchema {
  readonly apiVersion: string;
  readonly kind: string;
  readonly origin: 'kubernetes' | 'crd';
  /** Upstream cache path (CRD file or swagger.json). */
  readonly file: string;
  /** Core kinds: the swagger definition name. */
  readonly definition?: string;
  /** CRDs: `Namespaced` or `Cluster`. */
  readonly scope?: string;
  /** Other pinned files serving the same GVK, ignored by the duplicate rule. */
  readonly shadowedFiles: readonly string[];
}

/** A pinned schema compiled into a validator. */
export interface CompiledSchema extends PinnedSchema {
  /** CEL rules (`x-kubernetes-validations`) in the schema, which are NOT evaluated. */
  readonly celRulesIgnored: number;
  /** Go regular expressions without a JS equivalent, NOT evaluated. */
  readonly skippedPatterns: readonly string[];
  /**
   * Why the pinned schema cannot be compiled (then `validate` reports it for every object);
   * undefined when it compiled.
   */
  readonly compileError?: string;
  /** Violations of the schema; empty when the object is valid. */
  validate(object: unknown): SchemaError[];
}

const CORE_SWAGGER_PATH = 'kubernetes/openapi-spec/swagger.json';

/**
 * Matches `key: value` with a plain or quoted scalar (block or flow style, or JSON), the way a
 * CRD document spells `spec.group` and `spec.names.kind`. Used only to skip parsing files that
 * cannot define the looked-up kind; a file it wrongly skipped would show up as a loud
 * "no pinned schema" issue, never as a silent pass.
 */
const SCALAR_LINE = /\b(group|kind)["']?\s*:\s*["']?([^\s"',}#]+)["']?\s*(?=$|[,}#])/gm;

/** Where a registry finds pinned schemas: the cache itself (lazy) or a pack (derived or shipped). */
interface SchemaIndex {
  core(): SchemaPackData['kubernetes'];
  /** Served GVK with a schema, after the duplicate rule. */
  lookup(group: string, version: string, kind: string): PackedCrd | undefined;
  /** Served versions (with or without a schema) of group/kind in CRD files. */
  servedCrdVersions(group: string, kind: string): string[];
  all(): readonly PackedCrd[];
}

class PackIndex implements SchemaIndex {
  private readonly byGvk: Map<string, PackedCrd>;

  public constructor(private readonly data: SchemaPackData) {
    this.byGvk = new Map(data.crds.map((c) => [`${c.apiVersion}/${c.kind}`, c]));
  }

  public core(): SchemaPackData['kubernetes'] {
    return this.data.kubernetes;
  }

  public lookup(group: string, version: string, kind: string): PackedCrd | undefined {
    return this.byGvk.get(gvkKey(group, version, kind));
  }

  public servedCrdVersions(group: string, kind: string): string[] {
    return [...(this.data.served[`${group}/${kind}`] ?? [])];
  }

  public all(): readonly PackedCrd[] {
    return this.data.crds;
  }
}

/** Lazy lookups in the cache's CRD files (see the file comment for the text pre-filter). */
class CacheIndex implements SchemaIndex {
  private crdFileTextList: { path: string; text: string }[] | undefined;
  private readonly parsedFiles = new Map<string, CrdVersion[]>();
  private readonly lookedUp = new Map<string, CrdVersion[]>();
  private readonly converted = new Map<string, PackedCrd>();
  private readonly conversions = new Map<string, ReturnType<typeof convertCrdVersion>>();
  private coreData: SchemaPackData['kubernetes'] | undefined;
  private allCrds: PackedCrd[] | undefined;
  private scalars: Map<string, Set<string>> | undefined;

  public constructor(private readonly cache: UpstreamCache) {}

  public core(): SchemaPackData['kubernetes'] {
    if (!this.coreData) this.coreData = convertCore(this.cache.read(CORE_SWAGGER_PATH));
    return this.coreData;
  }

  public lookup(group: string, version: string, kind: string): PackedCrd | undefined {
    const key = gvkKey(group, version, kind);
    const hit = this.converted.get(key);
    if (hit) return hit;
    const candidates = this.crdVersions(group, kind)
      .filter((v) => v.version === version && v.served && v.schema)
      .sort(preferenceOrder);
    const chosen = candidates[0];
    if (!chosen) return undefined;
    const packed: PackedCrd = {
      apiVersion: `${group}/${version}`,
      kind,
      file: chosen.file,
      ...(chosen.scope !== undefined ? { scope: chosen.scope } : {}),
      shadowedFiles: candidates.slice(1).map((c) => c.file),
      ...this.convert(chosen),
    };
    this.converted.set(key, packed);
    return packed;
  }

  public servedCrdVersions(group: string, kind: string): string[] {
    return this.crdVersions(group, kind).filter((v) => v.served).map((v) => v.version);
  }

  /** Parses all CRD files (several seconds). */
  public all(): readonly PackedCrd[] {
    if (!this.allCrds) this.allCrds = [...packCrds(this.files().map((f) => f.path), (path) => this.parseCrdFile(path), (v) => this.convert(v)).crds];
    return this.allCrds;
  }

  /** convertCrdVersion, once per CRD version (the conversion is pure). */
  public convert(entry: CrdVersion): ReturnType<typeof convertCrdVersion> {
    const key = `${entry.file}\u0000${gvkKey(entry.group, entry.version, entry.kind)}`;
    let hit = this.conversions.get(key);
    if (!hit) {
      hit = convertCrdVersion(entry);
      this.conversions.set(key, hit);
    }
    return hit;
  }

  public files(): { path: string; text: string }[] {
    if (!this.crdFileTextList) this.crdFileTextList = crdFileTexts(this.cache);
    return this.crdFileTextList;
  }

  public parseCrdFile(path: string): CrdVersion[] {
    const cached = this.parsedFiles.get(path);
    if (cached) return cached;
    const versions = parseYamlDocuments(this.cache.read(path), path).flatMap((doc) => crdVersionsOf(doc, path));
    this.parsedFiles.set(path, versions);
    return versions;
  }

  /**
   * The text pre-filter: for every `group:`/`kind:` scalar line value (keyed `group\0<value>`), the
   * CRD files that contain such a line. One pass over each file instead of two regular expressions
   * per lookup and file; the full-parse coverage test proves it misses nothing.
   */
  private scalarIndex(): Map<string, Set<string>> {
    if (this.scalars) return this.scalars;
    const index = new Map<string, Set<string>>();
    for (const f of this.files()) {
      for (const m of f.text.matchAll(SCALAR_LINE)) {
        const key = `${m[1]}\u0000${m[2]}`;
        let files = index.get(key);
        if (!files) index.set(key, (files = new Set()));
        files.add(f.path);
      }
    }
    this.scalars = index;
    return index;
  }

  /** All versions (served or not) of group/kind in pinned CRD files. */
  private crdVersions(group: string, kind: string): CrdVersion[] {
    const key = `${group}/${kind}`;
    const cached = this.lookedUp.get(key);
    if (cached) return cached;
    const index = this.scalarIndex();
    const withGroup = index.get(`group\u0000${group}`);
    const withKind = index.get(`kind\u0000${kind}`);
    const found = !group || !kind || !withGroup || !withKind
      ? []
      : this.files()
        .filter((f) => withGroup.has(f.path) && withKind.has(f.path))
        .flatMap((f) => this.parseCrdFile(f.path))
        .filter((v) => v.group === group && v.kind === kind);
    this.lookedUp.set(key, found);
    return found;
  }
}

export interface SchemaRegistryOptions {
  /**
   * `auto` (default): with a repository cache, its derived pack when it is current, else lazy
   * lookups in the cache. `cache`: always the lazy lookups in the cache files (what the schema
   * pack generator and the coverage tests use).
   */
  readonly index?: 'auto' | 'cache';
  /** Store of compiled validator code, `false` for none; default: see validatorStore. */
  readonly store?: string | false;
}

export class SchemaRegistry {
  private static defaultInstance: SchemaRegistry | undefined;

  /**
   * The registry of this installation, created once per process: over the repository's verified
   * upstream cache, or (in an installed package) over the shipped schema pack.
   */
  public static default(): SchemaRegistry {
    if (!SchemaRegistry.defaultInstance) SchemaRegistry.defaultInstance = new SchemaRegistry();
    return SchemaRegistry.defaultInstance;
  }

  private readonly index: SchemaIndex;
  private coreByGvk: Map<string, string> | undefined;
  private compilerInstance: SchemaCompiler | undefined;
  private readonly compiled = new Map<string, CompiledSchema>();
  private readonly store: string | undefined;

  public constructor(public readonly cache: UpstreamSource = defaultUpstreamSource(), options: SchemaRegistryOptions = {}) {
    if (cache instanceof SchemaPack) {
      this.index = new PackIndex(cache.data);
    } else {
      const derived = options.index === 'cache' ? undefined : derivedPack(cache);
      this.index = derived ? new PackIndex(derived.data) : new CacheIndex(cache);
    }
    const store = options.store ?? validatorStore(cache);
    this.store = store === false ? undefined : store;
  }

  /** The pinned schema for an apiVersion/kind, or undefined when nothing pinned serves it. */
  public find(apiVersion: string, kind: string): PinnedSchema | undefined {
    const { group, version } = parseApiVersion(apiVersion);
    const definition = this.core().get(gvkKey(group, version, kind));
    if (definition) {
      return { apiVersion, kind, origin: 'kubernetes', file: CORE_SWAGGER_PATH, definition, shadowedFiles: [] };
    }
    const chosen = group && kind ? this.index.lookup(group, version, kind) : undefined;
    return chosen ? pinnedOf(chosen, apiVersion) : undefined;
  }

  /** Versions of group/kind that pinned schemas serve (for "did you mean" hints). */
  public servedVersions(group: string, kind: string): string[] {
    const core = [...this.core().keys()]
      .map((key) => key.split('/'))
      .filter(([g, , k]) => g === group && k === kind)
      .map(([, v]) => v as string);
    const crd = group && kind ? this.index.servedCrdVersions(group, kind) : [];
    return [...new Set([...core, ...crd])].sort();
  }

  /** The compiled validator for an apiVersion/kind (compiled on first use, then cached). */
  public compile(apiVersion: string, kind: string): CompiledSchema | undefined {
    const key = `${apiVersion}/${kind}`;
    const cached = this.compiled.get(key);
    if (cached) return cached;
    const pinned = this.find(apiVersion, kind);
    if (!pinned) return undefined;
    const result = pinned.origin === 'kubernetes' ? this.compileCore(pinned) : this.compileCrd(pinned);
    this.compiled.set(key, result);
    return result;
  }

  /**
   * Every served custom resource GVK in the pinned files, after the duplicate rule. Without a
   * pack, parses all CRD files (several seconds): meant for tests and tooling.
   */
  public allCustomResources(): PinnedSchema[] {
    return this.index.all().map((c) => pinnedOf(c, c.apiVersion));
  }

  /** Every core GVK the swagger definitions declare. */
  public allCoreKinds(): PinnedSchema[] {
    return [...this.core().entries()].map(([key, definition]) => {
      const [group, version, kind] = key.split('/') as [string, string, string];
      const apiVersion = group ? `${group}/${version}` : version;
      return { apiVersion, kind, origin: 'kubernetes' as const, file: CORE_SWAGGER_PATH, definition, shadowedFiles: [] };
    });
  }

  /**
   * The schema pack of this registry's repository cache (what `npm run build` ships), generated
   * from the verified cache; CRD files this registry already parsed are not parsed again.
   */
  public generateSchemaPack(): SchemaPackData {
    if (this.cache instanceof SchemaPack) throw new InfraFluxError(ErrorCode.SCHEMA_PACK_INCOMPLETE, this.cache.file, 'a registry over a schema pack cannot generate one; generate the pack from the upstream cache (scripts/build-schema-pack.ts)');
    const index = this.index;
    if (!(index instanceof CacheIndex)) return generateSchemaPack(this.cache);
    return generateSchemaPack(this.cache, (path) => index.parseCrdFile(path), (v) => index.convert(v));
  }

  /** How many validators this registry compiled with Ajv, and how many it loaded from its store. */
  public compileStats(): { readonly compiled: number; readonly loaded: number } {
    return { compiled: this.compilerInstance?.compiled ?? 0, loaded: this.compilerInstance?.loaded ?? 0 };
  }

  // -- core definitions -----------------------------------------------------------------------

  private core(): Map<string, string> {
    if (!this.coreByGvk) this.coreByGvk = new Map(this.index.core().kinds);
    return this.coreByGvk;
  }

  private compiler(): SchemaCompiler {
    if (this.compilerInstance) return this.compilerInstance;
    const core = this.index.core();
    this.compilerInstance = new SchemaCompiler({
      definitions: () => core.definitions,
      definitionsSha256: core.sha256,
      ...(this.store ? { store: this.store } : {}),
    });
    return this.compilerInstance;
  }

  /** With a repository cache, the schema's source file is read through it (sha256 checked). */
  private verifySource(file: string): void {
    if (this.cache instanceof UpstreamCache) this.cache.read(file);
  }

  private compileCore(pinned: PinnedSchema): CompiledSchema {
    this.verifySource(pinned.file);
    const schema = coreObjectSchema(pinned.definition as string, pinned.apiVersion, pinned.kind);
    return this.wrap(pinned, schema, 0, []);
  }

  /**
   * A CRD version without a usable `openAPIV3Schema` never falls back to an empty (accept-all)
   * schema: the validator reports the compile error on every object of that kind.
   */
  private compileCrd(pinned: PinnedSchema): CompiledSchema {
    const { group, version } = parseApiVersion(pinned.apiVersion);
    const entry = this.index.lookup(group, version, pinned.kind) as PackedCrd;
    this.verifySource(entry.file);
    const schema = entry.schema ?? new Error(entry.conversionError ?? `${pinned.file} has no schema for ${pinned.apiVersion} ${pinned.kind}`);
    return this.wrap(pinned, schema, entry.celRules, [...entry.skippedPatterns]);
  }

  private wrap(pinned: PinnedSchema, schema: JsonObject | Error, celRules: number, skippedPatterns: string[]): CompiledSchema {
    let validator: ValidateFunction | undefined;
    let compileError: string | undefined;
    try {
      if (schema instanceof Error) throw schema;
      validator = this.compiler().compile(schema);
    } catch (error) {
      compileError = (error as Error).message;
    }
    return {
      ...pinned,
      celRulesIgnored: celRules,
      skippedPatterns,
      ...(compileError !== undefined ? { compileError } : {}),
      validate: (object: unknown): SchemaError[] => {
        if (!validator) return [{ path: '', message: `cannot compile the pinned schema from ${pinned.file}: ${compileError}` }];
        return validator(object) ? [] : describeAjvErrors(validator.errors);
      },
    };
  }
}

function pinnedOf(c: PackedCrd, apiVersion: string): PinnedSchema {
  return {
    apiVersion,
    kind: c.kind,
    origin: 'crd',
    file: c.file,
    ...(c.scope !== undefined ? { scope: c.scope } : {}),
    shadowedFiles: [...c.shadowedFiles],
  };
}
