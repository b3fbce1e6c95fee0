import Ajv, { type ErrorObject, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import { ErrorCode, InfraFluxError } from '../core/errors';
import type { UpstreamCache, UpstreamChart, UpstreamLock, UpstreamLockFile } from '../upstream/lock';
import { K8S_FORMATS, K8S_SCHEMA_ID, LIST_MAP_KEYS_KEYWORD, OBJECT_META_DEFINITION, crdObjectSchema, emptyNotes } from './k8s-schema';
import { describeAjvErrors, type SchemaError } from './schema-errors';
import { SchemaRegistry, parseApiVersion, type CompiledSchema, type PinnedSchema } from './schema-registry';
import { SchemaPack, type PackedChart, type UpstreamSource } from './schema-pack';
import { field, isJsonObject, joinPointer, parseYamlDocument, parseYamlDocuments, stringField, type JsonObject } from './types';

/**
 * Schemas a user registers on top of the pinned ones, so objects of their own operators and
 * HelmReleases of their own charts validate too (instead of failing as an unknown kind or an
 * unpinned chart). A layer over the pinned {@link SchemaRegistry} and upstream cache: registered
 * schemas can only ADD kinds and charts; a kind or chart the pins already serve cannot be replaced.
 *
 * - CRDs: `apiextensions.k8s.io/v1` CustomResourceDefinition documents (YAML text, possibly
 *   multi-document, or plain objects); every served version with a `schema.openAPIV3Schema` is
 *   converted with the same rules as pinned CRDs (unknown fields rejected unless the schema
 *   preserves them). `metadata` is checked against the pinned Kubernetes ObjectMeta.
 * - Charts: name, exact version, repository, the chart's values.yaml (text or object) and
 *   optionally its values.schema.json; the HelmRelease validation then treats it like a pinned
 *   chart (unknown value keys rejected, schema applied).
 */

/**
 * CustomResourceDefinition documents to register: YAML text (one or more documents) or an object
 * (e.g. `apiObject.toJson()` of a CRD the program also emits).
 */
export class CrdSource {
  /** The CRD documents of a YAML text (multi-document allowed), e.g. `readFileSync('crds/widgets.yaml', 'utf8')`. */
  public static fromYaml(text: string): CrdSource {
    return new CrdSource(parseYamlDocuments(text, 'registered CRD'));
  }

  /** One CRD as a plain object. */
  public static fromObject(crd: Readonly<Record<string, unknown>>): CrdSource {
    return new CrdSource([crd]);
  }

  private constructor(
    /** The documents, as parsed. */
    public readonly documents: readonly unknown[],
  ) {}
}

/** A chart of your own, so HelmReleases installing it validate like pinned charts. */
export interface UserChart {
  /** Chart name, as the HelmRelease names it (`spec.chart.spec.chart` or the OCI path's last segment). */
  readonly name: string;
  /** The exact version the HelmRelease must install. */
  readonly version: string;
  /** The repository URL the HelmRelease's source must point at (`https://...` or `oci://...` parent path). */
  readonly repository: string;
  /** The text of the chart's values.yaml. Keys neither in it nor in the schema are refused. */
  readonly values: string;
  /**
   * The text of the chart's values.schema.json.
   * @default - no schema; values are checked against the keys of `values` only
   */
  readonly valuesSchema?: string;
}

interface UserCrdVersion {
  readonly apiVersion: string;
  readonly kind: string;
  readonly scope?: string;
  readonly origin: string;
  readonly schema: JsonObject;
}

const USER_ORIGIN_PREFIX = 'user:';

function registrationError(message: string): never {
  throw new InfraFluxError(ErrorCode.INVALID_SCHEMA_REGISTRATION, 'validation', message);
}

/** Custom keyword: items of an `x-kubernetes-list-type: map` list must have distinct keys. */
const listMapKeys: SchemaValidateFunction = (keys: string[], data: unknown, _parent?: unknown, cxt?: { instancePath?: string }): boolean => {
  if (!Array.isArray(data)) return true;
  const seen = new Map<string, number>();
  const errors: Partial<ErrorObject>[] = [];
  data.forEach((item, index) => {
    if (!isJsonObject(item)) return;
    const id = JSON.stringify(keys.map((k) => item[k] ?? null));
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else errors.push({ keyword: LIST_MAP_KEYS_KEYWORD, instancePath: joinPointer(cxt?.instancePath ?? '', index), params: { keys }, message: `duplicate entry: same ${keys.join('/')} as item ${first} (list-type map keys must be unique)` });
  });
  listMapKeys.errors = errors;
  return errors.length === 0;
};

/** Registered CRDs and charts; see the file comment. */
export class UserSchemas {
  private readonly crds = new Map<string, UserCrdVersion>();
  private readonly charts = new Map<string, { chart: UpstreamChart; files: Map<string, string> }>();
  private ajvInstance: Ajv | undefined;
  private readonly compiled = new Map<string, CompiledSchema>();
  private layeredRegistry: { base: SchemaRegistry; layered: SchemaRegistry } | undefined;
  private layeredCache: { base: UpstreamSource; layered: UpstreamSource } | undefined;

  /** Whether nothing is registered (the pinned registry and cache are then used as they are). */
  public get isEmpty(): boolean {
    return this.crds.size === 0 && this.charts.size === 0;
  }

  /** `apiVersion kind` of every registered custom resource version, sorted. */
  public get kinds(): string[] {
    return [...this.crds.values()].map((c) => `${c.apiVersion} ${c.kind}`).sort();
  }

  /** Names of the registered charts, sorted. */
  public get chartNames(): string[] {
    return [...this.charts.keys()].sort();
  }

  /**
   * Registers the served versions of one or more CRDs. Returns `apiVersion kind` of each version
   * registered. Throws (ErrorCode.INVALID_SCHEMA_REGISTRATION) for a document that is not a v1
   * CRD, a served version without a schema, or a kind the pinned schemas already serve.
   */
  public registerCrd(crd: CrdSource, pinned: SchemaRegistry = SchemaRegistry.default()): string[] {
    const docs = crd.documents;
    if (docs.length === 0) registrationError('registerCrd() got no CustomResourceDefinition document');
    const registered: string[] = [];
    for (const doc of docs) {
      const group = stringField(field(doc, 'spec'), 'group');
      const kind = stringField(field(doc, 'spec', 'names'), 'kind');
      const versions = field(doc, 'spec', 'versions');
      const name = stringField(field(doc, 'metadata'), 'name') ?? `${group ?? '?'}/${kind ?? '?'}`;
      if (stringField(doc, 'apiVersion') !== 'apiextensions.k8s.io/v1' || stringField(doc, 'kind') !== 'CustomResourceDefinition') {
        registrationError(`registerCrd(): "${name}" is a ${stringField(doc, 'apiVersion') ?? '<no apiVersion>'} ${stringField(doc, 'kind') ?? '<no kind>'}; only apiextensions.k8s.io/v1 CustomResourceDefinition documents can be registered`);
      }
      if (!group || !kind || !Array.isArray(versions) || versions.length === 0) {
        registrationError(`registerCrd(): CRD "${name}" needs spec.group, spec.names.kind and spec.versions`);
      }
      const scope = stringField(field(doc, 'spec'), 'scope');
      for (const v of versions.filter(isJsonObject)) {
        if (v.served !== true) continue;
        const apiVersion = `${group}/${String(v.name)}`;
        const schema = field(v, 'schema', 'openAPIV3Schema');
        if (!isJsonObject(schema)) registrationError(`registerCrd(): CRD "${name}" version ${String(v.name)} has no schema.openAPIV3Schema; a kind without a schema cannot be validated`);
        if (pinned.find(apiVersion, kind)) {
          registrationError(`registerCrd(): ${apiVersion} ${kind} is already served by a pinned schema; registered CRDs can only add kinds, not replace pinned ones`);
        }
        this.crds.set(`${apiVersion}/${kind}`, { apiVersion, kind, schema, origin: `${USER_ORIGIN_PREFIX}crd/${name}`, ...(scope !== undefined ? { scope } : {}) });
        this.compiled.delete(`${apiVersion}/${kind}`);
        registered.push(`${apiVersion} ${kind}`);
      }
    }
    if (registered.length === 0) registrationError('registerCrd(): the CRD serves no version');
    return registered;
  }

  /**
   * Registers a chart of your own. Throws (ErrorCode.INVALID_SCHEMA_REGISTRATION) for a chart
   * the pins already hold, a version range, unparsable values or schema.
   */
  public registerChart(chart: UserChart, pinnedSource: UpstreamSource = SchemaRegistry.default().cache): void {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(chart.name)) registrationError(`registerChart(): chart name "${chart.name}" is not a valid chart name`);
    const pinnedChart = chartsOf(pinnedSource)[chart.name];
    if (pinnedChart) {
      registrationError(`registerChart(): chart ${chart.name} is pinned (version ${pinnedChart.version}); registered charts can only add charts, not replace pinned ones`);
    }
    if (!/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(chart.version)) {
      registrationError(`registerChart(): chart ${chart.name} version "${chart.version}" is not an exact version (e.g. 1.2.3)`);
    }
    if (!/^(https|oci):\/\//.test(chart.repository)) registrationError(`registerChart(): chart ${chart.name} repository "${chart.repository}" must start with https:// or oci://`);
    const base = `${USER_ORIGIN_PREFIX}charts/${chart.name}/${chart.version}`;
    const valuesText = chart.values;
    let values: unknown;
    try {
      values = parseYamlDocument(valuesText, `chart ${chart.name} values.yaml`);
    } catch (error) {
      registrationError(`registerChart(): chart ${chart.name} values: ${(error as Error).message}`);
    }
    if (!isJsonObject(values)) registrationError(`registerChart(): chart ${chart.name} values: not a map of values`);
    const files = new Map<string, string>([[`${base}/values.yaml`, valuesText]]);
    if (chart.valuesSchema !== undefined) {
      const schemaText = chart.valuesSchema;
      let schema: unknown;
      try {
        schema = JSON.parse(schemaText);
      } catch (error) {
        registrationError(`registerChart(): chart ${chart.name} values schema: ${(error as Error).message}`);
      }
      if (!isJsonObject(schema)) registrationError(`registerChart(): chart ${chart.name} values schema: not a JSON schema object`);
      files.set(`${base}/values.schema.json`, schemaText);
    }
    this.charts.set(chart.name, {
      chart: {
        name: chart.name,
        component: `${USER_ORIGIN_PREFIX}${chart.name}`,
        version: chart.version,
        repository: chart.repository,
        valuesPath: `${base}/values.yaml`,
        ...(files.has(`${base}/values.schema.json`) ? { schemaPath: `${base}/values.schema.json` } : {}),
      },
      files,
    });
    this.layeredCache = undefined;
  }

  /** `base` when nothing is registered, else a registry that serves the registered kinds first. */
  public registry(base: SchemaRegistry = SchemaRegistry.default()): SchemaRegistry {
    if (this.crds.size === 0) return base;
    if (this.layeredRegistry?.base !== base) this.layeredRegistry = { base, layered: new LayeredSchemaRegistry(base, this) };
    return this.layeredRegistry.layered;
  }

  /** `base` when no chart is registered, else a read-only view of it that also holds the registered charts. */
  public cache(base: UpstreamSource = SchemaRegistry.default().cache): UpstreamSource {
    if (this.charts.size === 0) return base;
    if (this.layeredCache?.base !== base) this.layeredCache = { base, layered: layerCache(base, this.charts) };
    return this.layeredCache.layered;
  }

  /** @internal the registered version of apiVersion/kind, as a pinned-schema record. */
  public _find(apiVersion: string, kind: string): PinnedSchema | undefined {
    const crd = this.crds.get(`${apiVersion}/${kind}`);
    if (!crd) return undefined;
    return { apiVersion, kind, origin: 'crd', file: crd.origin, ...(crd.scope !== undefined ? { scope: crd.scope } : {}), shadowedFiles: [] };
  }

  /** @internal registered versions of group/kind. */
  public _servedVersions(group: string, kind: string): string[] {
    return [...this.crds.values()].filter((c) => c.kind === kind && parseApiVersion(c.apiVersion).group === group).map((c) => parseApiVersion(c.apiVersion).version);
  }

  /** @internal every registered kind, as pinned-schema records. */
  public _all(): PinnedSchema[] {
    return [...this.crds.values()].map((c) => this._find(c.apiVersion, c.kind) as PinnedSchema);
  }

  /**
   * @internal the compiled validator of a registered kind. `metadata` is validated against the
   * pinned Kubernetes ObjectMeta through the base registry (a ConfigMap's metadata is ObjectMeta).
   */
  public _compile(apiVersion: string, kind: string, base: SchemaRegistry): CompiledSchema | undefined {
    const key = `${apiVersion}/${kind}`;
    const cached = this.compiled.get(key);
    if (cached) return cached;
    const crd = this.crds.get(key);
    const pinned = this._find(apiVersion, kind);
    if (!crd || !pinned) return undefined;
    const notes = emptyNotes();
    let validator: ValidateFunction | undefined;
    let compileError: string | undefined;
    try {
      validator = this.ajv().compile(crdObjectSchema(crd.schema, apiVersion, kind, notes));
    } catch (error) {
      compileError = (error as Error).message;
    }
    const result: CompiledSchema = {
      ...pinned,
      celRulesIgnored: notes.celRules,
      skippedPatterns: notes.skippedPatterns,
      validate: (object: unknown): SchemaError[] => {
        if (!validator) return [{ path: '', message: `cannot compile the registered schema ${crd.origin}: ${compileError}` }];
        const errors = validator(object) ? [] : describeAjvErrors(validator.errors);
        const metadata = field(object, 'metadata');
        const meta = isJsonObject(metadata) ? base.compile('v1', 'ConfigMap')?.validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata }) ?? [] : [];
        const seen = new Set(errors.map((e) => `${e.path}\u0000${e.message}`));
        return [...errors, ...meta.filter((e) => e.path.startsWith('/metadata/') && !seen.has(`${e.path}\u0000${e.message}`))];
      },
    };
    this.compiled.set(key, result);
    return result;
  }

  private ajv(): Ajv {
    if (this.ajvInstance) return this.ajvInstance;
    const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, formats: { ...K8S_FORMATS }, logger: false });
    ajv.addKeyword({ keyword: LIST_MAP_KEYS_KEYWORD, schemaType: 'array', type: 'array', errors: true, validate: listMapKeys });
    // ObjectMeta is checked separately against the pinned definition (see _compile); embedded
    // resources' metadata is only required to be an object here.
    ajv.addSchema({ $id: K8S_SCHEMA_ID, definitions: { [OBJECT_META_DEFINITION]: { type: 'object' } } });
    this.ajvInstance = ajv;
    return ajv;
  }
}

