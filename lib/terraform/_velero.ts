/** @internal Checks shared by the Velero storage constructs (./velero-*-storage.ts). */
import { IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { VeleroServiceAccountProps } from './velero-storage';

/** The namespace and service account Velero runs as, and the token subject trust policies bind to. */
export function subject(scope: IConstruct, props: VeleroServiceAccountProps): { namespace: string; serviceAccount: string; sub: string } {
  const namespace = props.namespace ?? 'velero';
  const serviceAccount = props.serviceAccount ?? 'velero';
  if (namespace === '') invalidProp(scope, 'namespace "" is empty; give the namespace Velero runs in, e.g. velero');
  if (serviceAccount === '') invalidProp(scope, 'serviceAccount "" is empty; give the Velero server service account, e.g. velero');
  validateDnsLabel(scope, 'namespace', namespace);
  validateDnsSubdomain(scope, 'serviceAccount', serviceAccount);
  return { namespace, serviceAccount, sub: `system:serviceaccount:${namespace}:${serviceAccount}` };
}

/** The prefix of the Terraform output names: the given one, or `velero_<id>`. */
export function outputPrefixOf(scope: IConstruct, id: string, prefix: string | undefined): string {
  const base = id.replace(/-/g, '_');
  const p = prefix ?? (base.startsWith('velero') ? base : `velero_${base}`);
  if (!/^[a-z][a-z0-9_]*$/.test(p)) invalidProp(scope, `outputPrefix "${p}" is not a Terraform output name; use lowercase letters, digits and '_', starting with a letter`);
  return p;
}

/** A whole number of days from 1 to `max`. */
export function positiveDays(scope: IConstruct, what: string, value: number, max = 36500): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new InfraFluxError(ErrorCode.INVALID_DURATION, scope, `${what} ${value} is out of range; use a whole number of days from 1 to ${max}`);
  return value;
}
