import { fullFormats } from 'ajv-formats/dist/formats';
import type { Format } from 'ajv';
import { isJsonObject, type JsonObject } from './types';

/**
 * Conversion of Kubernetes schemas (CRD structural OpenAPI v3 schemas and the core OpenAPI v2
 * definitions) into strict JSON Schema (draft-07, as Ajv runs it) that rejects what the API server
 * would reject *or silently drop*.
 *
 * Kubernetes semantics relied on here:
 * - Pruning: for CRDs the API server drops every field that the structural schema does not
 *   specify, unless the node says `x-kubernetes-preserve-unknown-fields: true`. Core kinds are
 *   decoded into Go structs, so unknown fields are dropped (or rejected with strict field
 *   validation). A field the server drops is almost always a typo in our constructs, so every
 *   object node (`type: object`) without `additionalProperties` and without
 *   `x-kubernetes-preserve-unknown-fields` becomes `additionalProperties: false` -- including
 *   `type: object` without any properties, where the server drops everything.
 *   Preserve-unknown-fields only applies to the node that carries it: nested nodes with their own
 *   `properties` are pruned again, so they get `additionalProperties: false` themselves.
 * - Value validations (`allOf`/`anyOf`/`oneOf`/`not` branches) never introduce fields in a
 *   structural schema; they are converted without adding `additionalProperties`.
 * - Defaulting runs before validation: a `required` property whose schema has a `default` is
 *   always present when validation runs, so it is not required here.
 * - `x-kubernetes-int-or-string`: integer or string. `nullable: true`: null is allowed as well.
 * - `x-kubernetes-embedded-resource`: an embedded object with `apiVersion` and `kind` (both
 *   required by the API server) and `metadata` (validated as ObjectMeta).
 * - `x-kubernetes-list-type: set` lists must not hold duplicates; `map` lists must not hold two
 *   items with the same `x-kubernetes-list-map-keys` values (CRDs only; for core kinds this is
 *   Go code with exceptions, so it is not applied there).
 * - CEL rules (`x-kubernetes-validations`) cannot be evaluated here (no CEL interpreter): they
 *   are ignored but counted, so callers can report how many rules were not checked.
 * - Formats: the API server ignores unknown formats. Formats with a faithful JS check are kept
 *   (see K8S_FORMATS); all others (`duration`, `uri`, `idn-hostname`, `quantity`...) are dropped
 *   so they neither throw nor produce false positives.
 * - Patterns are Go RE2 expressions; those JS cannot express (`(?i)`) are dropped and counted.
 */

/** `$id` under which the converted core definitions are registered in Ajv. */
export const K8S_SCHEMA_ID = 'infraflux:kubernetes-1.36';
const DEFINITION_PREFIX = '#/definitions/';
export const OBJECT_META_DEFINITION = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

export function definitionRef(definition: string): string {
  return `${K8S_SCHEMA_ID}${DEFINITION_PREFIX}${definition}`;
}

/** Custom Ajv keyword checking `x-kubernetes-list-type: map` key uniqueness. */
export const LIST_MAP_KEYS_KEYWORD = 'k8sListMapKeys';

/** What a conversion could not carry over into JSON Schema. */
export interface ConversionNotes {
  /** `x-kubernetes-validations` rules (CEL) seen and not evaluated. */
  celRules: number;
  /** Go regular expressions without a JS equivalent, not evaluated. */
  readonly skippedPatterns: string[];
}

export function emptyNotes(): ConversionNotes {
  return { celRules: 0, skippedPatterns: [] };
}

// ---------------------------------------------------------------------------------------------
// Formats

const IPV4 = fullFormats.ipv4 as RegExp;
const IPV6 = fullFormats.ipv6 as RegExp;

function isCidr(value: string): boolean {
  const slash = value.lastIndexOf('/');
  if (slash < 0) return false;
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(bits)) return false;
  if (IPV4.test(ip)) return Number(bits) <= 32;
  return IPV6.test(ip) && Number(bits) <= 128;
}

/**
 * Formats checked, with the semantics the API server gives them (apiextensions format list) or,
 * for int32/int64/double, the range a Go controller can decode. Everything else is dropped.
 */
export const K8S_FORMATS: Readonly<Record<string, Format>> = {
  'date-time': fullFormats['date-time'],
  datetime: fullFormats['date-time'],
  date: fullFormats.date,
  byte: fullFormats.byte,
  ipv4: IPV4,
  ipv6: IPV6,
  cidr: isCidr,
  // apiextensions: uuid allowing uppercase and optional dashes.
  uuid: /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
  int32: fullFormats.int32,
  int64: fullFormats.int64,
  float: fullFormats.float,
  double: fullFormats.double,
};

