import { createHash } from 'node:crypto';
import { ErrorCode, InfraFluxError } from '../core/errors';
import { dirname } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import type { UpstreamChart } from '../upstream/lock';
import { coalesceHelmValues, deepClone, mergeFluxValues, nestAt, parseTargetPath, typedSetValue, valueAtPointer } from './helm-merge';
import { isAllowlistedValuePath } from './helm-values-allowlist';
import { describeAjvErrors, type SchemaError } from './schema-errors';
import { COMPILER_FINGERPRINT, CodeStore } from './schema-compiler';
import { defaultUpstreamSource, derivedPack, SchemaPack, validatorStore, type UpstreamSource } from './schema-pack';
import {
  describeObject,
  field,
  isJsonObject,
  joinPointer,
  parseYamlDocument,
  stringField,
  type JsonObject,
  type SourcedObject,
  type ValidationIssue,
} from './types';

/**
 * Validation of Flux HelmReleases (`helm.toolkit.fluxcd.io/v2`) against their pinned chart:
 * 1. the chart (`spec.chart.spec` with its `sourceRef`, or `spec.chartRef` -> OCIRepository/HelmChart;
 *    exactly one of the two, and the source object in the same object set) must be pinned in
 *    upstream.lock.json, at exactly the pinned version (an OCIRepository selected by `ref.digest`
 *    or `ref.semver` cannot be identified), from its pinned repository;
 * 2. the values Helm renders with are rebuilt: pinned values.yaml, coalesced with the Flux merge
 *    of `spec.valuesFrom` (ConfigMaps/Secrets of the same object set and namespace) and
 *    `spec.values`, which must be a map (see helm-merge.ts);
 * 3. with a values.schema.json, the effective values are validated in the dialect its `$schema`
 *    names (draft-07 when absent or unrecognised, 2019-09, 2020-12), as Helm does on install;
 * 4. always, every key the user set (valuesFrom + spec.values, not the defaults) must exist in the
 *    pinned values.yaml or the schema's `properties`, unless its parent is open: an empty map `{}`
 *    or `null` in values.yaml (e.g. `podAnnotations: {}`), a schema node with
 *    `additionalProperties` true/a schema, matching `patternProperties`, or no `properties` at all
 *    (a free-form `type: object`), or an allow-listed path (helm-values-allowlist.ts). Keys inside
 *    lists are not checked this way (only by the schema).
 */

export const HELM_RELEASE_API_VERSION = 'helm.toolkit.fluxcd.io/v2';
const SOURCE_GROUP = 'source.toolkit.fluxcd.io';

export function isHelmRelease(obj: unknown): boolean {
  return stringField(obj, 'apiVersion') === HELM_RELEASE_API_VERSION && stringField(obj, 'kind') === 'HelmRelease';
}

// ---------------------------------------------------------------------------------------------
// Object set lookups

/** Objects of one synthesized set, looked up by kind/namespace/name. */
export class ObjectIndex {
  private readonly byKey = new Map<string, SourcedObject>();

  public constructor(public readonly objects: readonly SourcedObject[]) {
    for (const entry of objects) {
      const kind = stringField(entry.object, 'kind');
      const name = stringField(field(entry.object, 'metadata'), 'name');
      if (!kind || !name) continue;
      const key = ObjectIndex.key(kind, namespaceOf(entry.object), name);
      if (!this.byKey.has(key)) this.byKey.set(key, entry);
    }
  }

  private static key(kind: string, namespace: string, name: string): string {
    return `${kind}\u0000${namespace}\u0000${name}`;
  }

  public get(kind: string, namespace: string, name: string): SourcedObject | undefined {
    return this.byKey.get(ObjectIndex.key(kind, namespace, name));
  }
}

/** Namespaced objects without metadata.namespace land in the namespace they are applied to. */
function namespaceOf(obj: unknown): string {
  return stringField(field(obj, 'metadata'), 'namespace') ?? 'default';
}

