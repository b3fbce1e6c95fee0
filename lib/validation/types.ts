import { parseAllDocuments, type Tags } from 'yaml';
import { ErrorCode, InfraFluxError } from '../core/errors';

/** One problem found in a synthesized object (or in the Helm values a HelmRelease renders with). */
export interface ValidationIssue {
  /** Which object, e.g. `HelmRelease flux-system/cert-manager (dist/mgmt/flux-system.yaml)`. */
  readonly object: string;
  /**
   * JSON pointer (RFC 6901) of the offending value: inside the object for schema issues
   * (`/spec/install/remediation/retries`), inside the Helm values for chart issues (`/crds/enabled`).
   * `''` means the whole object.
   */
  readonly path: string;
  /** What is wrong, naming the unknown key, the missing property or the expected type. */
  readonly message: string;
}

/** A synthesized object and where it came from (an output file, a construct path, a fixture...). */
export interface SourcedObject {
  readonly source: string;
  readonly object: unknown;
}

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a string property, `undefined` when absent or not a string. */
export function stringField(obj: unknown, key: string): string | undefined {
  if (!isJsonObject(obj)) return undefined;
  const value = obj[key];
  return typeof value === 'string' ? value : undefined;
}

/** Follows a chain of object keys, `undefined` as soon as one step is not an object. */
export function field(obj: unknown, ...keys: string[]): unknown {
  let current: unknown = obj;
  for (const key of keys) {
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Escapes one JSON pointer reference token (RFC 6901: `~` -> `~0`, `/` -> `~1`). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(base: string, token: string | number): string {
  return `${base}/${escapePointerToken(String(token))}`;
}

/** `Kind namespace/name (source)`: how issues name an object. */
export function describeObject(obj: unknown, source?: string): string {
  const kind = stringField(obj, 'kind') ?? '<no kind>';
  const name = stringField(field(obj, 'metadata'), 'name') ?? '<no name>';
  const namespace = stringField(field(obj, 'metadata'), 'namespace');
  const id = namespace ? `${namespace}/${name}` : name;
  return source ? `${kind} ${id} (${source})` : `${kind} ${id}`;
}

/** One line per issue, for logs and test output: `object: path: message`. */
export function formatIssue(issue: ValidationIssue): string {
  return `${issue.object}: ${issue.path || '/'}: ${issue.message}`;
}

/** Short JSON rendering of a value for messages (long values are cut). */
export function preview(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** JSON type name as JSON Schema uses it (`integer` for whole numbers). */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * Tags of the YAML 1.1 schema that go-yaml v2 (used through sigs.k8s.io/yaml by kubectl, Helm and
 * Flux) does not apply when decoding into `interface{}`: timestamps stay strings there, and
 * sexagesimal numbers (`8080:80`) are not numbers at all.
 */
function goYamlTags(tags: Tags): Tags {
  return tags.filter((tag) => {
    if (typeof tag !== 'object') return true;
    if (tag.tag === 'tag:yaml.org,2002:timestamp') return false;
    return (tag as { format?: string }).format !== 'TIME';
  });
}

/**
 * Parses a (multi-document) YAML text the way Helm, Flux and kubectl read it: YAML 1.1 scalars
 * (`yes`/`on` are booleans, `0777` is octal, `<<` merge keys work), timestamps kept as strings.
 * Empty documents are dropped. Throws on syntax errors and duplicate keys, like go-yaml does.
 */
export function parseYamlDocuments(text: string, what: string): unknown[] {
  const docs = parseAllDocuments(text, { version: '1.1', customTags: goYamlTags });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: unknown[] = [];
  for (const doc of list) {
    if (doc.errors.length > 0) throw new InfraFluxError(ErrorCode.YAML_PARSE, what, doc.errors[0]?.message ?? 'invalid YAML');
    const value: unknown = doc.toJS({ maxAliasCount: -1 });
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/** A single-document YAML text (a values.yaml); `{}` for an empty document. */
export function parseYamlDocument(text: string, what: string): unknown {
  const docs = parseYamlDocuments(text, what);
  if (docs.length > 1) throw new InfraFluxError(ErrorCode.YAML_PARSE, what, `expected one YAML document, found ${docs.length}`);
  return docs[0] ?? {};
}
