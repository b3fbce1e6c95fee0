import { IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError } from '../../core/errors';
import { SecretKeyReference } from '../../secrets/secret-reference';
import { DnsProviderStrategy, EMPTY_PROVIDER_CONFIG, ProviderConfig } from './_strategy';

function cloudIdentifier(scope: IConstruct, message: string): never {
  throw new InfraFluxError(ErrorCode.INVALID_CLOUD_IDENTIFIER, scope, message);
}

// DnsProvider (../external-dns.ts) imports this file, never the reverse.

/** Google credentials for Cloud DNS: Workload Identity, or a service-account key by Secret reference. */
export class GcpCredentials {
  /** GKE Workload Identity: the Google service account the Kubernetes one impersonates. */
  public static workloadIdentity(serviceAccountEmail: string): GcpCredentials {
    return new GcpCredentials(serviceAccountEmail, undefined);
  }
  /** A JSON key file from a Secret key, mounted and named by `GOOGLE_APPLICATION_CREDENTIALS`. */
  public static fromSecret(keyFile: SecretKeyReference): GcpCredentials {
    return new GcpCredentials(undefined, keyFile);
  }
  private constructor(
    public readonly serviceAccountEmail: string | undefined,
    public readonly keyFile: SecretKeyReference | undefined,
  ) {}
}

/** Options of {@link DnsProvider.googleCloudDns}. */
export interface CloudDnsOptions {
  /** Google Cloud project that holds the managed zones. */
  readonly project: string;
  readonly credentials: GcpCredentials;
}

/** @internal The Google Cloud DNS strategy of {@link DnsProvider.googleCloudDns}. */
export function cloudDnsStrategy(options: CloudDnsOptions): DnsProviderStrategy {
  return {
    name: 'google',
    proxiedByDefault: false,
    config: (scope: IConstruct): ProviderConfig => {
      if (!/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(options.project)) cloudIdentifier(scope, `project "${options.project}" is not a Google Cloud project id`);
      const c = options.credentials;
      if (c.serviceAccountEmail !== undefined && !/^[^@\s]+@[^@\s]+\.iam\.gserviceaccount\.com$/.test(c.serviceAccountEmail)) {
        cloudIdentifier(scope, `serviceAccountEmail "${c.serviceAccountEmail}" is not a Google service account (<name>@<project>.iam.gserviceaccount.com)`);
      }
      c.keyFile?.use(scope, 'Google service account key');
      const mountPath = '/etc/secrets/google';
      return {
        ...EMPTY_PROVIDER_CONFIG,
        name: 'google',
        args: [`--google-project=${options.project}`],
        env: c.keyFile ? [{ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: `${mountPath}/${c.keyFile.key}` }] : [],
        volumes: c.keyFile ? [{ name: 'google-credentials', secret: { secretName: c.keyFile.secretName, items: [{ key: c.keyFile.key, path: c.keyFile.key }] } }] : [],
        volumeMounts: c.keyFile ? [{ name: 'google-credentials', mountPath, readOnly: true }] : [],
        serviceAccountAnnotations: c.serviceAccountEmail ? { 'iam.gke.io/gcp-service-account': c.serviceAccountEmail } : {},
        secrets: c.keyFile ? [c.keyFile] : [],
      };
    },
  };
}