// ---------------------------------------------------------------------------------------------
// Chart identification

/** The chart a HelmRelease installs, as far as its spec and the object set tell. */
export interface ChartReference {
  readonly name: string;
  /** Exact version; undefined when the spec does not pin one. */
  readonly version?: string;
  /** JSON pointer of the field that named the version (for issue paths). */
  readonly path: string;
  /** Files listed in `spec.chart.spec.valuesFiles` (replace the chart's values.yaml). */
  readonly valuesFiles?: readonly string[];
  /**
   * Where the chart comes from, when the source object is in the set: the HelmRepository's
   * `spec.url`, or the OCIRepository's `spec.url` without the chart's own path segment.
   */
  readonly repository?: { readonly url: string; readonly path: string };
}

/** A problem found in a HelmRelease, before it becomes an issue naming the release. */
export interface Finding {
  readonly path: string;
  readonly message: string;
}

export type ChartLookup = { readonly chart: ChartReference } | { readonly problem: Finding };

export function identifyChart(release: unknown, index: ObjectIndex): ChartLookup {
  // The CRD enforces this with a CEL rule, which the schema validation does not evaluate.
  if (field(release, 'spec', 'chart') !== undefined && field(release, 'spec', 'chartRef') !== undefined) {
    return { problem: { path: '/spec', message: 'spec.chart and spec.chartRef are mutually exclusive; set exactly one' } };
  }
  const chartSpec = field(release, 'spec', 'chart', 'spec');
  if (isJsonObject(chartSpec)) {
    const name = stringField(chartSpec, 'chart');
    if (!name) return { problem: { path: '/spec/chart/spec/chart', message: 'no chart name' } };
    const version = stringField(chartSpec, 'version');
    const valuesFiles = Array.isArray(chartSpec.valuesFiles) ? chartSpec.valuesFiles.map(String) : undefined;
    const sourceRef = field(chartSpec, 'sourceRef');
    const sourceKind = stringField(sourceRef, 'kind') ?? '';
    const sourceName = stringField(sourceRef, 'name') ?? '';
    const sourceNamespace = stringField(sourceRef, 'namespace') ?? namespaceOf(release);
    const source = index.get(sourceKind, sourceNamespace, sourceName);
    if (!source || !isFluxSource(source)) {
      return {
        problem: {
          path: '/spec/chart/spec/sourceRef',
          message: `${sourceKind} ${sourceNamespace}/${sourceName} is not in the synthesized objects, so the chart's repository cannot be checked`,
        },
      };
    }
    const sourceUrl = sourceKind === 'HelmRepository' ? stringField(field(source.object, 'spec'), 'url') : undefined;
    return {
      chart: {
        name,
        path: '/spec/chart/spec/version',
        ...(version !== undefined ? { version } : {}),
        ...(valuesFiles ? { valuesFiles } : {}),
        ...(sourceUrl !== undefined ? { repository: { url: sourceUrl, path: '/spec/chart/spec/sourceRef' } } : {}),
      },
    };
  }
  const chartRef = field(release, 'spec', 'chartRef');
  if (isJsonObject(chartRef)) return chartFromRef(chartRef, namespaceOf(release), index);
  return { problem: { path: '/spec', message: 'neither spec.chart nor spec.chartRef is set' } };
}

function isFluxSource(entry: SourcedObject): boolean {
  return (stringField(entry.object, 'apiVersion') ?? '').startsWith(`${SOURCE_GROUP}/`);
}

