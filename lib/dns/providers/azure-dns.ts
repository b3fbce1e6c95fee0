import { IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError } from '../../core/errors';
import { SecretKeyReference } from '../../secrets/secret-reference';
import { DnsProviderStrategy, EMPTY_PROVIDER_CONFIG, ProviderConfig } from './_strategy';

function cloudIdentifier(scope: IConstruct, message: string): never {
  throw new InfraFluxError(ErrorCode.INVALID_CLOUD_IDENTIFIER, scope, message);
}

// DnsProvider (../external-dns.ts) imports this file, never the reverse.

/** Options of {@link DnsProvider.azureDns}. */
export interface AzureDnsOptions {
  /** Resource group of the DNS zones. */
  readonly resourceGroup: string;
  /** Subscription id of the DNS zones. */
  readonly subscriptionId: string;
  /**
   * Secret key holding the `azure.json` provider config (tenant, client or managed identity /
   * workload identity settings), mounted at `/etc/kubernetes/azure.json`.
   * @see https://kubernetes-sigs.github.io/external-dns/v0.21.0/docs/tutorials/azure/
   */
  readonly config: SecretKeyReference;
  /**
   * Client id for Azure Workload Identity (adds the service-account annotation and pod label).
   * @default - none
   */
  readonly workloadIdentityClientId?: string;
}

/** @internal The Azure DNS strategy of {@link DnsProvider.azureDns}. */
export function azureDnsStrategy(options: AzureDnsOptions): DnsProviderStrategy {
  return {
    name: 'azure',
    proxiedByDefault: false,
    config: (scope: IConstruct): ProviderConfig => {
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
      if (!uuid.test(options.subscriptionId)) cloudIdentifier(scope, `subscriptionId "${options.subscriptionId}" is not a UUID`);
      if (options.workloadIdentityClientId !== undefined && !uuid.test(options.workloadIdentityClientId)) {
        cloudIdentifier(scope, `workloadIdentityClientId "${options.workloadIdentityClientId}" is not a UUID`);
      }
      if (!/^[-\w._()]{1,90}$/.test(options.resourceGroup)) cloudIdentifier(scope, `resourceGroup "${options.resourceGroup}" is not an Azure resource group name`);
      options.config.use(scope, 'Azure config');
      return {
        ...EMPTY_PROVIDER_CONFIG,
        name: 'azure',
        args: [`--azure-resource-group=${options.resourceGroup}`, `--azure-subscription-id=${options.subscriptionId}`],
        volumes: [{ name: 'azure-config', secret: { secretName: options.config.secretName, items: [{ key: options.config.key, path: 'azure.json' }] } }],
        volumeMounts: [{ name: 'azure-config', mountPath: '/etc/kubernetes', readOnly: true }],
        serviceAccountAnnotations: options.workloadIdentityClientId ? { 'azure.workload.identity/client-id': options.workloadIdentityClientId } : {},
        podLabels: options.workloadIdentityClientId ? { 'azure.workload.identity/use': 'true' } : {},
        secrets: [options.config],
      };
    },
  };
}