// ---------------------------------------------------------------------------------------------
// Patterns

const JS_SYNTAX_CHARACTERS = new Set('^$\\.*+?()[]{}|/'.split(''));

/**
 * RE2 allows escaping any punctuation (`\-`, `\@`) and one-letter Unicode classes (`\pL`, `\PC`);
 * JS in unicode mode (which Ajv uses) does not. Rewrites those; returns undefined when the result
 * still does not compile (e.g. inline flags `(?i)`).
 */
export function goPatternToJs(pattern: string): string | undefined {
  if (compiles(pattern)) return pattern;
  if (pattern.includes('(?i)')) return goPatternToJs(caseInsensitive(pattern.split('(?i)').join('')));
  return rewriteEscapes(pattern);
}

/**
 * JSON Schema patterns have no flags, so RE2's inline `(?i)` becomes letter classes (`a` ->
 * `[aA]`, `[a-z]` -> `[a-zA-Z]`). It is applied to the whole pattern even when Go scopes the
 * flag to a group: more permissive than the API server, never stricter.
 */
function caseInsensitive(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      // Escapes stay as they are, including a whole `\p{Name}` class.
      const end = /^\\[pP]\{/.test(pattern.slice(i)) ? pattern.indexOf('}', i) : i + 1;
      out += pattern.slice(i, (end < 0 ? i + 1 : end) + 1);
      i = end < 0 ? i + 1 : end;
    } else if (c === '[' && !inClass) {
      inClass = true;
      out += c;
    } else if (c === ']' && inClass) {
      inClass = false;
      out += c;
    } else if (/[a-zA-Z]/.test(c) && inClass && pattern[i + 1] === '-' && /[a-zA-Z]/.test(pattern[i + 2] ?? '')) {
      const end = pattern[i + 2] as string;
      out += `${c.toLowerCase()}-${end.toLowerCase()}${c.toUpperCase()}-${end.toUpperCase()}`;
      i += 2;
    } else if (/[a-zA-Z]/.test(c)) {
      const both = `${c.toLowerCase()}${c.toUpperCase()}`;
      out += inClass ? both : `[${both}]`;
    } else {
      out += c;
    }
  }
  return out;
}

