import { SchemaPack, type UpstreamSource } from './schema-pack';
import { valueAtPointer } from './helm-merge';
import type { SchemaRegistry } from './schema-registry';
import { field, isJsonObject, parseYamlDocument, parseYamlDocuments, stringField, type JsonObject } from './types';

/**
 * "What is allowed" for an unknown field or value key: the keys the pinned schema (or the chart's
 * values.yaml) declares next to it, best match first. Best effort, for messages only: it reads the
 * raw pinned files, and answers undefined when it cannot (a registered kind, a file the source
 * does not hold).
 */

const MAX_SHOWN = 12;

function tokens(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const row = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (x[i - 1] === y[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[y.length] as number;
}

/** `did you mean "relay"? allowed here: a, b, c, ...` for an unknown `key` among `allowed`. */
export function allowedHint(key: string, allowed: readonly string[]): string | undefined {
  if (allowed.length === 0) return undefined;
  const sorted = [...new Set(allowed)].sort();
  const best = sorted.map((k) => ({ k, d: distance(key, k) })).sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))[0];
  const guess = best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? `did you mean "${best.k}"? ` : '';
  const shown = sorted.slice(0, MAX_SHOWN).join(', ') + (sorted.length > MAX_SHOWN ? `, ... (${sorted.length} keys)` : '');
  return `${guess}allowed here: ${shown}`;
}

/** Keys a CRD/core schema node declares, following `$ref`s of swagger definitions. */
function schemaAt(root: JsonObject, path: readonly string[], definitions: JsonObject | undefined): JsonObject | undefined {
  let node: unknown = root;
  const deref = (n: unknown): unknown => {
    let current = n;
    for (let i = 0; i < 16 && isJsonObject(current) && typeof current.$ref === 'string' && definitions; i++) {
      current = definitions[current.$ref.replace('#/definitions/', '')];
    }
    return current;
  };
  for (const token of path) {
    node = deref(node);
    if (!isJsonObject(node)) return undefined;
    if (/^\d+$/.test(token) && isJsonObject(node.items)) node = node.items;
    else if (isJsonObject(node.properties) && isJsonObject(node.properties[token])) node = node.properties[token];
    else if (isJsonObject(node.additionalProperties)) node = node.additionalProperties;
    else return undefined;
  }
  node = deref(node);
  return isJsonObject(node) ? node : undefined;
}

function propertyKeys(node: JsonObject | undefined): string[] {
  return node && isJsonObject(node.properties) ? Object.keys(node.properties) : [];
}

/** Allowed fields next to the unknown field at `pointer` of an object of apiVersion/kind. */
export function allowedFields(registry: SchemaRegistry, cache: UpstreamSource, apiVersion: string, kind: string, pointer: string): string[] {
  try {
    const pinned = registry.find(apiVersion, kind);
    if (!pinned) return [];
    const parent = tokens(pointer).slice(0, -1);
    if (cache instanceof SchemaPack) {
      // The shipped pack holds converted schemas (and the core definitions) rather than the files.
      // Its core document is `{ $id, definitions }` (convertSwaggerDefinitions).
      const definitions = field(cache.data.kubernetes.definitions, 'definitions');
      if (pinned.origin === 'kubernetes' && pinned.definition) {
        if (!isJsonObject(definitions)) return [];
        const root = definitions[pinned.definition];
        return isJsonObject(root) ? propertyKeys(schemaAt(root, parent, definitions)) : [];
      }
      const crd = cache.data.crds.find((c) => c.apiVersion === apiVersion && c.kind === kind && c.file === pinned.file);
      return crd?.schema ? propertyKeys(schemaAt(crd.schema, parent, undefined)) : [];
    }
    if (pinned.origin === 'kubernetes' && pinned.definition) {
      const definitions = field(JSON.parse(cache.read(pinned.file)), 'definitions');
      if (!isJsonObject(definitions)) return [];
      const root = definitions[pinned.definition];
      return isJsonObject(root) ? propertyKeys(schemaAt(root, parent, definitions)) : [];
    }
    const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
    for (const doc of parseYamlDocuments(cache.read(pinned.file), pinned.file)) {
      if (stringField(field(doc, 'spec', 'names'), 'kind') !== kind) continue;
      const versions = field(doc, 'spec', 'versions');
      const entry = Array.isArray(versions) ? versions.find((v) => isJsonObject(v) && v.name === version) : undefined;
      const root = field(entry, 'schema', 'openAPIV3Schema');
      const keys = isJsonObject(root) ? propertyKeys(schemaAt(root, parent, undefined)) : [];
      // Every object has apiVersion/kind/metadata, even where the CRD does not spell them out.
      return parent.length === 0 ? [...new Set([...keys, 'apiVersion', 'kind', 'metadata'])] : keys;
    }
    return [];
  } catch {
    return [];
  }
}

/** Allowed value keys next to the unknown key at `pointer` of chart `chartName`'s values. */
export function allowedValueKeys(cache: UpstreamSource, chartName: string, pointer: string): string[] {
  try {
    const chart = cache.chart(chartName);
    const parent = '/' + tokens(pointer).slice(0, -1).map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
    const parentPointer = parent === '/' ? '' : parent;
    const keys = new Set<string>();
    const packed = cache instanceof SchemaPack ? cache.data.charts[chartName] : undefined;
    const read = (path: string): string => (cache instanceof SchemaPack ? (packed?.schemaText ?? '{}') : cache.read(path));
    const defaults = packed ? packed.yaml[chart.valuesPath] : parseYamlDocument(read(chart.valuesPath), chart.valuesPath);
    const at = valueAtPointer(defaults, parentPointer);
    if (at.found && isJsonObject(at.value)) for (const k of Object.keys(at.value)) keys.add(k);
    if (chart.schemaPath) {
      const schema: unknown = JSON.parse(read(chart.schemaPath));
      const node = isJsonObject(schema) ? schemaAt(schema, tokens(parentPointer), isJsonObject(schema.definitions) ? schema.definitions : undefined) : undefined;
      for (const k of propertyKeys(node)) keys.add(k);
    }
    return [...keys];
  } catch {
    return [];
  }
}
