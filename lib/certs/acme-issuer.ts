import { Construct } from 'constructs';
import { ClusterIssuer, ClusterIssuerSpecAcmeSolvers } from '../../imports/cert-manager-cert-manager.io';
import { invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { SecretKeyReference } from '../secrets/secret-reference';
import { fluxUnitOf, GitOpsCluster } from '../flux/gitops-cluster';
import { ICertManager } from './cert-manager';
import { CertificateOptions, ExistingClusterIssuer, ExistingClusterIssuerOptions, IClusterIssuer, issueCertificate } from './cluster-issuer';
import { Certificate } from '../../imports/cert-manager-cert-manager.io';

/**
 * The ACME directory an issuer talks to. Staging and production are one switch: start on
 * staging (untrusted certificates, generous rate limits), then flip to production.
 * @see https://letsencrypt.org/docs/staging-environment/
 */
export class AcmeServer {
  /** Let's Encrypt staging: untrusted certificates, high rate limits. */
  public static readonly LETSENCRYPT_STAGING = new AcmeServer('letsencrypt-staging', 'https://acme-staging-v02.api.letsencrypt.org/directory', false);
  /** Let's Encrypt production: trusted certificates, strict rate limits. */
  public static readonly LETSENCRYPT_PRODUCTION = new AcmeServer('letsencrypt-production', 'https://acme-v02.api.letsencrypt.org/directory', true);
  /** Another ACME directory (e.g. an internal step-ca or ZeroSSL). */
  public static custom(name: string, directoryUrl: string, production = true): AcmeServer {
    return new AcmeServer(name, directoryUrl, production);
  }
  private constructor(
    /** Short name, used in the default issuer name. */
    public readonly name: string,
    public readonly directoryUrl: string,
    /** Whether browsers trust its certificates. */
    public readonly production: boolean,
  ) {}
}

/** A reference to a Gateway listener (for HTTP-01 challenges answered through the Gateway). */
export interface GatewayListenerReference {
  /** Gateway `metadata.name`. */
  readonly name: string;
  readonly namespace: string;
  /**
   * Listener name serving plain HTTP on port 80.
   * @default 'http'
   */
  readonly sectionName?: string;
}

/** Options of {@link AcmeSolver.dns01Cloudflare}. */
export interface CloudflareDns01Options {
  /**
   * Secret key with a Cloudflare API token (Zone:Read, DNS:Edit) in cert-manager's namespace
   * (ClusterIssuers read Secrets from the cluster resource namespace).
   * @see https://cert-manager.io/docs/configuration/acme/dns01/cloudflare/
   */
  readonly apiToken: SecretKeyReference;
  /**
   * Zones this solver answers for (`selector.dnsZones`).
   * @default - every zone
   */
  readonly dnsZones?: readonly string[];
}

/**
 * How an ACME issuer proves control of a name.
 * @see https://cert-manager.io/docs/configuration/acme/
 */
export class AcmeSolver {
  /**
   * HTTP-01 through a Gateway: cert-manager creates a temporary HTTPRoute attached to the Gateway's
   * HTTP listener. Cannot issue wildcard certificates.
   * @see https://cert-manager.io/docs/configuration/acme/http01/#configuring-the-http-01-gateway-api-solver
   */
  public static http01Gateway(gateway: GatewayListenerReference): AcmeSolver {
    return new AcmeSolver('http01-gateway', false, (scope) => {
      validateDnsSubdomain(scope, 'gateway name', gateway.name);
      validateDnsLabel(scope, 'gateway namespace', gateway.namespace);
      return {
        http01: {
          gatewayHttpRoute: {
            parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: gateway.name, namespace: gateway.namespace, sectionName: gateway.sectionName ?? 'http' }],
          },
        },
      };
    });
  }

  /** DNS-01 with Cloudflare: works for wildcards and for names not reachable from the internet. */
  public static dns01Cloudflare(options: CloudflareDns01Options): AcmeSolver {
    return new AcmeSolver('dns01-cloudflare', true, (scope, secretNamespace) => {
      options.apiToken.use(scope, 'Cloudflare API token', secretNamespace);
      for (const z of options.dnsZones ?? []) validateDnsSubdomain(scope, 'dnsZone', z);
      return {
        dns01: { cloudflare: { apiTokenSecretRef: options.apiToken.toSelector() } },
        ...(options.dnsZones?.length ? { selector: { dnsZones: [...options.dnsZones] } } : {}),
      };
    });
  }

  private constructor(
    public readonly kind: string,
    /** Whether the solver can validate `*.` names. */
    public readonly supportsWildcards: boolean,
    private readonly render: (scope: Construct, secretNamespace: string) => ClusterIssuerSpecAcmeSolvers,
  ) {}

  /** @internal */
  public _render(scope: Construct, secretNamespace: string): ClusterIssuerSpecAcmeSolvers {
    return this.render(scope, secretNamespace);
  }
}

