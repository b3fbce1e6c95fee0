/** @internal Plain-object check used by the deep merge. */
function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * @internal Helm-style deep merge: maps merge key by key, lists and scalars from `override`
 * replace those of `base`. Neither input is modified.
 */
export function deepMerge<T extends object>(base: T, override: object | undefined): T {
  if (!override) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out as T;
}
