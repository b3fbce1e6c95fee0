import Ajv, { type ErrorObject, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import { UpstreamCache } from '../upstream/lock';
import {
  K8S_FORMATS,
  LIST_MAP_KEYS_KEYWORD,
  convertSwaggerDefinitions,
  coreObjectSchema,
  crdObjectSchema,
  emptyNotes,
} from './k8s-schema';
import { describeAjvErrors, type SchemaError } from './schema-errors';
import { field, isJsonObject, joinPointer, parseYamlDocuments, stringField, type JsonObject } from './types';

/**
 * Finds and compiles the pinned schema of an object from its apiVersion and kind.
 *
 * Sources, all read through the verified UpstreamCache:
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
 * Cost: CRD files are only parsed when a lookup needs them. A lookup reads the (cached) text of all
 * locked YAML files that mention `CustomResourceDefinition` and parses the ones containing both
 * `group: <group>` and `kind: <Kind>` scalars (see scalarLine) -- a CRD document spells both
 * literally (`spec.group`, `spec.names.kind`). Compiled validators are cached per GVK and
 * share one Ajv instance, so shared core definitions (ObjectMeta, PodSpec...) compile once.
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
  /** Violations of the schema; empty when the object is valid. */
  validate(object: unknown): SchemaError[];
}

/** A CustomResourceDefinition version found in a pinned file. */
interface CrdVersion {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly scope?: string;
  readonly served: boolean;
  readonly file: string;
  readonly schema?: JsonObject;
}

const CORE_SWAGGER_PATH = 'kubernetes/openapi-spec/swagger.json';
const YAML_FILE = /\.ya?ml$/;

function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Matches `key: value` with a plain or quoted scalar (block or flow style, or JSON), the way a
 * CRD document spells `spec.group` and `spec.names.kind`. Used only to skip parsing files that
 * cannot define the looked-up kind; a file it wrongly skipped would show up as a loud
 * "no pinned schema" issue, never as a silent pass.
 */
function scalarLine(key: string, value: string): RegExp {
  return new RegExp(`\\b${key}["']?\\s*:\\s*["']?${escapeRegExp(value)}["']?\\s*(?:$|[,}#])`, 'm');
}

function isExperimental(path: string): boolean {
  return path.split('/').includes('experimental');
}

/** Duplicate rule (see file comment): non-experimental first, then by path. */
function preferenceOrder(a: CrdVersion, b: CrdVersion): number {
  const rank = Number(isExperimental(a.file)) - Number(isExperimental(b.file));
  if (rank !== 0) return rank;
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

function crdVersionsOf(doc: unknown, file: string): CrdVersion[] {
  if (stringField(doc, 'kind') !== 'CustomResourceDefinition') return [];
  if (stringField(doc, 'apiVersion') !== 'apiextensions.k8s.io/v1') return [];
  const group = stringField(field(doc, 'spec'), 'group');
  const kind = stringField(field(doc, 'spec', 'names'), 'kind');
  const versions = field(doc, 'spec', 'versions');
  if (!group || !kind || !Array.isArray(versions)) return [];
  const scope = stringField(field(doc, 'spec'), 'scope');
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
    };
  });
}

/** Custom keyword: items of an `x-kubernetes-list-type: map` list must have distinct keys. */
const listMapKeysValidator: SchemaValidateFunction = (keys: string[], data: unknown, _parent?: unknown, cxt?: { instancePath?: string }): boolean => {
  if (!Array.isArray(data)) return true;
  const seen = new Map<string, number>();
  const errors: Partial<ErrorObject>[] = [];
  data.forEach((item, index) => {
    if (!isJsonObject(item)) return;
    const id = JSON.stringify(keys.map((k) => item[k] ?? null));
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else {
      errors.push({
        keyword: LIST_MAP_KEYS_KEYWORD,
        instancePath: joinPointer(cxt?.instancePath ?? '', index),
        params: { keys },
        message: `duplicate entry: same ${keys.join('/')} as item ${first} (list-type map keys must be unique)`,
      });
    }
  });
  listMapKeysValidator.errors = errors;
  return errors.length === 0;
};

export class SchemaRegistry {
  private static defaultInstance: SchemaRegistry | undefined;

  /** The registry over the repository's upstream cache, created once per process. */
  public static default(): SchemaRegistry {
    if (!SchemaRegistry.defaultInstance) SchemaRegistry.defaultInstance = new SchemaRegistry();
    return SchemaRegistry.defaultInstance;
  }

