import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { ErrorCode, InfraFluxError } from '../core/errors';
import { UpstreamCache } from '../upstream/lock';
import { parseVersion } from '../versions/_semver';
import { VersionSet } from '../versions/version-set';

/**
 * Path (in the upstream cache) of the Talos machine-config schema of Talos `talosVersion`:
 * `talos/v<major>.<minor>/config.schema.json` (Talos publishes one schema per minor).
 */
export function talosConfigSchemaPath(talosVersion: string = VersionSet.pinned().talos): string {
  const v = parseVersion(talosVersion);
  if (!v) throw new InfraFluxError(ErrorCode.INVALID_PROP, 'talos-schema', `Talos version "${talosVersion}" is not an exact version; use e.g. v1.12.11`);
  return `talos/v${v.major}.${v.minor}/config.schema.json`;
}

/** The pinned Talos machine-config schema every generated patch must satisfy (of `VersionSet.pinned().talos`). */
export const TALOS_CONFIG_SCHEMA_PATH = talosConfigSchemaPath();

const compiled = new Map<string, { cache: UpstreamCache; validate: ValidateFunction }>();

function validator(cache: UpstreamCache, path: string): ValidateFunction {
  const hit = compiled.get(path);
  if (hit?.cache === cache) return hit.validate;
  const schema = JSON.parse(cache.read(path)) as Record<string, unknown>;
  if (schema.$schema !== 'https://json-schema.org/draft/2020-12/schema') {
    throw new InfraFluxError(ErrorCode.INVALID_PROP, `upstream/${path}`, `declares $schema ${String(schema.$schema)}; InfraFlux validates Talos patches with JSON Schema 2020-12 only`);
  }
  // $schema only picks the dialect (Ajv2020); strict off: the schema carries editor keywords
  // (markdownDescription, x-intellij-html-description).
  const { $schema: _dialect, ...body } = schema;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(body);
  compiled.set(path, { cache, validate });
  return validate;
}

/**
 * Validates one Talos config document (a strategic merge patch: a partial v1alpha1 document, or a
 * whole document of another kind such as `Layer2VIPConfig`) against the config schema of
 * `talosVersion` (default: the pinned Talos), read through the verified upstream cache. Returns the problems, empty when valid.
 *
 * A v1alpha1 patch has no apiVersion/kind, so of the schema's `oneOf` only `v1alpha1.Config`
 * (no required fields, no unknown fields) can match it.
 */
export function validateTalosDocument(document: unknown, cache: UpstreamCache = UpstreamCache.default(), talosVersion?: string): string[] {
  const { document: checked, problems: endpointProblems } = loggingEndpointsChecked(document);
  if (endpointProblems.length > 0) return endpointProblems;
  document = checked;
  const validate = validator(cache, talosConfigSchemaPath(talosVersion));
  if (validate(document)) return [];
  const problems = (validate.errors ?? [])
    .filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'const' && e.keyword !== 'required')
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`)
    .filter((m, i, all) => all.indexOf(m) === i);
  return problems.length > 0 ? problems : ['does not match any document of the Talos config schema'];
}

/**
 * `machine.logging.destinations[].endpoint` is a URL string in Talos (`tcp://127.0.0.1:6051/`; the
 * Go type `v1alpha1.Endpoint` wraps `*url.URL` and marshals to its string), but the generated
 * v1.12/v1.13 schemas describe it as an object without properties, which no real config matches.
 * InfraFlux checks the string itself (tcp:// or udp://, host and port) and hands the schema the
 * shape it expects; every other field is validated as usual (decision 0085).
 * @see https://docs.siderolabs.com/talos/v1.13/configure-your-talos-cluster/logging-and-telemetry/logging
 */
function loggingEndpointsChecked(document: unknown): { document: unknown; problems: string[] } {
  const machine = (document as { machine?: { logging?: { destinations?: unknown } } } | null)?.machine;
  const destinations = machine?.logging?.destinations;
  if (!Array.isArray(destinations)) return { document, problems: [] };
  const problems: string[] = [];
  const replaced = destinations.map((d: unknown, i: number) => {
    const endpoint = (d as { endpoint?: unknown } | null)?.endpoint;
    if (typeof endpoint !== 'string') return d;
    if (!/^(tcp|udp):\/\/[^\s/:]+:\d{1,5}\/?$/.test(endpoint)) problems.push(`/machine/logging/destinations/${i}/endpoint "${endpoint}" must be tcp://<host>:<port>/ or udp://<host>:<port>/`);
    return { ...(d as object), endpoint: {} };
  });
  const copy = { ...(document as object), machine: { ...machine, logging: { ...machine!.logging, destinations: replaced } } };
  return { document: copy, problems };
}

/** A Talos patch that failed validation, with where it was found. */
export interface TalosPatchIssue {
  readonly file: string;
  readonly patchIndex: number;
  readonly problems: readonly string[];
}

/**
 * Validates every `strategicPatches` entry of every TalosControlPlane and TalosConfigTemplate in a
 * synthesized manifest set against the pinned Talos config schema. Returns the count checked and
 * the failures.
 */
export function validateTalosPatchesInManifests(
  manifests: ReadonlyArray<{ readonly file: string; readonly object: Record<string, unknown> }>,
  cache: UpstreamCache = UpstreamCache.default(),
): { checked: number; issues: TalosPatchIssue[] } {
  const issues: TalosPatchIssue[] = [];
  let checked = 0;
  for (const m of manifests) {
    const kind = m.object.kind;
    const spec = m.object.spec as { controlPlaneConfig?: { controlplane?: { strategicPatches?: unknown } }; template?: { spec?: { strategicPatches?: unknown } } } | undefined;
    let patches: unknown;
    if (kind === 'TalosControlPlane') patches = spec?.controlPlaneConfig?.controlplane?.strategicPatches;
    else if (kind === 'TalosConfigTemplate') patches = spec?.template?.spec?.strategicPatches;
    if (!Array.isArray(patches)) continue;
    patches.forEach((text, patchIndex) => {
      checked++;
      const problems = validateTalosDocument(parse(String(text)), cache);
      if (problems.length > 0) issues.push({ file: m.file, patchIndex, problems });
    });
  }
  return { checked, issues };
}
