import { SchemaRegistry, parseApiVersion } from './schema-registry';
import { describeObject, isJsonObject, stringField, type ValidationIssue } from './types';

/**
 * Validates one synthesized object (plain JSON as `ApiObject.toJson()` gives it) against its
 * pinned schema. An object whose apiVersion/kind no pinned schema serves is an issue too:
 * nothing is skipped silently.
 *
 * Not checked (see schema-registry / k8s-schema): CEL rules (`x-kubernetes-validations`), Go
 * validation code of core kinds beyond their OpenAPI schema (name formats, cross-field rules).
 */
export function validateObject(obj: unknown, source?: string, registry: SchemaRegistry = SchemaRegistry.default()): ValidationIssue[] {
  const object = describeObject(obj, source);
  if (!isJsonObject(obj)) return [{ object, path: '', message: 'not a JSON object' }];
  const apiVersion = stringField(obj, 'apiVersion');
  const kind = stringField(obj, 'kind');
  if (!apiVersion || !kind) {
    const missing = !apiVersion ? 'apiVersion' : 'kind';
    return [{ object, path: `/${missing}`, message: `missing required field "${missing}"` }];
  }
  const compiled = registry.compile(apiVersion, kind);
  if (!compiled) return [{ object, path: '', message: noSchemaMessage(apiVersion, kind, registry) }];
  return compiled.validate(obj).map((error) => ({ object, path: error.path, message: error.message }));
}

function noSchemaMessage(apiVersion: string, kind: string, registry: SchemaRegistry): string {
  const { group } = parseApiVersion(apiVersion);
  const served = registry.servedVersions(group, kind);
  const hint = served.length > 0 ? ` (pinned versions of ${kind}: ${served.map((v) => (group ? `${group}/${v}` : v)).join(', ')})` : '';
  return `no pinned schema for ${apiVersion} ${kind}${hint}`;
}