function chartFromRef(chartRef: JsonObject, releaseNamespace: string, index: ObjectIndex): ChartLookup {
  const kind = stringField(chartRef, 'kind') ?? '';
  const name = stringField(chartRef, 'name') ?? '';
  const namespace = stringField(chartRef, 'namespace') ?? releaseNamespace;
  const target = index.get(kind, namespace, name);
  if (!target || !isFluxSource(target)) {
    return { problem: { path: '/spec/chartRef', message: `${kind} ${namespace}/${name} is not in the synthesized objects, so the chart cannot be identified` } };
  }
  if (kind === 'OCIRepository') return chartFromOciRepository(target);
  if (kind === 'HelmChart') {
    const chart = stringField(field(target.object, 'spec'), 'chart');
    const version = stringField(field(target.object, 'spec'), 'version');
    if (!chart) return { problem: { path: '/spec/chartRef', message: `HelmChart ${namespace}/${name} has no spec.chart` } };
    return { chart: { name: chart, path: '/spec/chartRef', ...(version !== undefined ? { version } : {}) } };
  }
  return { problem: { path: '/spec/chartRef/kind', message: `cannot identify the chart of a ${kind} reference` } };
}

/** chart = last path segment of spec.url; version = spec.ref.tag (digest/semver refs cannot be identified). */
function chartFromOciRepository(target: SourcedObject): ChartLookup {
  const spec = field(target.object, 'spec');
  const url = stringField(spec, 'url') ?? '';
  const chart = url.replace(/\/+$/, '').split('/').pop() ?? '';
  const where = describeObject(target.object, target.source);
  if (!chart) return { problem: { path: '/spec/chartRef', message: `${where} has no spec.url` } };
  const ref = field(spec, 'ref');
  // Flux precedence: digest > semver > tag. Only a tag names the version; a digest pins bytes,
  // but not a version the validator can match with upstream.lock.json.
  if (stringField(ref, 'digest') !== undefined) {
    return {
      problem: {
        path: '/spec/chartRef',
        message: `${where} selects chart ${chart} by spec.ref.digest, which Flux prefers over spec.ref.tag, so the chart version cannot be identified; pin spec.ref.tag to the exact pinned version without a digest`,
      },
    };
  }
  if (stringField(ref, 'semver') !== undefined) {
    return { problem: { path: '/spec/chartRef', message: `${where} selects chart ${chart} by spec.ref.semver; pin spec.ref.tag to the exact pinned version` } };
  }
  const tag = stringField(ref, 'tag');
  const repository = { url: url.replace(/\/+$/, '').split('/').slice(0, -1).join('/'), path: '/spec/chartRef' };
  return { chart: { name: chart, path: '/spec/chartRef', repository, ...(tag !== undefined ? { version: tag } : {}) } };
}

/** The pinned chart, or why the reference does not match upstream.lock.json. */
function checkPinned(chart: ChartReference, cache: UpstreamSource): { pinned: UpstreamChart } | { problem: Finding } {
  const pinned = pinnedCharts(cache)[chart.name];
  if (!pinned) {
    return { problem: { path: chart.path, message: `chart ${chart.name} is not pinned in upstream.lock.json (pinned charts: ${Object.keys(pinnedCharts(cache)).join(', ')})` } };
  }
  if (!pinned.version) {
    return { problem: { path: chart.path, message: `chart ${chart.name} is pinned without a version in upstream.lock.json` } };
  }
  if (chart.version !== pinned.version) {
    const got = chart.version === undefined ? 'no version (any)' : `version "${chart.version}"`;
    return { problem: { path: chart.path, message: `chart ${chart.name}: ${got} is not the pinned version "${pinned.version}"` } };
  }
  const normalize = (url: string): string => url.replace(/\/+$/, '');
  if (chart.repository && pinned.repository && normalize(chart.repository.url) !== normalize(pinned.repository)) {
    return {
      problem: {
        path: chart.repository.path,
        message: `chart ${chart.name} comes from "${chart.repository.url}", not its pinned repository "${pinned.repository}"`,
      },
    };
  }
  return { pinned };
}

// ---------------------------------------------------------------------------------------------
// User values (valuesFrom + spec.values)

/** One source of user values, in Flux merge order. */
interface ValuesLayer {
  readonly label: string;
  readonly values: JsonObject;
}

function decodeBase64(text: string): string {
  return Buffer.from(text, 'base64').toString('utf8');
}

