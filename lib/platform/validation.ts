import { ErrorCode, type InfraFluxProblem } from '../core/errors';
import { validateFleetManifests, ValidationRule, type ObjectIssue } from '../validation';
import { SchemaRegistry } from '../validation/schema-registry';
import { UserSchemas, type CrdSource, type UserChart } from '../validation/user-schemas';
import { isJsonObject, type JsonObject } from '../validation/types';
import { allowedFields, allowedHint, allowedValueKeys } from '../validation/allowed-keys';
import type { UpstreamSource } from '../validation/schema-pack';

export { Validation, VALIDATION_EXEMPT_METADATA } from '../validation/exemption';

/** Schemas of your own for {@link FleetValidation}. */
export interface FleetValidationProps {
  /**
   * CustomResourceDefinitions (YAML text or objects) of kinds your fleet emits that no pinned
   * schema serves, e.g. your own operators'.
   * @default - none
   */
  readonly crds?: readonly CrdSource[];
  /**
   * Charts of your own that HelmReleases (e.g. a `FluxApp`) install.
   * @default - none
   */
  readonly charts?: readonly UserChart[];
}

/** A manifest as the fleet's check sees it. */
export interface CheckedManifest {
  readonly file: string;
  readonly object: Record<string, unknown>;
  readonly constructPath: string;
  /** The exemption reason, when the object is exempt. */
  readonly exemption?: string;
}

const RULE_CODES: Readonly<Record<ValidationRule, ErrorCode>> = {
  [ValidationRule.SCHEMA]: ErrorCode.SCHEMA_VIOLATION,
  [ValidationRule.UNKNOWN_KIND]: ErrorCode.UNKNOWN_KIND,
  [ValidationRule.HELM_RELEASE]: ErrorCode.INVALID_HELM_VALUES,
  [ValidationRule.DUPLICATE]: ErrorCode.DUPLICATE,
};

const UNKNOWN_KIND_HINT =
  'register its CRD (new Fleet({ validation: { crds: [CrdSource.fromYaml(...)] } }) or fleet.validation.registerCrd()) or exempt the object with Validation.exempt(object, reason)';
const UNPINNED_CHART_HINT = 'register the chart with fleet.validation.registerChart({ name, version, repository, values })';
const SECRET_HINT =
  'secret values never go into Git: create the Secret with a SealedSecret or an ExternalSecret and reference it (SecretReference.fromSealedSecret() / fromExternalSecret(), SecretKeyReference.fromSecret(), ProviderConfigSecret.fromName())';

/**
 * The validation every `Fleet.manifests()`/`render()`/`synthesize()` runs: the harness of
 * `infraflux/validation` over every object (pinned schema, unknown fields rejected; every
 * HelmRelease's merged values against its pinned chart), plus registered schemas, exemptions and
 * the plaintext-Secret rule.
 */
export class FleetValidation {
  private readonly user = new UserSchemas();

  public constructor(props: FleetValidationProps = {}) {
    for (const crd of props.crds ?? []) this.registerCrd(crd);
    for (const chart of props.charts ?? []) this.registerChart(chart);
  }

  /**
   * Registers one or more CRDs so objects of their kinds validate; returns `apiVersion kind` of
   * every served version registered. Pinned kinds cannot be replaced.
   */
  public registerCrd(crd: CrdSource): string[] {
    return this.user.registerCrd(crd);
  }

  /** Registers a chart of your own so HelmReleases installing it validate. Pinned charts cannot be replaced. */
  public registerChart(chart: UserChart): void {
    this.user.registerChart(chart);
  }

  /** `apiVersion kind` of every registered custom resource version. */
  public get registeredKinds(): string[] {
    return this.user.kinds;
  }

  /** Names of the registered charts. */
  public get registeredCharts(): string[] {
    return this.user.chartNames;
  }

  /** Every problem of the manifests, each with its code, construct path and file. */
  public check(manifests: readonly CheckedManifest[]): InfraFluxProblem[] {
    const problems: InfraFluxProblem[] = manifests.flatMap(plaintextSecret);
    const bySource = new Map(manifests.map((m) => [`dist/${m.file}`, m]));
    const pinned = SchemaRegistry.default();
    const registry = this.user.registry(pinned);
    const cache = this.user.cache(pinned.cache);
    const report = validateFleetManifests(manifests, {
      registry,
      cache,
      skip: (entry) => bySource.get(entry.source)?.exemption !== undefined,
    });
    for (const issue of report.issues) problems.push(toProblem(issue, bySource.get(issue.source), registry, cache));
    return problems;
  }
}

/** `; did you mean ...? allowed here: ...` for an unknown field or value key, when it can be told. */
function allowedSuffix(issue: ObjectIssue, manifest: CheckedManifest | undefined, registry: SchemaRegistry, cache: UpstreamSource): string {
  const unknown = /unknown (?:field|value key) "([^"]*)"/.exec(issue.message);
  if (!unknown || !manifest) return '';
  const key = unknown[1] as string;
  let allowed: string[] = [];
  if (issue.rule === ValidationRule.SCHEMA) {
    const { apiVersion, kind } = manifest.object;
    if (typeof apiVersion === 'string' && typeof kind === 'string') allowed = allowedFields(registry, cache, apiVersion, kind, issue.path);
  } else if (issue.rule === ValidationRule.HELM_RELEASE) {
    const chart = /^chart (\S+) /.exec(issue.message);
    if (chart) allowed = allowedValueKeys(cache, chart[1] as string, issue.path);
  }
  const hint = allowedHint(key, allowed);
  return hint ? `; ${hint}` : '';
}

function toProblem(issue: ObjectIssue, manifest: CheckedManifest | undefined, registry: SchemaRegistry, cache: UpstreamSource): InfraFluxProblem {
  const constructPath = manifest?.constructPath ?? '';
  const file = manifest?.file ?? issue.source;
  let message = issue.message + allowedSuffix(issue, manifest, registry, cache);
  if (issue.rule === ValidationRule.UNKNOWN_KIND) message += `; ${UNKNOWN_KIND_HINT}`;
  else if (issue.rule === ValidationRule.HELM_RELEASE && / is not pinned in upstream\.lock\.json/.test(message)) message += `; ${UNPINNED_CHART_HINT}`;
  const what = issue.object.replace(/ \(dist\/[^)]*\)$/, '');
  return {
    code: RULE_CODES[issue.rule],
    constructPath,
    file,
    message: `[${constructPath}] ${file}: ${what}: ${issue.path || '/'}: ${message}`,
  };
}

function nonEmptyKeys(value: unknown): string[] {
  return isJsonObject(value) ? Object.keys(value as JsonObject).sort() : [];
}

function plaintextSecret(m: CheckedManifest): InfraFluxProblem[] {
  if (m.object.apiVersion !== 'v1' || m.object.kind !== 'Secret') return [];
  const fields = (['data', 'stringData'] as const).filter((f) => nonEmptyKeys(m.object[f]).length > 0);
  if (fields.length === 0) return [];
  const meta = isJsonObject(m.object.metadata) ? m.object.metadata : {};
  const id = `${typeof meta.namespace === 'string' ? `${meta.namespace}/` : ''}${String(meta.name)}`;
  const detail = fields.map((f) => `${f} (keys: ${nonEmptyKeys(m.object[f]).join(', ')})`).join(' and ');
  return [{
    code: ErrorCode.PLAINTEXT_SECRET,
    constructPath: m.constructPath,
    file: m.file,
    message: `[${m.constructPath}] ${m.file}: Secret ${id}: /${fields[0]}: carries ${detail} in plain text; ${SECRET_HINT}`,
  }];
}
