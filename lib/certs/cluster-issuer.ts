import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, ClusterIssuer } from '../../imports/cert-manager-cert-manager.io';
import { goDuration } from '../core/duration';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { fluxUnitOf, GitOpsCluster } from '../flux/gitops-cluster';
import { ICertManager } from './cert-manager';

/** A cert-manager ClusterIssuer that certificates can be issued from. */
export interface IClusterIssuer extends IConstruct {
  /** `metadata.name` of the ClusterIssuer. */
  readonly issuerName: string;
  /**
   * Whether the issuer can sign wildcard names (`*.example.com`): a CA issuer can, an ACME issuer
   * only with a DNS-01 solver.
   */
  readonly supportsWildcards: boolean;
}

/** Options of {@link InternalCaIssuer.fromName} and {@link AcmeIssuer.fromName}. */
export interface ExistingClusterIssuerOptions {
  /**
   * Whether the existing issuer signs wildcard names.
   * @default true for a CA issuer (InternalCaIssuer.fromName), false for an ACME one (AcmeIssuer.fromName)
   */
  readonly supportsWildcards?: boolean;
}

/**
 * @internal A ClusterIssuer this tree does not create (an existing one, by name): certificates
 * reference it, and what depends on it waits for nothing.
 */
export class ExistingClusterIssuer extends Construct implements IClusterIssuer {
  /** Read by the dependency resolution: nothing in this tree deploys it. */
  public readonly installedElsewhere = true;
  public readonly issuerName: string;

  public constructor(
    scope: Construct,
    id: string,
    name: string,
    public readonly supportsWildcards: boolean,
  ) {
    super(scope, id);
    this.issuerName = validateDnsSubdomain(this, 'name', name);
  }
}

export interface CertificateOptions {
  /** Namespace of the Certificate and its Secret. */
  readonly namespace: string;
  /** DNS names of the certificate (wildcards allowed). */
  readonly dnsNames: readonly string[];
  /**
   * Name of the Certificate and of the Secret that receives the key pair.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Certificate lifetime.
   * @default Duration.days(90)
   */
  readonly duration?: Duration;
}

/**
 * Issues a Certificate from `issuer` in `scope` and makes the Flux unit of `scope` depend on the
 * issuer's: the Certificate is applied only once the issuer is Ready.
 */
export function issueCertificate(issuer: IClusterIssuer, scope: Construct, id: string, options: CertificateOptions): Certificate {
  const name = validateDnsSubdomain(scope, 'certificate name', options.name ?? id);
  if (options.dnsNames.length === 0) invalidProp(scope, `certificate ${name} has no dnsNames; give at least one`);
  for (const dns of options.dnsNames) validateDnsSubdomain(scope, 'dnsName', dns.replace(/^\*\./, ''));
  const certificate = new Certificate(scope, id, {
    metadata: { name, namespace: validateDnsLabel(scope, 'namespace', options.namespace) },
    spec: {
      secretName: name,
      dnsNames: [...options.dnsNames],
      duration: goDuration(options.duration ?? Duration.days(90)),
      privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256 },
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: issuer.issuerName },
    },
  });
  GitOpsCluster.of(scope).addDependency(certificate, issuer);
  return certificate;
}

export interface InternalCaIssuerProps {
  /** The cert-manager that serves the issuer. */
  readonly certManager: ICertManager;
  /**
   * Name of the CA ClusterIssuer; the self-signed bootstrap issuer and the root certificate are
   * named `<name>-selfsigned` and `<name>-root`.
   * @default 'internal-ca'
   */
  readonly name?: string;
  /**
   * Common name of the root certificate.
   * @default - `InfraFlux <cluster> internal CA`
   */
  readonly commonName?: string;
  /**
   * Lifetime of the root certificate; cert-manager renews it a month before it ends.
   * @default Duration.days(3650)
   */
  readonly rootDuration?: Duration;
}

/**
 * An internal certificate authority: a self-signed ClusterIssuer bootstraps an ECDSA root
 * certificate (kept in cert-manager's namespace), and a CA ClusterIssuer signs with it.
 * Create it in the `configs` layer; it depends on cert-manager.
 * @see https://cert-manager.io/docs/configuration/selfsigned/#bootstrapping-ca-issuers
 */
export class InternalCaIssuer extends Construct implements IClusterIssuer {
  /** An existing CA ClusterIssuer, by name (signs wildcards unless `supportsWildcards: false`). */
  public static fromName(scope: Construct, id: string, name: string, options: ExistingClusterIssuerOptions = {}): IClusterIssuer {
    return new ExistingClusterIssuer(scope, id, name, options.supportsWildcards ?? true);
  }

  public readonly issuerName: string;
  /** A CA signs any name, wildcards included. */
  public readonly supportsWildcards = true;
  /** The CA ClusterIssuer: escape hatch. */
  public readonly resource: ClusterIssuer;

  public constructor(scope: Construct, id: string, props: InternalCaIssuerProps) {
    super(scope, id);
    this.issuerName = validateDnsSubdomain(this, 'name', props.name ?? 'internal-ca');
    const cluster = GitOpsCluster.of(this);
    if (!fluxUnitOf(this)) invalidProp(this, 'InternalCaIssuer must be created inside a layer of a cluster (e.g. cluster.configs)');
    const rootDuration = props.rootDuration ?? Duration.days(3650);
    if (rootDuration.toDays() < 60) throw new InfraFluxError(ErrorCode.INVALID_DURATION, this, `rootDuration ${rootDuration.toDays()} days is too short for a root CA; use at least 60 days`);
    const selfSigned = new ClusterIssuer(this, 'SelfSigned', {
      metadata: { name: `${this.issuerName}-selfsigned` },
      spec: { selfSigned: {} },
    });
    new Certificate(this, 'Root', {
      metadata: { name: `${this.issuerName}-root`, namespace: props.certManager.namespace },
      spec: {
        isCa: true,
        commonName: props.commonName ?? `InfraFlux ${cluster.name} internal CA`,
        secretName: `${this.issuerName}-root`,
        duration: goDuration(rootDuration),
        renewBefore: goDuration(Duration.days(30)),
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256 },
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: selfSigned.name },
      },
    });
    this.resource = new ClusterIssuer(this, 'Resource', {
      metadata: { name: this.issuerName },
      spec: { ca: { secretName: `${this.issuerName}-root` } },
    });
    cluster.addDependency(this, props.certManager);
  }

  /** Issues a Certificate signed by this CA (see {@link issueCertificate}). */
  public issueCertificate(scope: Construct, id: string, options: CertificateOptions): Certificate {
    return issueCertificate(this, scope, id, options);
  }
}