/** The raw text under `key` of a ConfigMap (data/binaryData) or Secret (stringData/data). */
function referencedText(kind: string, obj: unknown, key: string): string | undefined {
  if (kind === 'ConfigMap') {
    const data = stringField(field(obj, 'data'), key);
    if (data !== undefined) return data;
    const binary = stringField(field(obj, 'binaryData'), key);
    return binary === undefined ? undefined : decodeBase64(binary);
  }
  const stringData = stringField(field(obj, 'stringData'), key);
  if (stringData !== undefined) return stringData;
  const data = stringField(field(obj, 'data'), key);
  return data === undefined ? undefined : decodeBase64(data);
}

function valuesFromLayer(ref: JsonObject, at: string, namespace: string, index: ObjectIndex): ValuesLayer | Finding | undefined {
  const kind = stringField(ref, 'kind') ?? '';
  const name = stringField(ref, 'name') ?? '';
  const key = stringField(ref, 'valuesKey') ?? 'values.yaml';
  const target = index.get(kind, namespace, name);
  if (!target || stringField(target.object, 'apiVersion') !== 'v1') {
    // Flux ignores a missing optional reference; any other error still fails the release.
    if (ref.optional === true) return undefined;
    // A Secret a SealedSecret or an ExternalSecret of the fleet makes: its content is unknown
    // offline. A value at a targetPath is a string (checked as one); a whole values map is skipped.
    if (kind === 'Secret' && (index.get('SealedSecret', namespace, name) ?? index.get('ExternalSecret', namespace, name))) {
      const targetPath = stringField(ref, 'targetPath');
      const keys = targetPath ? parseTargetPath(targetPath) : undefined;
      if (targetPath && !keys) return { path: `${at}/targetPath`, message: `targetPath "${targetPath}" is not supported by the validator (list index or empty key)` };
      return keys ? { label: `${kind} ${namespace}/${name} key ${stringField(ref, 'valuesKey') ?? 'values.yaml'} (delivered sealed or external)`, values: nestAt(keys, `<${name}>`) } : undefined;
    }
    return { path: at, message: `${kind} ${namespace}/${name} is not in the synthesized objects (valuesFrom is not optional)` };
  }
  const label = `${kind} ${namespace}/${name} key ${key}`;
  const text = referencedText(kind, target.object, key);
  if (text === undefined) return { path: at, message: `${kind} ${namespace}/${name} has no key "${key}"` };
  const targetPath = stringField(ref, 'targetPath');
  if (targetPath) {
    const keys = parseTargetPath(targetPath);
    if (!keys) return { path: `${at}/targetPath`, message: `targetPath "${targetPath}" is not supported by the validator (list index or empty key)` };
    return { label, values: nestAt(keys, ref.literal === true ? text : typedSetValue(text)) };
  }
  let parsed: unknown;
  try {
    parsed = parseYamlDocument(text, label);
  } catch (error) {
    return { path: at, message: `${label} is not valid YAML: ${(error as Error).message}` };
  }
  if (!isJsonObject(parsed)) return { path: at, message: `${label} does not hold a YAML map of values` };
  return { label, values: parsed };
}

function userValueLayers(release: unknown, index: ObjectIndex): { layers: ValuesLayer[]; problems: Finding[] } {
  const layers: ValuesLayer[] = [];
  const problems: Finding[] = [];
  const namespace = namespaceOf(release);
  const valuesFrom = field(release, 'spec', 'valuesFrom');
  if (Array.isArray(valuesFrom)) {
    valuesFrom.forEach((ref, i) => {
      if (!isJsonObject(ref)) return;
      const result = valuesFromLayer(ref, `/spec/valuesFrom/${i}`, namespace, index);
      if (result && 'values' in result) layers.push(result);
      else if (result) problems.push(result);
    });
  }
  const values = field(release, 'spec', 'values');
  if (isJsonObject(values)) layers.push({ label: 'spec.values', values });
  else if (values !== undefined && values !== null) {
    const got = Array.isArray(values) ? 'a list' : `${typeof values} ${JSON.stringify(values)}`;
    problems.push({ path: '/spec/values', message: `spec.values must be a map of chart values, got ${got}` });
  }
  return { layers, problems };
}

