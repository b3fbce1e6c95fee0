import { IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError } from '../../core/errors';
import { SecretKeyReference } from '../../secrets/secret-reference';
import { DnsProviderStrategy, EMPTY_PROVIDER_CONFIG, ProviderConfig, secretEnv } from './_strategy';

function cloudIdentifier(scope: IConstruct, message: string): never {
  throw new InfraFluxError(ErrorCode.INVALID_CLOUD_IDENTIFIER, scope, message);
}

// DnsProvider (../external-dns.ts) imports this file, never the reverse.

/** AWS credentials for Route53: IRSA / Pod Identity role, or an access key by Secret reference. */
export class AwsCredentials {
  /** IAM role for the ExternalDNS service account (EKS IRSA annotation). */
  public static serviceAccountRole(roleArn: string): AwsCredentials {
    return new AwsCredentials(roleArn, undefined, undefined);
  }
  /** A static access key pair from Secret keys (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`). */
  public static fromSecret(accessKeyId: SecretKeyReference, secretAccessKey: SecretKeyReference): AwsCredentials {
    return new AwsCredentials(undefined, accessKeyId, secretAccessKey);
  }
  private constructor(
    public readonly roleArn: string | undefined,
    public readonly accessKeyId: SecretKeyReference | undefined,
    public readonly secretAccessKey: SecretKeyReference | undefined,
  ) {}
}

/**
 * Which Route53 hosted zones ExternalDNS considers (`--aws-zone-type`).
 * @see https://kubernetes-sigs.github.io/external-dns/v0.21.0/docs/flags/
 */
export class Route53ZoneType {
  /** Public hosted zones only. */
  public static readonly PUBLIC = new Route53ZoneType('public');
  /** Private hosted zones only. */
  public static readonly PRIVATE = new Route53ZoneType('private');
  private constructor(
    /** The `--aws-zone-type` value. */
    public readonly value: string,
  ) {}
}

/** Options of {@link DnsProvider.route53}. */
export interface Route53DnsOptions {
  readonly credentials: AwsCredentials;
  /** AWS region of the API endpoint, e.g. `eu-central-1`. */
  readonly region: string;
  /**
   * Restrict to public or private hosted zones.
   * @default - both
   */
  readonly zoneType?: Route53ZoneType;
}

/** @internal The AWS Route53 strategy of {@link DnsProvider.route53}. */
export function route53Strategy(options: Route53DnsOptions): DnsProviderStrategy {
  return {
    name: 'aws',
    proxiedByDefault: false,
    config: (scope: IConstruct): ProviderConfig => {
      if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(options.region)) cloudIdentifier(scope, `region "${options.region}" is not an AWS region such as eu-central-1`);
      const c = options.credentials;
      if (c.roleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(c.roleArn)) {
        cloudIdentifier(scope, `roleArn "${c.roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
      }
      c.accessKeyId?.use(scope, 'AWS access key id');
      c.secretAccessKey?.use(scope, 'AWS secret access key');
      return {
        ...EMPTY_PROVIDER_CONFIG,
        name: 'aws',
        env: [
          { name: 'AWS_DEFAULT_REGION', value: options.region },
          ...(c.accessKeyId && c.secretAccessKey
            ? [secretEnv('AWS_ACCESS_KEY_ID', c.accessKeyId), secretEnv('AWS_SECRET_ACCESS_KEY', c.secretAccessKey)]
            : []),
        ],
        args: options.zoneType ? [`--aws-zone-type=${options.zoneType.value}`] : [],
        serviceAccountAnnotations: c.roleArn ? { 'eks.amazonaws.com/role-arn': c.roleArn } : {},
        secrets: [c.accessKeyId, c.secretAccessKey].filter((s): s is SecretKeyReference => s !== undefined),
      };
    },
  };
}