  private crdFileTexts: { path: string; text: string }[] | undefined;
  private readonly parsedFiles = new Map<string, CrdVersion[]>();
  private readonly lookedUp = new Map<string, CrdVersion[]>();
  private swagger: { definitions: JsonObject; byGvk: Map<string, string> } | undefined;
  private ajvInstance: Ajv | undefined;
  private readonly compiled = new Map<string, CompiledSchema>();

  public constructor(public readonly cache: UpstreamCache = UpstreamCache.default()) {}

  /** The pinned schema for an apiVersion/kind, or undefined when nothing pinned serves it. */
  public find(apiVersion: string, kind: string): PinnedSchema | undefined {
    const { group, version } = parseApiVersion(apiVersion);
    const definition = this.core().byGvk.get(gvkKey(group, version, kind));
    if (definition) {
      return { apiVersion, kind, origin: 'kubernetes', file: CORE_SWAGGER_PATH, definition, shadowedFiles: [] };
    }
    const candidates = this.crdVersions(group, kind)
      .filter((v) => v.version === version && v.served && v.schema)
      .sort(preferenceOrder);
    const chosen = candidates[0];
    if (!chosen) return undefined;
    return {
      apiVersion,
      kind,
      origin: 'crd',
      file: chosen.file,
      ...(chosen.scope !== undefined ? { scope: chosen.scope } : {}),
      shadowedFiles: candidates.slice(1).map((c) => c.file),
    };
  }

