import type { UpstreamSource } from './schema-pack';
import { ObjectIndex, isHelmRelease, validateHelmRelease } from './helm-values';
import { validateObject } from './manifest-validator';
import { SchemaRegistry, parseApiVersion } from './schema-registry';
import { describeObject, field, stringField, type SourcedObject, type ValidationIssue } from './types';

/** Which check of {@link validateObjects} found an issue: stable, for callers that map issues to error codes. */
export enum ValidationRule {
  /** The object does not validate against its pinned (or registered) schema. */
  SCHEMA = 'schema',
  /** No pinned or registered schema serves the object's apiVersion/kind (or it has none). */
  UNKNOWN_KIND = 'unknown-kind',
  /** A HelmRelease's chart or merged values do not validate against the pinned chart. */
  HELM_RELEASE = 'helm-release',
  /** The same object (group, kind, namespace, name) is defined twice in the set. */
  DUPLICATE = 'duplicate',
}

/** An issue of a validated object set: which object (its source) and which rule found it. */
export interface ObjectIssue extends ValidationIssue {
  /** `SourcedObject.source` of the object the issue is about. */
  readonly source: string;
  readonly rule: ValidationRule;
}

export interface ValidationReport {
  readonly issues: ObjectIssue[];
  readonly objectsValidated: number;
  readonly helmReleasesValidated: number;
  /**
   * CEL rules (`x-kubernetes-validations`) in the schemas used, which were NOT evaluated; counted
   * once per distinct apiVersion/kind.
   */
  readonly celRulesNotEvaluated: number;
}

export interface ValidateObjectsOptions {
  readonly registry?: SchemaRegistry;
  /** Where chart values and schemas come from: the repository's verified cache or the shipped schema pack. */
  readonly cache?: UpstreamSource;
  /**
   * Objects not validated (neither schema nor chart), e.g. those exempted with a reason. They
   * still count as part of the set (a HelmRelease may read their values) and as validated.
   * @default - none
   */
  readonly skip?: (entry: SourcedObject) => boolean;
}

/**
 * Validates a synthesized object set: every object against its pinned schema, every Flux
 * HelmRelease against its pinned chart (with the ConfigMaps/Secrets/sources of the same set), and
 * that no object is defined twice.
 */
export function validateObjects(objects: readonly SourcedObject[], options: ValidateObjectsOptions = {}): ValidationReport {
  const registry = options.registry ?? SchemaRegistry.default();
  const cache = options.cache ?? registry.cache;
  const index = new ObjectIndex(objects);
  const issues: ObjectIssue[] = [];
  const celByKind = new Map<string, number>();
  let helmReleasesValidated = 0;
  issues.push(...duplicateObjects(objects));
  const tag = (entry: SourcedObject, rule: ValidationRule) => (issue: ValidationIssue): ObjectIssue => ({ ...issue, source: entry.source, rule });
  for (const entry of objects) {
    if (options.skip?.(entry)) continue;
    const apiVersion = stringField(entry.object, 'apiVersion');
    const kind = stringField(entry.object, 'kind');
    const known = apiVersion !== undefined && kind !== undefined && registry.compile(apiVersion, kind) !== undefined;
    issues.push(...validateObject(entry.object, entry.source, registry).map(tag(entry, known ? ValidationRule.SCHEMA : ValidationRule.UNKNOWN_KIND)));
    countCelRules(entry.object, registry, celByKind);
    if (isHelmRelease(entry.object)) {
      issues.push(...validateHelmRelease(entry, index, cache).map(tag(entry, ValidationRule.HELM_RELEASE)));
      helmReleasesValidated++;
    }
  }
  const celRulesNotEvaluated = [...celByKind.values()].reduce((a, b) => a + b, 0);
  return { issues, objectsValidated: objects.length, helmReleasesValidated, celRulesNotEvaluated };
}

/**
 * Two objects with the same API group, kind, namespace and name are one object on the cluster:
 * the later apply silently overwrites the earlier one.
 */
function duplicateObjects(objects: readonly SourcedObject[]): ObjectIssue[] {
  const seen = new Map<string, string>();
  const issues: ObjectIssue[] = [];
  for (const entry of objects) {
    const apiVersion = stringField(entry.object, 'apiVersion');
    const kind = stringField(entry.object, 'kind');
    const name = stringField(field(entry.object, 'metadata'), 'name');
    if (!apiVersion || !kind || !name) continue;
    const namespace = stringField(field(entry.object, 'metadata'), 'namespace') ?? '';
    const key = `${parseApiVersion(apiVersion).group}/${kind}/${namespace}/${name}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, entry.source);
    else issues.push({ object: describeObject(entry.object, entry.source), path: '/metadata/name', message: `duplicate object: ${kind} ${namespace ? `${namespace}/` : ''}${name} is also defined in ${first}`, source: entry.source, rule: ValidationRule.DUPLICATE });
  }
  return issues;
}

function countCelRules(obj: unknown, registry: SchemaRegistry, celByKind: Map<string, number>): void {
  const typed = obj as { apiVersion?: unknown; kind?: unknown } | null;
  if (!typed || typeof typed.apiVersion !== 'string' || typeof typed.kind !== 'string') return;
  const key = `${typed.apiVersion}/${typed.kind}`;
  if (celByKind.has(key)) return;
  celByKind.set(key, registry.compile(typed.apiVersion, typed.kind)?.celRulesIgnored ?? 0);
}