// ---------------------------------------------------------------------------------------------
// Chart resources (values.yaml, values.schema.json) and dialects

export type JsonSchemaDialect = 'draft-07' | '2019-09' | '2020-12';

/** Dialect named by `$schema`; draft-07 when absent or not 2019-09/2020-12 (draft-04/06 included). */
export function schemaDialect(schema: unknown): JsonSchemaDialect {
  const id = stringField(schema, '$schema') ?? '';
  if (id.includes('2020-12')) return '2020-12';
  if (id.includes('2019-09')) return '2019-09';
  return 'draft-07';
}

interface ChartSchema {
  readonly root: JsonObject;
  readonly dialect: JsonSchemaDialect;
  readonly validate: ValidateFunction | undefined;
  readonly compileError?: string;
}

interface ChartResources {
  readonly chart: UpstreamChart;
  readonly defaults: JsonObject;
  readonly schema?: ChartSchema;
}

const resourceCache = new WeakMap<UpstreamSource, Map<string, ChartResources>>();

function pinnedCharts(source: UpstreamSource): Readonly<Record<string, UpstreamChart>> {
  return source instanceof SchemaPack ? source.charts : source.lock.charts;
}

/**
 * A pinned YAML file of a chart's folder, parsed; undefined when it is not pinned. From a
 * repository cache, read (sha256 checked) and parsed; from a pack, parsed at build time.
 */
function chartYaml(source: UpstreamSource, chart: UpstreamChart, path: string): { value: unknown } | undefined {
  if (source instanceof SchemaPack) {
    const files = source.data.charts[chart.name]?.yaml ?? {};
    return path in files ? { value: files[path] } : undefined;
  }
  if (source.files((f) => f.path === path).length === 0) return undefined;
  // The text is read (sha256 checked); its parse comes from the derived pack when current.
  const text = source.read(path);
  const derived = derivedPack(source)?.data.charts[chart.name]?.yaml;
  if (derived && path in derived) return { value: deepClone(derived[path]) };
  return { value: parseYamlDocument(text, path) };
}


function chartSchemaText(source: UpstreamSource, chart: UpstreamChart, path: string): string {
  if (!(source instanceof SchemaPack)) return source.read(path);
  const text = source.data.charts[chart.name]?.schemaText;
  if (text === undefined) throw new InfraFluxError(ErrorCode.SCHEMA_PACK_INCOMPLETE, source.file, `the schema pack has no ${path} for chart ${chart.name}`);
  return text;
}

// Format assertion is off: Helm's validator treats `format` as an annotation, and unknown
// formats must not throw.
const CHART_AJV_OPTIONS = { strict: false, allErrors: true, verbose: true, validateFormats: false, logger: false as const };

function newAjv(dialect: JsonSchemaDialect, source: boolean): Ajv {
  const options = { ...CHART_AJV_OPTIONS, code: { source } };
  if (dialect === '2020-12') return new Ajv2020(options);
  if (dialect === '2019-09') return new Ajv2019(options);
  return new Ajv(options);
}

