import { ComponentName, VersionSet } from '../versions/version-set';

/** The six provider kinds of cluster-api-operator (`operator.cluster.x-k8s.io/v1alpha2`). */
export class ProviderType {
  public static readonly CORE = new ProviderType('CoreProvider');
  public static readonly BOOTSTRAP = new ProviderType('BootstrapProvider');
  public static readonly CONTROL_PLANE = new ProviderType('ControlPlaneProvider');
  public static readonly INFRASTRUCTURE = new ProviderType('InfrastructureProvider');
  public static readonly IPAM = new ProviderType('IPAMProvider');
  public static readonly ADDON = new ProviderType('AddonProvider');
  private constructor(
    /** The operator CR kind. */
    public readonly kind: string,
  ) {}
}

/**
 * The VersionSet field that carries a Cluster API provider's version: one static per field a
 * provider can use (enum-like, so the public API has no string union).
 */
export class ProviderVersionField {
  /** `VersionSet.capiCore`: Cluster API core. */
  public static readonly CAPI_CORE = new ProviderVersionField('capiCore');
  /** `VersionSet.cabpt`: Talos bootstrap provider. */
  public static readonly CABPT = new ProviderVersionField('cabpt');
  /** `VersionSet.cacppt`: Talos control-plane provider. */
  public static readonly CACPPT = new ProviderVersionField('cacppt');
  /** `VersionSet.caprke2`: RKE2 bootstrap and control-plane providers (one release). */
  public static readonly CAPRKE2 = new ProviderVersionField('caprke2');
  /** `VersionSet.capa`: AWS. */
  public static readonly CAPA = new ProviderVersionField('capa');
  /** `VersionSet.capz`: Azure. */
  public static readonly CAPZ = new ProviderVersionField('capz');
  /** `VersionSet.capg`: GCP. */
  public static readonly CAPG = new ProviderVersionField('capg');
  /** `VersionSet.capmox`: Proxmox. */
  public static readonly CAPMOX = new ProviderVersionField('capmox');
  /** `VersionSet.capm3`: Metal3. */
  public static readonly CAPM3 = new ProviderVersionField('capm3');
  /** `VersionSet.ipamInCluster`: in-cluster IPAM. */
  public static readonly IPAM_IN_CLUSTER = new ProviderVersionField('ipamInCluster');
  /** `VersionSet.ipamMetal3`: Metal3 IP address manager. */
  public static readonly IPAM_METAL3 = new ProviderVersionField('ipamMetal3');
  /** `VersionSet.caaph`: Helm add-on provider. */
  public static readonly CAAPH = new ProviderVersionField('caaph');

  private constructor(private readonly field: ComponentName) {}

  /** The VersionSet field name, e.g. `capa` (as in `VersionSet.entries()`). */
  public get name(): string {
    return this.field;
  }

  /** The field's version in `versions`, e.g. `v2.11.1`. */
  public versionIn(versions: VersionSet): string {
    return versions[this.field];
  }

  /** The field name. */
  public toString(): string {
    return this.field;
  }
}

/**
 * One Cluster API provider as cluster-api-operator installs it: the CR kind, the clusterctl
 * provider name (`metadata.name`, which selects the upstream release repository), the namespace
 * it runs in and the VersionSet field carrying its version.
 *
 * @see https://cluster-api-operator.sigs.k8s.io/ (Concepts)
 * @see kubernetes-sigs/cluster-api@v1.12.11:cmd/clusterctl/client/config/providers_client.go (names)
 */
export class CapiProvider {
  /** Cluster API core (`cluster-api`). */
  public static readonly CORE = new CapiProvider(ProviderType.CORE, 'cluster-api', 'capi-system', ProviderVersionField.CAPI_CORE);
  /** Talos bootstrap provider (CABPT). */
  public static readonly TALOS_BOOTSTRAP = new CapiProvider(ProviderType.BOOTSTRAP, 'talos', 'cabpt-system', ProviderVersionField.CABPT);
  /** Talos control-plane provider (CACPPT). */
  public static readonly TALOS_CONTROL_PLANE = new CapiProvider(ProviderType.CONTROL_PLANE, 'talos', 'cacppt-system', ProviderVersionField.CACPPT);
  /** RKE2 bootstrap provider (CAPRKE2). */
  public static readonly RKE2_BOOTSTRAP = new CapiProvider(ProviderType.BOOTSTRAP, 'rke2', 'rke2-bootstrap-system', ProviderVersionField.CAPRKE2);
  /** RKE2 control-plane provider (CAPRKE2). */
  public static readonly RKE2_CONTROL_PLANE = new CapiProvider(ProviderType.CONTROL_PLANE, 'rke2', 'rke2-control-plane-system', ProviderVersionField.CAPRKE2);
  /** AWS (CAPA). Needs `AWS_B64ENCODED_CREDENTIALS` in its config secret. */
  public static readonly AWS = new CapiProvider(ProviderType.INFRASTRUCTURE, 'aws', 'capa-system', ProviderVersionField.CAPA, ['AWS_B64ENCODED_CREDENTIALS']);
  /** Azure (CAPZ). Workload clusters authenticate through AzureClusterIdentity. */
  public static readonly AZURE = new CapiProvider(ProviderType.INFRASTRUCTURE, 'azure', 'capz-system', ProviderVersionField.CAPZ);
  /** GCP (CAPG). Needs `GCP_B64ENCODED_CREDENTIALS` in its config secret. */
  public static readonly GCP = new CapiProvider(ProviderType.INFRASTRUCTURE, 'gcp', 'capg-system', ProviderVersionField.CAPG, ['GCP_B64ENCODED_CREDENTIALS']);
  /** Proxmox (CAPMOX). Credentials per cluster (ProxmoxCluster credentialsRef) or `PROXMOX_URL/TOKEN/SECRET`. */
  public static readonly PROXMOX = new CapiProvider(ProviderType.INFRASTRUCTURE, 'proxmox', 'capmox-system', ProviderVersionField.CAPMOX);
  /** Metal3 (CAPM3). */
  public static readonly METAL3 = new CapiProvider(ProviderType.INFRASTRUCTURE, 'metal3', 'capm3-system', ProviderVersionField.CAPM3);
  /** In-cluster IPAM (used by CAPMOX for node addresses). */
  public static readonly IPAM_IN_CLUSTER = new CapiProvider(ProviderType.IPAM, 'in-cluster', 'capi-ipam-in-cluster-system', ProviderVersionField.IPAM_IN_CLUSTER);
  /** Metal3 IP address manager (used by CAPM3). */
  public static readonly IPAM_METAL3 = new CapiProvider(ProviderType.IPAM, 'metal3', 'metal3-ipam-system', ProviderVersionField.IPAM_METAL3);
  /** Helm add-on provider (CAAPH). */
  public static readonly HELM_ADDON = new CapiProvider(ProviderType.ADDON, 'helm', 'caaph-system', ProviderVersionField.CAAPH);

