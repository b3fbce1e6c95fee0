import { isJsonObject, type JsonObject } from './types';

/**
 * The two merge steps a Flux HelmRelease's values go through before Helm renders the chart.
 *
 * 1. Flux (helm-controller) merges `spec.valuesFrom` entries in order, then `spec.values` on top,
 *    with `MergeMaps`: maps are merged key by key, anything else (scalars, lists, null) replaces.
 * 2. Helm coalesces the result with the chart's values.yaml: the user's values win, maps are
 *    merged, lists and scalars are replaced, and a user `null` deletes the key from the chart's
 *    defaults (`--set foo=null` semantics). A user null for a key the defaults do not have stays.
 */

export function deepClone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Flux's MergeMaps: `override` on top of `base`; neither input is modified. */
export function mergeFluxValues(base: JsonObject, override: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const existing = out[key];
    out[key] = isJsonObject(value) && isJsonObject(existing) ? mergeFluxValues(existing, value) : deepClone(value);
  }
  return out;
}

/** Helm's CoalesceValues for a chart without dependencies; neither input is modified. */
export function coalesceHelmValues(defaults: JsonObject, user: JsonObject): JsonObject {
  const out = deepClone(user);
  coalesceInto(out, defaults);
  return out;
}

function coalesceInto(dst: JsonObject, src: JsonObject): void {
  for (const [key, srcValue] of Object.entries(src)) {
    if (!(key in dst)) {
      dst[key] = deepClone(srcValue);
      continue;
    }
    const dstValue = dst[key];
    if (dstValue === null) delete dst[key];
    else if (isJsonObject(dstValue) && isJsonObject(srcValue)) coalesceInto(dstValue, srcValue);
    // Otherwise the user's value wins, also when the types differ (Helm only logs a warning).
  }
}

/**
 * Helm `--set` value typing (strvals `typedVal`), which Flux applies to a `valuesFrom` value
 * merged at a `targetPath` unless `literal: true`.
 */
export function typedSetValue(raw: string): unknown {
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (raw === '0') return 0;
  if (raw.length > 0 && raw[0] !== '0' && /^[+-]?[0-9]+$/.test(raw)) {
    const n = Number(raw);
    if (Number.isSafeInteger(n)) return n;
  }
  return raw;
}

/**
 * Splits a Flux `targetPath` (Helm `--set` key syntax) into keys: dots separate keys, `\.` is a
 * literal dot. List indexes (`a[0]`) are not supported here: returns undefined for them.
 */
export function parseTargetPath(path: string): string[] | undefined {
  const keys: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i] as string;
    if (c === '\\' && path[i + 1] === '.') {
      current += '.';
      i++;
    } else if (c === '.') {
      keys.push(current);
      current = '';
    } else if (c === '[' || c === ']') {
      return undefined;
    } else {
      current += c;
    }
  }
  keys.push(current);
  return keys.every((k) => k.length > 0) ? keys : undefined;
}

/** `{a: {b: value}}` for keys [a, b]. */
export function nestAt(keys: readonly string[], value: unknown): JsonObject {
  let out: unknown = value;
  for (let i = keys.length - 1; i >= 0; i--) out = { [keys[i] as string]: out };
  return out as JsonObject;
}

/** The value at a JSON pointer path in nested maps, and whether it exists. */
export function valueAtPointer(root: unknown, pointer: string): { found: boolean; value?: unknown } {
  if (pointer === '') return { found: true, value: root };
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current) && /^\d+$/.test(token) && Number(token) < current.length) current = current[Number(token)];
    else if (isJsonObject(current) && token in current) current = current[token];
    else return { found: false };
  }
  return { found: true, value: current };
}
