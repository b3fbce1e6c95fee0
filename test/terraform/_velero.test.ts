import { TerraformStack, Testing } from 'cdktf';
import { ErrorCode } from '../../lib/core/errors';
import { outputPrefixOf, positiveDays, subject } from '../../lib/terraform/_velero';
import { thrownBy } from '../support/errors';

const scope = new TerraformStack(Testing.app(), 'velero-checks');

describe('Velero storage checks (lib/terraform/_velero.ts)', () => {
  test('the token subject defaults to velero/velero and follows a custom namespace and service account', () => {
    // GIVEN no props, then custom ones WHEN the subject is computed THEN it is the service account's token subject
    expect(subject(scope, {})).toEqual({ namespace: 'velero', serviceAccount: 'velero', sub: 'system:serviceaccount:velero:velero' });
    expect(subject(scope, { namespace: 'backup', serviceAccount: 'velero-server' }).sub).toBe('system:serviceaccount:backup:velero-server');
  });

  test('fails on an empty namespace', () => {
    const e = thrownBy(() => subject(scope, { namespace: '' }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toBe('[velero-checks] namespace "" is empty; give the namespace Velero runs in, e.g. velero');
  });

  test('fails on an empty service account', () => {
    const e = thrownBy(() => subject(scope, { serviceAccount: '' }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toMatch(/serviceAccount "" is empty; give the Velero server service account/);
  });

  test('fails on a namespace that is not a DNS-1123 label or a service account that is not a subdomain', () => {
    expect(thrownBy(() => subject(scope, { namespace: 'Backup' })).message).toMatch(/namespace "Backup" is not a DNS-1123 label/);
    expect(thrownBy(() => subject(scope, { namespace: 'a.b' })).message).toMatch(/namespace "a\.b" is not a DNS-1123 label/);
    expect(thrownBy(() => subject(scope, { serviceAccount: 'Velero_SA' })).code).toBe(ErrorCode.INVALID_PROP);
    // AND a dotted service account is a valid subdomain
    expect(subject(scope, { serviceAccount: 'velero.server' }).serviceAccount).toBe('velero.server');
  });

  test('the output prefix is the given one, or velero_<id> with - replaced by _', () => {
    // GIVEN ids with and without a velero prefix WHEN no prefix is given THEN it is derived from the id
    expect(outputPrefixOf(scope, 'prod-aws', undefined)).toBe('velero_prod_aws');
    expect(outputPrefixOf(scope, 'velero-prod', undefined)).toBe('velero_prod');
    expect(outputPrefixOf(scope, 'x', 'backups')).toBe('backups');
  });

  test('fails on an output prefix that is not a Terraform output name', () => {
    for (const bad of ['Velero', '1velero', 'velero-prod', '']) {
      const e = thrownBy(() => outputPrefixOf(scope, 'x', bad));
      expect(e.code).toBe(ErrorCode.INVALID_PROP);
      expect(e.message).toContain(`outputPrefix "${bad}" is not a Terraform output name`);
    }
    // AND a derived prefix is checked too (an id with a dot)
    expect(thrownBy(() => outputPrefixOf(scope, 'prod.aws', undefined)).message).toContain('outputPrefix "velero_prod.aws"');
  });

  test('accepts whole days from 1 to the maximum', () => {
    expect(positiveDays(scope, 'days', 1)).toBe(1);
    expect(positiveDays(scope, 'days', 36500)).toBe(36500);
    expect(positiveDays(scope, 'days', 365, 365)).toBe(365);
  });

  test('fails on days out of range or not whole with INVALID_DURATION', () => {
    // GIVEN 0, a fraction, above the default maximum and above a custom one
    for (const [value, max] of [[0, undefined], [1.5, undefined], [36501, undefined], [366, 365], [-1, undefined]] as const) {
      const e = thrownBy(() => positiveDays(scope, 'noncurrentVersionDays', value, max));
      // THEN the code is INVALID_DURATION and the message gives the allowed range
      expect(e.code).toBe(ErrorCode.INVALID_DURATION);
      expect(e.message).toBe(`[velero-checks] noncurrentVersionDays ${value} is out of range; use a whole number of days from 1 to ${max ?? 36500}`);
    }
  });
});
