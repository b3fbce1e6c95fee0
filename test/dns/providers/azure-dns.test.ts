import { Chart, Testing } from 'cdk8s';
import { ErrorCode } from '../../../lib/core/errors';
import { azureDnsStrategy } from '../../../lib/dns/providers/azure-dns';
import { SecretReference } from '../../../lib/secrets/secret-reference';
import { thrownBy } from '../../support/errors';

const scope = () => new Chart(Testing.app(), 'dns');
const AZURE = { resourceGroup: 'dns-rg', subscriptionId: '00000000-0000-0000-0000-000000000001', config: SecretReference.fromSealedSecret('azure-dns', 'external-dns').key('azure.json') };
const CLIENT = '00000000-0000-0000-0000-0000000000c1';

describe('azureDnsStrategy', () => {
  test('azure.json mounted at /etc/kubernetes; flags for group and subscription', () => {
    // GIVEN a config Secret WHEN configured
    const cfg = azureDnsStrategy(AZURE).config(scope());
    // THEN
    expect(cfg.name).toBe('azure');
    expect(cfg.args).toEqual(['--azure-resource-group=dns-rg', '--azure-subscription-id=00000000-0000-0000-0000-000000000001']);
    expect(cfg.volumes).toEqual([{ name: 'azure-config', secret: { secretName: 'azure-dns', items: [{ key: 'azure.json', path: 'azure.json' }] } }]);
    expect(cfg.volumeMounts).toEqual([{ name: 'azure-config', mountPath: '/etc/kubernetes', readOnly: true }]);
    expect([cfg.serviceAccountAnnotations, cfg.podLabels]).toEqual([{}, {}]);
  });

  test('workload identity: client-id annotation and the use label', () => {
    // GIVEN a client id WHEN configured
    const cfg = azureDnsStrategy({ ...AZURE, workloadIdentityClientId: CLIENT }).config(scope());
    // THEN
    expect(cfg.serviceAccountAnnotations).toEqual({ 'azure.workload.identity/client-id': CLIENT });
    expect(cfg.podLabels).toEqual({ 'azure.workload.identity/use': 'true' });
  });

  test.each([
    ['subscription id', { ...AZURE, subscriptionId: 'sub-1' }, 'subscriptionId "sub-1" is not a UUID'],
    ['client id', { ...AZURE, workloadIdentityClientId: 'client' }, 'workloadIdentityClientId "client" is not a UUID'],
    ['resource group', { ...AZURE, resourceGroup: 'bad rg!' }, 'resourceGroup "bad rg!" is not an Azure resource group name'],
  ])('fails on a malformed %s with INVALID_CLOUD_IDENTIFIER', (_what, options, message) => {
    const err = thrownBy(() => azureDnsStrategy(options).config(scope()));
    expect(err.code).toBe(ErrorCode.INVALID_CLOUD_IDENTIFIER);
    expect(err.message).toContain(`[dns] ${message}`);
  });
});