/** The pinned registry with registered kinds served first (they never overlap, see registerCrd). */
class LayeredSchemaRegistry extends SchemaRegistry {
  public constructor(
    private readonly base: SchemaRegistry,
    private readonly user: UserSchemas,
  ) {
    super(base.cache);
  }

  public override find(apiVersion: string, kind: string): PinnedSchema | undefined {
    return this.user._find(apiVersion, kind) ?? this.base.find(apiVersion, kind);
  }

  public override servedVersions(group: string, kind: string): string[] {
    return [...new Set([...this.base.servedVersions(group, kind), ...this.user._servedVersions(group, kind)])].sort();
  }

  public override compile(apiVersion: string, kind: string): CompiledSchema | undefined {
    return this.user._compile(apiVersion, kind, this.base) ?? this.base.compile(apiVersion, kind);
  }

  public override allCustomResources(): PinnedSchema[] {
    return [...this.base.allCustomResources(), ...this.user._all()];
  }

  public override allCoreKinds(): PinnedSchema[] {
    return this.base.allCoreKinds();
  }
}

/**
 * A read-only view of the pinned cache that also holds the registered charts' files under
 * `user:charts/<name>/<version>/`. Everything else is delegated to `base` (which keeps verifying
 * pinned files against the lock).
 */
/** The pinned charts of a repository cache or of the shipped pack. */
function chartsOf(source: UpstreamSource): Readonly<Record<string, UpstreamChart>> {
  return source instanceof SchemaPack ? source.charts : source.lock.charts;
}