export interface AcmeIssuerProps {
  /** The cert-manager that serves the issuer. */
  readonly certManager: ICertManager;
  /** Staging or production: one switch. */
  readonly server: AcmeServer;
  /** Account e-mail for expiry notices. */
  readonly email: string;
  /** Challenge solvers, tried in order of their selectors (cert-manager picks the most specific). */
  readonly solvers: readonly AcmeSolver[];
  /**
   * ClusterIssuer name; the ACME account key Secret is `<name>-account-key`.
   * @default - `<server name>` (e.g. `letsencrypt-staging`)
   */
  readonly name?: string;
}

/**
 * A cert-manager ACME ClusterIssuer (Let's Encrypt or another directory) with HTTP-01 through
 * the Gateway and/or DNS-01 with Cloudflare. Create it in the `configs` layer.
 * @see https://cert-manager.io/docs/configuration/acme/
 */
export class AcmeIssuer extends Construct implements IClusterIssuer {
  /** An existing ACME ClusterIssuer, by name (no wildcards unless `supportsWildcards: true`, i.e. it has a DNS-01 solver). */
  public static fromName(scope: Construct, id: string, name: string, options: ExistingClusterIssuerOptions = {}): IClusterIssuer {
    return new ExistingClusterIssuer(scope, id, name, options.supportsWildcards ?? false);
  }

  public readonly issuerName: string;
  public readonly server: AcmeServer;
  /** Whether some solver can validate wildcard names (DNS-01). */
  public readonly supportsWildcards: boolean;
  public readonly resource: ClusterIssuer;

  public constructor(scope: Construct, id: string, props: AcmeIssuerProps) {
    super(scope, id);
    if (!fluxUnitOf(this)) invalidProp(this, 'AcmeIssuer must be created inside a layer of a cluster (e.g. cluster.configs)');
    this.server = props.server;
    this.issuerName = validateDnsSubdomain(this, 'name', props.name ?? props.server.name);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.email)) invalidProp(this, `email "${props.email}" is not an e-mail address`);
    if (/@example\.(com|org|net)$/.test(props.email) && props.server.production) {
      invalidProp(this, `email "${props.email}" uses a reserved example domain; Let's Encrypt production rejects it`);
    }
    if (!/^https:\/\//.test(props.server.directoryUrl)) invalidProp(this, `ACME directory "${props.server.directoryUrl}" must be https://`);
    if (props.solvers.length === 0) invalidProp(this, 'solvers is empty; give AcmeSolver.http01Gateway(...) and/or AcmeSolver.dns01Cloudflare(...)');
    this.supportsWildcards = props.solvers.some((s) => s.supportsWildcards);
    this.resource = new ClusterIssuer(this, 'Resource', {
      metadata: { name: this.issuerName },
      spec: {
        acme: {
          server: props.server.directoryUrl,
          email: props.email,
          privateKeySecretRef: { name: `${this.issuerName}-account-key` },
          solvers: props.solvers.map((s) => s._render(this, props.certManager.namespace)),
        },
      },
    });
    GitOpsCluster.of(this).addDependency(this, props.certManager);
  }

  /** Issues a Certificate from this issuer; wildcard names need a DNS-01 solver. */
  public issueCertificate(scope: Construct, id: string, options: CertificateOptions): Certificate {
    const wildcard = options.dnsNames.find((n) => n.startsWith('*.'));
    if (wildcard && !this.supportsWildcards) {
      invalidProp(scope, `dnsName "${wildcard}" is a wildcard, which ACME validates only with DNS-01; issuer ${this.issuerName} has only HTTP-01 solvers`);
    }
    return issueCertificate(this, scope, id, options);
  }
}

/** Whether `issuer` can issue a certificate for `dnsName` (wildcards need DNS-01 with ACME). */
export function canIssue(issuer: IClusterIssuer, dnsName: string): boolean {
  return !dnsName.startsWith('*.') || issuer.supportsWildcards;
}