/** A schema that cannot be parsed or compiled is kept as a compile error, reported per release. */
function compileChartSchema(text: string, storeDir?: string): ChartSchema {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    return { root: {}, dialect: 'draft-07', validate: undefined, compileError: `not valid JSON: ${(error as Error).message}` };
  }
  if (!isJsonObject(root)) return { root: {}, dialect: 'draft-07', validate: undefined, compileError: 'not a JSON schema object' };
  const dialect = schemaDialect(root);
  // `$schema` only selected the dialect; Ajv would try to fetch unknown spellings of it
  // (`https://json-schema.org/draft-07/schema#`), so the compiled copy goes without it.
  const { $schema: _ignored, ...schema } = root;
  try {
    const store = storeDir ? new CodeStore(storeDir) : undefined;
    const key = createHash('sha256').update(`${COMPILER_FINGERPRINT}\nhelm values ${dialect} ${JSON.stringify(CHART_AJV_OPTIONS)}\n`).update(JSON.stringify(schema)).digest('hex');
    const stored = store?.get(key);
    if (stored) return { root, dialect, validate: stored };
    const ajv = newAjv(dialect, store !== undefined);
    const validate = ajv.compile(schema);
    store?.put(key, ajv, validate);
    return { root, dialect, validate };
  } catch (error) {
    return { root, dialect, validate: undefined, compileError: (error as Error).message };
  }
}

/** Cache path of a file listed in spec.chart.spec.valuesFiles (relative to the chart). */
function chartFilePath(chart: UpstreamChart, file: string): string {
  const normalized = file.replace(/^\.\//, '');
  return `${dirname(chart.valuesPath)}/${normalized}`;
}

function chartResources(chart: UpstreamChart, cache: UpstreamSource): ChartResources {
  let perCache = resourceCache.get(cache);
  if (!perCache) {
    perCache = new Map();
    resourceCache.set(cache, perCache);
  }
  const cached = perCache.get(chart.name);
  if (cached) return cached;
  const parsed = chartYaml(cache, chart, chart.valuesPath)?.value;
  const defaults = isJsonObject(parsed) ? parsed : {};
  // Ajv's generated code is stored content-addressed (see schema-compiler.ts, validatorStore).
  const store = validatorStore(cache);
  const schema = chart.schemaPath ? compileChartSchema(chartSchemaText(cache, chart, chart.schemaPath), store) : undefined;
  const resources: ChartResources = { chart, defaults, ...(schema ? { schema } : {}) };
  perCache.set(chart.name, resources);
  return resources;
}

/** The chart's default values, honouring spec.chart.spec.valuesFiles (which replace values.yaml). */
function chartDefaults(resources: ChartResources, reference: ChartReference, cache: UpstreamSource): { defaults: JsonObject } | { problem: Finding } {
  if (!reference.valuesFiles || reference.valuesFiles.length === 0) return { defaults: resources.defaults };
  let merged: JsonObject = {};
  for (const [i, file] of reference.valuesFiles.entries()) {
    const path = chartFilePath(resources.chart, file);
    if (path === resources.chart.valuesPath) {
      merged = mergeFluxValues(merged, resources.defaults);
      continue;
    }
    const values = chartYaml(cache, resources.chart, path);
    if (!values) {
      return { problem: { path: `/spec/chart/spec/valuesFiles/${i}`, message: `values file ${file} of chart ${reference.name} is not pinned (${path})` } };
    }
    if (isJsonObject(values.value)) merged = mergeFluxValues(merged, values.value);
  }
  return { defaults: merged };
}

// ---------------------------------------------------------------------------------------------
// Unknown value keys

/** Local `$ref`s only (`#/...`); remote refs give no information. */
function resolveRef(node: JsonObject, root: JsonObject): JsonObject | undefined {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  if (!ref.startsWith('#')) return undefined;
  const target = valueAtPointer(root, ref.slice(1));
  return target.found && isJsonObject(target.value) ? target.value : undefined;
}

/** A schema node plus every node whose constraints also apply at the same place. */
function schemaNodesAt(node: unknown, root: JsonObject, depth = 0): JsonObject[] {
  if (!isJsonObject(node) || depth > 16) return [];
  const resolved = resolveRef(node, root);
  if (!resolved) return [];
  const nodes = [resolved];
  if (resolved !== node) nodes.push(node);
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    const list = resolved[keyword];
    if (Array.isArray(list)) for (const branch of list) nodes.push(...schemaNodesAt(branch, root, depth + 1));
  }
  for (const keyword of ['then', 'else']) nodes.push(...schemaNodesAt(resolved[keyword], root, depth + 1));
  return nodes;
}