function rewriteEscapes(pattern: string): string | undefined {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern[i + 1] as string;
      i++;
      if ((next === 'p' || next === 'P') && /^[A-Za-z]$/.test(pattern[i + 1] ?? '')) {
        out += `\\${next}{${pattern[i + 1]}}`;
        i++;
      } else if (/[!-/:-@[-`{-~]/.test(next) && !JS_SYNTAX_CHARACTERS.has(next) && !(inClass && next === '-')) {
        out += next;
      } else {
        out += `\\${next}`;
      }
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return compiles(out) ? out : undefined;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Shared keyword handling

const COPIED_KEYWORDS = [
  'enum',
  'const',
  'maximum',
  'minimum',
  'maxLength',
  'minLength',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
  'maxProperties',
  'minProperties',
] as const;

function copyValueKeywords(src: JsonObject, out: JsonObject, notes: ConversionNotes): void {
  for (const keyword of COPIED_KEYWORDS) {
    if (keyword in src) out[keyword] = src[keyword];
  }
  // OpenAPI 3.0 (CRDs) writes exclusiveMaximum/Minimum as booleans next to maximum/minimum;
  // JSON Schema draft-06+ wants the bound itself.
  if (src.exclusiveMaximum === true && typeof src.maximum === 'number') {
    out.exclusiveMaximum = src.maximum;
    delete out.maximum;
  }
  if (src.exclusiveMinimum === true && typeof src.minimum === 'number') {
    out.exclusiveMinimum = src.minimum;
    delete out.minimum;
  }
  if (typeof src.pattern === 'string') {
    const pattern = goPatternToJs(src.pattern);
    if (pattern === undefined) notes.skippedPatterns.push(src.pattern);
    else out.pattern = pattern;
  }
  if (typeof src.format === 'string' && src.format in K8S_FORMATS) out.format = src.format;
}

function objectEntries(value: unknown): [string, JsonObject][] {
  if (!isJsonObject(value)) return [];
  return Object.entries(value).filter((entry): entry is [string, JsonObject] => isJsonObject(entry[1]));
}

function schemaList(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/** `anyOf: [{type: integer}, {type: string}]`, the spelling CRDs use for int-or-string. */
function isIntOrStringAnyOf(list: JsonObject[]): boolean {
  const types = list.map((s) => s.type).sort();
  return list.length === 2 && types[0] === 'integer' && types[1] === 'string' && list.every((s) => Object.keys(s).length === 1);
}

// ---------------------------------------------------------------------------------------------
// CRD structural schemas (OpenAPI v3 subset)

/**
 * Converts one node of a CRD's `openAPIV3Schema`. `structural` is false inside value validations
 * (allOf/anyOf/oneOf/not), where nodes only add constraints and never prune.
 */
export function convertCrdNode(src: JsonObject, notes: ConversionNotes, structural = true): JsonObject {
  const out: JsonObject = {};
  const validations = src['x-kubernetes-validations'];
  if (Array.isArray(validations)) notes.celRules += validations.length;

  const intOrString = src['x-kubernetes-int-or-string'] === true;
  const preserveUnknown = src['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = src['x-kubernetes-embedded-resource'] === true;
  const nullable = src.nullable === true;

  let types: string[] | undefined = typeof src.type === 'string' ? [src.type] : undefined;
  if (intOrString) types = ['integer', 'string'];
  if (types && nullable) types.push('null');
  if (types) out.type = types.length === 1 ? types[0] : types;

  copyValueKeywords(src, out, notes);
  if (nullable && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];

  if (src['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;
  const mapKeys = src['x-kubernetes-list-map-keys'];
  if (structural && src['x-kubernetes-list-type'] === 'map' && Array.isArray(mapKeys) && mapKeys.length > 0) {
    out[LIST_MAP_KEYS_KEYWORD] = mapKeys;
  }

  convertCrdChildren(src, out, notes, structural);
  convertCrdCombinators(src, out, notes, intOrString);

  if (embedded) addEmbeddedResourceFields(src, out);
  if (structural && src.type === 'object' && !preserveUnknown && !('additionalProperties' in src)) {
    out.additionalProperties = false;
  }
  return out;
}

function convertCrdChildren(src: JsonObject, out: JsonObject, notes: ConversionNotes, structural: boolean): void {
  const properties = objectEntries(src.properties);
  if (isJsonObject(src.properties)) {
    out.properties = Object.fromEntries(properties.map(([name, child]) => [name, convertCrdNode(child, notes, structural)]));
  }
  if (Array.isArray(src.required)) {
    const defaulted = new Set(properties.filter(([, child]) => 'default' in child).map(([name]) => name));
    const required = src.required.filter((name): name is string => typeof name === 'string' && !defaulted.has(name));
    if (required.length > 0) out.required = required;
  }
  if (isJsonObject(src.items)) out.items = convertCrdNode(src.items, notes, structural);
  if (typeof src.additionalProperties === 'boolean') out.additionalProperties = src.additionalProperties;
  else if (isJsonObject(src.additionalProperties)) out.additionalProperties = convertCrdNode(src.additionalProperties, notes, structural);
}

function convertCrdCombinators(src: JsonObject, out: JsonObject, notes: ConversionNotes, intOrString: boolean): void {
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schemaList(src[keyword]);
    if (list.length === 0) continue;
    // The int-or-string anyOf only restates the type, which `type: [integer, string]` now does.
    if (intOrString && keyword === 'anyOf' && isIntOrStringAnyOf(list)) continue;
    out[keyword] = list.map((branch) => convertCrdNode(branch, notes, false));
  }
  if (isJsonObject(src.not)) out.not = convertCrdNode(src.not, notes, false);
}

/** apiVersion/kind required, metadata validated as ObjectMeta (the API server does both). */
function addEmbeddedResourceFields(src: JsonObject, out: JsonObject): void {
  const properties = isJsonObject(out.properties) ? out.properties : {};
  const srcMetadata = isJsonObject(src.properties) ? src.properties.metadata : undefined;
  out.properties = {
    ...properties,
    apiVersion: { type: 'string', minLength: 1 },
    kind: { type: 'string', minLength: 1 },
    metadata: metadataSchema(srcMetadata, false),
  };
  const required = Array.isArray(out.required) ? out.required : [];
  out.required = [...new Set([...required, 'apiVersion', 'kind'])];
}

/**
 * `metadata` is always ObjectMeta (strict, from the core definitions). A CRD may add constraints
 * (e.g. `name: {maxLength: 63}`); those are kept as an extra value validation.
 */
export function metadataSchema(crdMetadata: unknown, requireName: boolean): JsonObject {
  const parts: JsonObject[] = [{ $ref: definitionRef(OBJECT_META_DEFINITION) }];
  // API objects are applied by name (kubectl/Flux server-side apply); generateName is not usable.
  if (requireName) parts.push({ required: ['name'] });
  if (isJsonObject(crdMetadata) && isJsonObject(crdMetadata.properties)) {
    const notes = emptyNotes();
    const properties = Object.fromEntries(
      objectEntries(crdMetadata.properties).map(([name, child]) => [name, convertCrdNode(child, notes, false)]),
    );
    parts.push({ properties });
  }
  return { allOf: parts };
}

/** The strict schema of a whole custom resource of one served CRD version. */
export function crdObjectSchema(openAPIV3Schema: JsonObject, apiVersion: string, kind: string, notes: ConversionNotes): JsonObject {
  const root = convertCrdNode(openAPIV3Schema, notes, true);
  const properties = isJsonObject(root.properties) ? root.properties : {};
  const rootMetadata = isJsonObject(openAPIV3Schema.properties) ? openAPIV3Schema.properties.metadata : undefined;
  root.type = 'object';
  root.properties = {
    ...properties,
    apiVersion: { const: apiVersion },
    kind: { const: kind },
    metadata: metadataSchema(rootMetadata, true),
  };
  const required = Array.isArray(root.required) ? root.required : [];
  root.required = [...new Set(['apiVersion', 'kind', 'metadata', ...required])];
  return root;
}

// ---------------------------------------------------------------------------------------------
// Core definitions (swagger.json, OpenAPI v2)

/**
 * Definitions holding arbitrary JSON in Go (runtime.RawExtension, apiextensions JSON...). Their
 * swagger entries look like empty objects but the API server keeps whatever they contain.
 */
const OPAQUE_DEFINITIONS = new Set([
  'io.k8s.apimachinery.pkg.runtime.RawExtension',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray',
]);

/** resource.Quantity: a string in canonical quantity syntax, or a plain JSON number. */
const QUANTITY_DEFINITION = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const QUANTITY_PATTERN =
  '^[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))?$';

export function convertSwaggerNode(src: JsonObject, notes: ConversionNotes): JsonObject {
  if (typeof src.$ref === 'string') return { $ref: src.$ref };
  const out: JsonObject = {};
  if (src.type === 'string' && src.format === 'int-or-string') {
    // intstr.IntOrString
    out.type = ['integer', 'string'];
    return out;
  }
  if (typeof src.type === 'string') out.type = src.type;
  copyValueKeywords(src, out, notes);
  if (isJsonObject(src.properties)) {
    out.properties = Object.fromEntries(objectEntries(src.properties).map(([name, child]) => [name, convertSwaggerNode(child, notes)]));
  }
  if (Array.isArray(src.required)) out.required = src.required;
  if (isJsonObject(src.items)) out.items = convertSwaggerNode(src.items, notes);
  if (isJsonObject(src.additionalProperties)) out.additionalProperties = convertSwaggerNode(src.additionalProperties, notes);
  else if (typeof src.additionalProperties === 'boolean') out.additionalProperties = src.additionalProperties;
  // Go structs: fields the struct does not have are dropped (or rejected by strict decoding).
  if (src.type === 'object' && !('additionalProperties' in src)) out.additionalProperties = false;
  return out;
}

/** All swagger definitions converted, as one schema document to register under K8S_SCHEMA_ID. */
export function convertSwaggerDefinitions(definitions: JsonObject, notes: ConversionNotes): JsonObject {
  const converted: JsonObject = {};
  for (const [name, definition] of objectEntries(definitions)) {
    if (OPAQUE_DEFINITIONS.has(name)) converted[name] = {};
    else if (name === QUANTITY_DEFINITION) converted[name] = { type: ['string', 'number'], pattern: QUANTITY_PATTERN };
    else converted[name] = convertSwaggerNode(definition, notes);
  }
  return { $id: K8S_SCHEMA_ID, definitions: converted };
}

/** The strict schema of a whole core object (definition + fixed apiVersion/kind + named metadata). */
export function coreObjectSchema(definition: string, apiVersion: string, kind: string): JsonObject {
  return {
    allOf: [{ $ref: definitionRef(definition) }],
    type: 'object',
    properties: {
      apiVersion: { const: apiVersion },
      kind: { const: kind },
      metadata: { required: ['name'] },
    },
    required: ['apiVersion', 'kind', 'metadata'],
  };
}