/**
 * A read-only view of the pinned source that also holds the registered charts: for the shipped
 * pack, a pack whose chart table gains them (values parsed here, as the build does for pinned
 * charts); for a repository cache, the view below.
 */
function layerCache(base: UpstreamSource, charts: ReadonlyMap<string, { chart: UpstreamChart; files: ReadonlyMap<string, string> }>): UpstreamSource {
  if (base instanceof SchemaPack) {
    const added = Object.fromEntries(
      [...charts].map(([name, c]) => {
        const schemaText = c.chart.schemaPath !== undefined ? c.files.get(c.chart.schemaPath) : undefined;
        const packed: PackedChart = {
          chart: c.chart,
          yaml: { [c.chart.valuesPath]: parseYamlDocument(c.files.get(c.chart.valuesPath) as string, `chart ${name} values.yaml`) },
          ...(schemaText !== undefined ? { schemaText } : {}),
        };
        return [name, packed];
      }),
    );
    return new SchemaPack({ ...base.data, charts: { ...base.data.charts, ...added } }, base.file);
  }
  const texts = new Map<string, string>();
  const entries: UpstreamLockFile[] = [];
  for (const { chart, files } of charts.values()) {
    for (const [path, text] of files) {
      texts.set(path, text);
      entries.push({ path, component: chart.component, version: chart.version, sha256: '', bytes: text.length });
    }
  }
  const lock: UpstreamLock = {
    ...base.lock,
    charts: { ...base.lock.charts, ...Object.fromEntries([...charts].map(([name, c]) => [name, c.chart])) },
    files: [...base.lock.files, ...entries],
  };
  const view = Object.create(base) as UpstreamCache;
  Object.defineProperty(view, 'lock', { value: lock, enumerable: true });
  Object.assign(view, {
    files: (predicate: (file: UpstreamLockFile) => boolean = () => true) => lock.files.filter(predicate),
    entry: (path: string) => entries.find((e) => e.path === path) ?? base.entry(path),
    read: (path: string) => texts.get(path) ?? base.read(path),
    chart: (name: string) => charts.get(name)?.chart ?? base.chart(name),
  });
  return view;
}