function schemaDeclares(nodes: readonly JsonObject[], key: string): boolean {
  return nodes.some((n) => isJsonObject(n.properties) && key in n.properties);
}

function schemaAllowsExtra(nodes: readonly JsonObject[], key: string): boolean {
  return nodes.some((n) => {
    if (n.additionalProperties === true || isJsonObject(n.additionalProperties)) return true;
    if (!isJsonObject(n.patternProperties)) return false;
    return Object.keys(n.patternProperties).some((pattern) => {
      try {
        return new RegExp(pattern, 'u').test(key);
      } catch {
        return false;
      }
    });
  });
}

function childSchemaNodes(nodes: readonly JsonObject[], key: string, root: JsonObject): JsonObject[] {
  return nodes.flatMap((n) => (isJsonObject(n.properties) ? schemaNodesAt(n.properties[key], root) : []));
}

interface KeyCheck {
  readonly chart: string;
  readonly schemaRoot?: JsonObject;
}

/** A schema object node without declared properties and not closed: a free-form map. */
function schemaIsFreeForm(nodes: readonly JsonObject[]): boolean {
  return nodes.length > 0 && !nodes.some((n) => isJsonObject(n.properties) || n.additionalProperties === false);
}

/**
 * Paths of user-set keys that exist neither in the defaults nor in the schema (see file comment).
 * `defaults` is the values.yaml node at `path` (`undefined`: values.yaml does not reach here).
 * A free-form schema map (`type: object` without `properties`, e.g. cert-manager's
 * `securityContext`) opens its level even where values.yaml shows example keys; a schema node
 * that lists `properties` (as generated schemas like cilium's do) only allows extra keys through
 * `additionalProperties`/`patternProperties`, even though JSON Schema would accept them.
 */
function unknownValueKeys(user: JsonObject, defaults: unknown, nodes: readonly JsonObject[], path: string, check: KeyCheck): string[] {
  if (defaults === null || (isJsonObject(defaults) && Object.keys(defaults).length === 0)) return [];
  if (schemaIsFreeForm(nodes)) return [];
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(user)) {
    const childPath = joinPointer(path, key);
    if (isAllowlistedValuePath(check.chart, childPath)) continue;
    const inDefaults = isJsonObject(defaults) && key in defaults;
    if (!inDefaults && !schemaDeclares(nodes, key)) {
      if (!schemaAllowsExtra(nodes, key)) unknown.push(childPath);
      continue;
    }
    if (!isJsonObject(value)) continue;
    const childDefaults = inDefaults ? (defaults as JsonObject)[key] : undefined;
    const childNodes = check.schemaRoot ? childSchemaNodes(nodes, key, check.schemaRoot) : [];
    if (childDefaults === undefined && childNodes.length === 0) continue;
    unknown.push(...unknownValueKeys(value, childDefaults, childNodes, childPath, check));
  }
  return unknown;
}

// ---------------------------------------------------------------------------------------------
// Entry points

export interface ChartValuesInput {
  /** How issues name the object, e.g. `HelmRelease flux-system/cilium (dist/...)`. */
  readonly object: string;
  /** User value sources in Flux merge order (valuesFrom entries, then spec.values). */
  readonly layers: readonly { readonly label: string; readonly values: JsonObject }[];
  /** Defaults to use instead of the pinned values.yaml (spec.chart.spec.valuesFiles). */
  readonly defaults?: JsonObject;
}

/** Where a value at `path` came from: the last user layer setting it, else the chart defaults. */
function originOf(path: string, layers: ChartValuesInput['layers'], defaults: JsonObject): string {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    if (layer && valueAtPointer(layer.values, path).found) return `set in ${layer.label}`;
  }
  return valueAtPointer(defaults, path).found ? "from the chart's pinned default values" : '';
}