  /** Versions of group/kind that pinned schemas serve (for "did you mean" hints). */
  public servedVersions(group: string, kind: string): string[] {
    const core = [...this.core().byGvk.keys()]
      .map((key) => key.split('/'))
      .filter(([g, , k]) => g === group && k === kind)
      .map(([, v]) => v as string);
    const crd = this.crdVersions(group, kind).filter((v) => v.served).map((v) => v.version);
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
   * Every served custom resource GVK in the pinned files, after the duplicate rule. Parses all
   * CRD files (several seconds): meant for tests and tooling, not for validation runs.
   */
  public allCustomResources(): PinnedSchema[] {
    const byGvk = new Map<string, CrdVersion[]>();
    for (const { path } of this.crdFiles()) {
      for (const v of this.parseCrdFile(path)) {
        if (!v.served || !v.schema) continue;
        const key = gvkKey(v.group, v.version, v.kind);
        byGvk.set(key, [...(byGvk.get(key) ?? []), v]);
      }
    }
    return [...byGvk.values()].map((candidates) => {
      const [chosen, ...shadowed] = [...candidates].sort(preferenceOrder) as [CrdVersion, ...CrdVersion[]];
      return {
        apiVersion: `${chosen.group}/${chosen.version}`,
        kind: chosen.kind,
        origin: 'crd' as const,
        file: chosen.file,
        ...(chosen.scope !== undefined ? { scope: chosen.scope } : {}),
        shadowedFiles: shadowed.map((c) => c.file),
      };
    });
  }

  /** Every core GVK the swagger definitions declare. */
  public allCoreKinds(): PinnedSchema[] {
    return [...this.core().byGvk.entries()].map(([key, definition]) => {
      const [group, version, kind] = key.split('/') as [string, string, string];
      const apiVersion = group ? `${group}/${version}` : version;
      return { apiVersion, kind, origin: 'kubernetes' as const, file: CORE_SWAGGER_PATH, definition, shadowedFiles: [] };
    });
  }

  // -- core definitions -----------------------------------------------------------------------

  private core(): { definitions: JsonObject; byGvk: Map<string, string> } {
    if (this.swagger) return this.swagger;
    const spec: unknown = JSON.parse(this.cache.read(CORE_SWAGGER_PATH));
    const definitions = field(spec, 'definitions');
    if (!isJsonObject(definitions)) throw new Error(`infraflux: ${CORE_SWAGGER_PATH} has no definitions`);
    const byGvk = new Map<string, string>();
    for (const [name, definition] of Object.entries(definitions)) {
      const gvks = field(definition, 'x-kubernetes-group-version-kind');
      if (!Array.isArray(gvks)) continue;
      for (const gvk of gvks) {
        const group = stringField(gvk, 'group') ?? '';
        const version = stringField(gvk, 'version');
        const kind = stringField(gvk, 'kind');
        if (version && kind && !byGvk.has(gvkKey(group, version, kind))) byGvk.set(gvkKey(group, version, kind), name);
      }
    }
    this.swagger = { definitions, byGvk };
    return this.swagger;
  }

  private ajv(): Ajv {
    if (this.ajvInstance) return this.ajvInstance;
    const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, formats: { ...K8S_FORMATS }, logger: false });
    ajv.addKeyword({ keyword: LIST_MAP_KEYS_KEYWORD, schemaType: 'array', type: 'array', errors: true, validate: listMapKeysValidator });
    const notes = emptyNotes();
    ajv.addSchema(convertSwaggerDefinitions(this.core().definitions, notes));
    this.ajvInstance = ajv;
    return ajv;
  }

  private compileCore(pinned: PinnedSchema): CompiledSchema {
    const schema = coreObjectSchema(pinned.definition as string, pinned.apiVersion, pinned.kind);
    return this.wrap(pinned, schema, 0, []);
  }

  /**
   * A CRD version without a usable `openAPIV3Schema` never falls back to an empty (accept-all)
   * schema: the validator reports the compile error on every object of that kind.
   */
  private compileCrd(pinned: PinnedSchema): CompiledSchema {
    const { group, version } = parseApiVersion(pinned.apiVersion);
    const entry = this.crdVersions(group, pinned.kind).find((v) => v.file === pinned.file && v.version === version);
    if (!entry?.schema) {
      return this.wrap(pinned, new Error(`${pinned.file} has no schema.openAPIV3Schema for ${pinned.apiVersion} ${pinned.kind}`), 0, []);
    }
    const notes = emptyNotes();
    let schema: JsonObject | Error;
    try {
      schema = crdObjectSchema(entry.schema, pinned.apiVersion, pinned.kind, notes);
    } catch (error) {
      schema = error as Error;
    }
    return this.wrap(pinned, schema, notes.celRules, notes.skippedPatterns);
  }

  private wrap(pinned: PinnedSchema, schema: JsonObject | Error, celRules: number, skippedPatterns: string[]): CompiledSchema {
    let validator: ValidateFunction | undefined;
    let compileError: string | undefined;
    try {
      if (schema instanceof Error) throw schema;
      validator = this.ajv().compile(schema);
    } catch (error) {
      compileError = (error as Error).message;
    }
    return {
      ...pinned,
      celRulesIgnored: celRules,
      skippedPatterns,
      validate: (object: unknown): SchemaError[] => {
        if (!validator) return [{ path: '', message: `cannot compile the pinned schema from ${pinned.file}: ${compileError}` }];
        return validator(object) ? [] : describeAjvErrors(validator.errors);
      },
    };
  }

  // -- CRD files -------------------------------------------------------------------------------

  /** Locked YAML files that mention CustomResourceDefinition (texts verified and cached). */
  private crdFiles(): { path: string; text: string }[] {
    if (!this.crdFileTexts) {
      this.crdFileTexts = this.cache
        .files((f) => YAML_FILE.test(f.path))
        .map((f) => ({ path: f.path, text: this.cache.read(f.path) }))
        .filter((f) => f.text.includes('CustomResourceDefinition'));
    }
    return this.crdFileTexts;
  }

  private parseCrdFile(path: string): CrdVersion[] {
    const cached = this.parsedFiles.get(path);
    if (cached) return cached;
    const versions = parseYamlDocuments(this.cache.read(path), path).flatMap((doc) => crdVersionsOf(doc, path));
    this.parsedFiles.set(path, versions);
    return versions;
  }

  /** All versions (served or not) of group/kind in pinned CRD files. */
  private crdVersions(group: string, kind: string): CrdVersion[] {
    const key = `${group}/${kind}`;
    const cached = this.lookedUp.get(key);
    if (cached) return cached;
    const groupLine = scalarLine('group', group);
    const kindLine = scalarLine('kind', kind);
    const found = !group || !kind
      ? []
      : this.crdFiles()
        .filter((f) => f.text.includes(group) && f.text.includes(kind) && groupLine.test(f.text) && kindLine.test(f.text))
        .flatMap((f) => this.parseCrdFile(f.path))
        .filter((v) => v.group === group && v.kind === kind);
    this.lookedUp.set(key, found);
    return found;
  }
}
