import type { ErrorObject } from 'ajv';
import { LIST_MAP_KEYS_KEYWORD, QUANTITY_PATTERN } from './k8s-schema';
import { joinPointer, jsonTypeOf, preview } from './types';

/** One schema violation: JSON pointer into the validated value and a readable message. */
export interface SchemaError {
  readonly path: string;
  readonly message: string;
}

/**
 * Turns Ajv errors (collected with `allErrors` and `verbose`) into path + message pairs:
 * - unknown keys and missing required properties point at the key itself and name it;
 * - errors from the branches of an `anyOf`/`oneOf` are folded into one error for the
 *   combinator, instead of one misleading error per alternative;
 * - `if` errors are dropped (the `then`/`else` errors say what is wrong);
 * - duplicates are removed.
 */
export function describeAjvErrors(errors: readonly ErrorObject[] | null | undefined): SchemaError[] {
  if (!errors || errors.length === 0) return [];
  const branchErrors = new Map<string, ErrorObject[]>();
  const topLevel: ErrorObject[] = [];
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    const combinator = enclosingCombinator(error.schemaPath);
    if (combinator !== undefined) {
      const list = branchErrors.get(combinator) ?? [];
      list.push(error);
      branchErrors.set(combinator, list);
    } else {
      topLevel.push(error);
    }
  }
  const out: SchemaError[] = [];
  const seen = new Set<string>();
  for (const error of topLevel) {
    const described = isCombinator(error)
      ? describeCombinator(error, branchErrors.get(error.schemaPath) ?? [])
      : describeError(error);
    const key = `${described.path}\u0000${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(described);
  }
  return out;
}

/** Schema path of the outermost anyOf/oneOf whose branch produced this error, if any. */
function enclosingCombinator(schemaPath: string): string | undefined {
  const match = /\/(anyOf|oneOf)\/\d+(\/|$)/.exec(schemaPath);
  return match ? schemaPath.slice(0, match.index + match[1]!.length + 1) : undefined;
}

function isCombinator(error: ErrorObject): boolean {
  return error.keyword === 'anyOf' || error.keyword === 'oneOf';
}

function describeCombinator(error: ErrorObject, branches: readonly ErrorObject[]): SchemaError {
  const passing = (error.params as { passingSchemas?: unknown }).passingSchemas;
  if (error.keyword === 'oneOf' && Array.isArray(passing)) {
    return { path: error.instancePath, message: `matches more than one of the alternatives (oneOf ${passing.join(', ')})` };
  }
  const details = [...new Set(branches.map((b) => {
    const d = describeError(b);
    const relative = d.path.startsWith(error.instancePath) ? d.path.slice(error.instancePath.length) : d.path;
    return relative ? `${relative}: ${d.message}` : d.message;
  }))];
  const shown = details.slice(0, 4).join(' | ');
  const more = details.length > 4 ? ` | ... (${details.length - 4} more)` : '';
  const which = error.keyword === 'oneOf' ? 'exactly one' : 'at least one';
  return { path: error.instancePath, message: `must match ${which} of the allowed alternatives: ${shown}${more}` };
}

function describeError(error: ErrorObject): SchemaError {
  const params = error.params as Record<string, unknown>;
  const path = error.instancePath;
  const got = `got ${preview(error.data)}`;
  switch (error.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(params.additionalProperty ?? params.unevaluatedProperty);
      return { path: joinPointer(path, key), message: `unknown field "${key}" (not in the pinned schema)` };
    }
    case 'required':
      return {
        path: joinPointer(path, String(params.missingProperty)),
        message: `missing required field "${String(params.missingProperty)}"`,
      };
    case LIST_MAP_KEYS_KEYWORD:
      return { path, message: error.message ?? 'duplicate entry' };
    case 'false schema':
      return { path, message: 'field is not allowed here' };
    case 'type':
      return { path, message: `must be ${String(params.type).split(',').join(' or ')}, got ${jsonTypeOf(error.data)} ${preview(error.data)}` };
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
      const list = allowed.slice(0, 12).map(preview).join(', ') + (allowed.length > 12 ? ', ...' : '');
      return { path, message: `must be one of ${list}; ${got}` };
    }
    case 'const':
      return { path, message: `must be ${preview(params.allowedValue)}; ${got}` };
    case 'pattern':
      if (params.pattern === QUANTITY_PATTERN) {
        return { path, message: `${preview(error.data)} is not a valid quantity (e.g. 512Mi, 2Gi, 500m, 1.5)` };
      }
      return { path, message: `${preview(error.data)} does not match pattern ${String(params.pattern)}` };
    case 'format':
      return { path, message: `${preview(error.data)} is not a valid ${String(params.format)}` };
    default:
      return { path, message: `${error.message ?? error.keyword}; ${got}` };
  }
}