/**
 * Validates user values against a pinned chart: schema validation of the effective values (when
 * the chart has values.schema.json) and the unknown-key check. The chart must be pinned.
 */
export function validateChartValues(chartName: string, input: ChartValuesInput, cache: UpstreamSource = defaultUpstreamSource()): ValidationIssue[] {
  const chart = cache.chart(chartName);
  const prefix = `chart ${chart.name} ${chart.version}`;
  if (!chart.valuesPath) {
    const hasValues = input.layers.some((l) => Object.keys(l.values).length > 0);
    return hasValues ? [{ object: input.object, path: '', message: `${prefix}: no pinned values.yaml, so the values cannot be checked` }] : [];
  }
  const resources = chartResources(chart, cache);
  const defaults = input.defaults ?? resources.defaults;
  const user = input.layers.reduce<JsonObject>((acc, layer) => mergeFluxValues(acc, layer.values), {});
  const issues: ValidationIssue[] = [];
  const withOrigin = (path: string, message: string): ValidationIssue => {
    const origin = originOf(path, input.layers, defaults);
    return { object: input.object, path, message: `${prefix}: ${message}${origin ? ` (${origin})` : ''}` };
  };

  const schema = resources.schema;
  if (schema && !schema.validate) {
    issues.push({ object: input.object, path: '', message: `${prefix}: cannot compile ${chart.schemaPath} (${schema.dialect}): ${schema.compileError}` });
  } else if (schema?.validate) {
    const effective = coalesceHelmValues(defaults, user);
    const errors: SchemaError[] = schema.validate(effective) ? [] : describeAjvErrors(schema.validate.errors);
    for (const error of errors) issues.push(withOrigin(error.path, `${error.message} [values.schema.json, ${schema.dialect}]`));
  }

  const reported = new Set(issues.map((i) => i.path));
  // A schema that does not compile opens nothing: keys are then checked against values.yaml only.
  const usable = schema?.validate ? schema : undefined;
  const check: KeyCheck = { chart: chart.name, ...(usable ? { schemaRoot: usable.root } : {}) };
  const rootNodes = usable ? schemaNodesAt(usable.root, usable.root) : [];
  for (const path of unknownValueKeys(user, defaults, rootNodes, '', check)) {
    if (reported.has(path)) continue;
    const key = path.slice(path.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
    const where = usable ? "the chart's values.yaml nor its values.schema.json" : "the chart's values.yaml";
    issues.push(withOrigin(path, `unknown value key "${key}" (not in ${where})`));
  }
  return issues;
}

/** All checks for one HelmRelease; `objects` is the synthesized set it is part of. */
export function validateHelmRelease(
  release: SourcedObject,
  objects: readonly SourcedObject[] | ObjectIndex,
  cache: UpstreamSource = defaultUpstreamSource(),
): ValidationIssue[] {
  const object = describeObject(release.object, release.source);
  const index = objects instanceof ObjectIndex ? objects : new ObjectIndex(objects);
  const toIssue = (f: Finding): ValidationIssue => ({ object, path: f.path, message: f.message });

  const lookup = identifyChart(release.object, index);
  if ('problem' in lookup) return [toIssue(lookup.problem)];
  const pinnedCheck = checkPinned(lookup.chart, cache);
  if ('problem' in pinnedCheck) return [toIssue(pinnedCheck.problem)];
  const { layers, problems } = userValueLayers(release.object, index);
  const issues = problems.map(toIssue);
  const pinned = pinnedCheck.pinned;
  if (!pinned.valuesPath) {
    return [...issues, ...validateChartValues(pinned.name, { object, layers }, cache)];
  }
  const defaults = chartDefaults(chartResources(pinned, cache), lookup.chart, cache);
  if ('problem' in defaults) return [...issues, toIssue(defaults.problem)];
  return [...issues, ...validateChartValues(pinned.name, { object, layers, defaults: defaults.defaults }, cache)];
}
