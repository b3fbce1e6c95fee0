/**
 * The validation-exemption marker: a reason recorded on an object's construct metadata. It sits in
 * lib/validation (low in the layers) so constructs of any folder can exempt their objects without
 * importing lib/platform; lib/platform/validation.ts re-exports it and honours it at synth.
 */
import { ApiObject } from 'cdk8s';
import { ErrorCode, InfraFluxError } from '../core/errors';

/** Construct metadata type under which {@link Validation.exempt} records its reason. */
export const VALIDATION_EXEMPT_METADATA = 'infraflux:validation-exempt';

const MIN_REASON_LENGTH = 10;

/**
 * Per-object control of synth-time validation. Every object a {@link Fleet} synthesizes is
 * validated against its pinned (or registered) schema; an object that cannot be (e.g. a kind whose
 * CRD you cannot register) must say so explicitly, with a reason that ends up in its output file.
 */
export class Validation {
  /**
   * Skips schema and Helm-chart validation of `object` at synth. The reason is written into the
   * object's file header (`# Not validated at synth: <reason>`) and listed by `Fleet.synthesize()`.
   * A plaintext Secret is refused even when exempt.
   * @param reason why the object cannot be validated, at least 10 characters
   */
  public static exempt(object: ApiObject, reason: string): void {
    if (!(object instanceof ApiObject)) {
      throw new InfraFluxError(ErrorCode.INVALID_PROP, 'validation', 'Validation.exempt() takes an ApiObject (use ApiObject.of(construct) for a construct\'s primary object)');
    }
    const text = reason.trim().replace(/\s+/g, ' ');
    if (text.length < MIN_REASON_LENGTH) {
      throw new InfraFluxError(ErrorCode.INVALID_PROP, object, `Validation.exempt() reason "${reason}" is too short; say in at least ${MIN_REASON_LENGTH} characters why this object cannot be validated`);
    }
    if (Validation.exemptionOf(object) !== undefined) {
      throw new InfraFluxError(ErrorCode.DUPLICATE, object, 'is already exempt from validation; give one reason');
    }
    object.node.addMetadata(VALIDATION_EXEMPT_METADATA, text);
  }

  /** The reason `object` is exempt from validation, or undefined when it is validated. */
  public static exemptionOf(object: ApiObject): string | undefined {
    const entry = object.node.metadata.find((m) => m.type === VALIDATION_EXEMPT_METADATA);
    return entry === undefined ? undefined : String(entry.data);
  }
}