  private constructor(
    public readonly type: ProviderType,
    /** clusterctl provider name: the CR's `metadata.name`. */
    public readonly name: string,
    /** Namespace the provider (and its config secret) lives in. */
    public readonly namespace: string,
    /** The VersionSet field with this provider's version. */
    public readonly versionField: ProviderVersionField,
    /** Variables the provider's components need from its config secret (no default upstream). */
    public readonly requiredVariables: readonly string[] = [],
  ) {}

  /** This provider's version in `versions`. */
  public version(versions: VersionSet): string {
    return this.versionField.versionIn(versions);
  }

  /** A readable id, e.g. `InfrastructureProvider/aws`. */
  public toString(): string {
    return `${this.type.kind}/${this.name}`;
  }
}

/**
 * A reference to the Secret holding a provider's configuration variables (credentials such as
 * `AWS_B64ENCODED_CREDENTIALS`), created in the provider's namespace by a SealedSecret or an
 * ExternalSecret. Only the name is ever written to Git, never a value.
 *
 * @see https://cluster-api-operator.sigs.k8s.io/ (Quickstart: "Configuring credential for cloud providers")
 */
export class ProviderConfigSecret {
  /**
   * The Secret `name`; it must live in the provider's namespace (the operator CRD says so), so a
   * `namespace` other than the provider's is rejected.
   */
  public static fromName(name: string, namespace?: string): ProviderConfigSecret {
    return new ProviderConfigSecret(name, namespace);
  }

  private constructor(
    public readonly name: string,
    public readonly namespace: string | undefined,
  ) {}
}

/** An infrastructure provider to install, with its config secret. */
export class InfrastructureProviderChoice {
  /** AWS; config secret default `capa-variables` (must hold `AWS_B64ENCODED_CREDENTIALS`). */
  public static aws(configSecret: ProviderConfigSecret = ProviderConfigSecret.fromName('capa-variables')): InfrastructureProviderChoice {
    return new InfrastructureProviderChoice(CapiProvider.AWS, configSecret);
  }
  /** Azure; optional config secret. */
  public static azure(configSecret?: ProviderConfigSecret): InfrastructureProviderChoice {
    return new InfrastructureProviderChoice(CapiProvider.AZURE, configSecret);
  }
  /** GCP; config secret default `capg-variables` (must hold `GCP_B64ENCODED_CREDENTIALS`). */
  public static gcp(configSecret: ProviderConfigSecret = ProviderConfigSecret.fromName('capg-variables')): InfrastructureProviderChoice {
    return new InfrastructureProviderChoice(CapiProvider.GCP, configSecret);
  }
  /** Proxmox, plus the in-cluster IPAM provider; optional config secret (`PROXMOX_URL`, `PROXMOX_TOKEN`, `PROXMOX_SECRET`). */
  public static proxmox(configSecret?: ProviderConfigSecret): InfrastructureProviderChoice {
    return new InfrastructureProviderChoice(CapiProvider.PROXMOX, configSecret);
  }
  /** Metal3, plus the Metal3 IPAM provider. */
  public static metal3(): InfrastructureProviderChoice {
    return new InfrastructureProviderChoice(CapiProvider.METAL3, undefined);
  }
  /** All five, with default config secrets. */
  public static all(): InfrastructureProviderChoice[] {
    return [this.aws(), this.azure(), this.gcp(), this.proxmox(), this.metal3()];
  }

  private constructor(
    public readonly provider: CapiProvider,
    public readonly configSecret: ProviderConfigSecret | undefined,
  ) {}
}
