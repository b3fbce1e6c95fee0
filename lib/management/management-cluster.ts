import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AddonProvider,
  BootstrapProvider,
  ControlPlaneProvider,
  CoreProvider,
  InfrastructureProvider,
  IpamProvider,
} from '../../imports/capi-operator-operator.cluster.x-k8s.io';
import { CLUSTER_API_OPERATOR_CHART } from '../../imports/helm/charts';
import { ClusterApiOperatorChartValues } from '../../imports/helm/cluster-api-operator';
import { deepMerge } from '../core/_merge';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsSubdomain } from '../core/errors';
import type { ICertManager } from '../certs/cert-manager';
import { addClusterMonitor, MonitorKind } from '../flux/cluster-monitoring';
import { FluxApp } from '../flux/flux-app';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import { FluxManifestApp } from '../flux/manifest-app';
import { appNamespace } from '../flux/_app-namespace';
import { PodSecurityLevel } from '../flux/pod-security';
import { VersionSet } from '../versions/version-set';
import { BaremetalOperator } from './baremetal-operator';
import { CapiProvider, InfrastructureProviderChoice, ProviderConfigSecret, ProviderType } from './providers';

/**
 * CEL health checks of the operator's provider CRs for the `capi-providers` Kustomization.
 * `wait: true` alone is not enough: kstatus does not read the operator's `Ready` condition, so Flux
 * would report the app Ready as soon as the CRs exist, before any provider controller runs. A
 * provider is current when its `Ready` condition is `True` (`has()` guards the not-yet-written status);
 * no `failed` expression: the operator reports progress and errors alike as `Ready: False`, so a
 * broken provider shows as the Kustomization's timeout, with the operator's message.
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#health-check-expressions
 * @see https://fluxcd.io/flux/cheatsheets/cel-healthchecks
 */
export const PROVIDER_HEALTH_CHECK_EXPRS: ReadonlyArray<{ readonly apiVersion: string; readonly kind: string; readonly current: string }> = [
  ProviderType.CORE, ProviderType.BOOTSTRAP, ProviderType.CONTROL_PLANE, ProviderType.INFRASTRUCTURE, ProviderType.IPAM, ProviderType.ADDON,
].map((type) => ({
  apiVersion: CoreProvider.GVK.apiVersion,
  kind: type.kind,
  current: "has(status.conditions) && status.conditions.exists(e, e.type == 'Ready' && e.status == 'True')",
}));


/** Props of {@link ManagementCluster}. */
export interface ManagementClusterProps extends ReconcileTiming {
  /**
   * cert-manager of this cluster: cluster-api-operator and every provider serve webhooks with
   * cert-manager certificates, so the operator is applied only after it.
   * @see https://cluster-api-operator.sigs.k8s.io/ (Installation → Prerequisites)
   */
  readonly certManager: ICertManager;
  /**
   * Every version installed. A provider upgrade is a version bump here.
   * @default VersionSet.pinned()
   */
  readonly versions?: VersionSet;
  /**
   * Infrastructure providers to install. Proxmox brings the in-cluster IPAM provider, Metal3 the
   * Metal3 IPAM provider.
   * @default InfrastructureProviderChoice.all() (AWS, Azure, GCP, Proxmox, Metal3)
   */
  readonly infrastructure?: readonly InfrastructureProviderChoice[];
  /**
   * Install the RKE2 bootstrap and control-plane providers (the alternative distribution).
   * @default true
   */
  readonly rke2?: boolean;
  /**
   * Install the Helm add-on provider (CAAPH). InfraFlux bootstraps workload clusters with Flux
   * (docs/decisions/0030-workload-cluster-bootstrap.md), so it is off unless you use HelmChartProxy.
   * @default false
   */
  readonly helmAddonProvider?: boolean;
  /**
   * Turn on Cluster API's ClusterTopology feature gate (ClusterClass; Alpha and off upstream in v1.12).
   * @default true
   * @see https://cluster-api.sigs.k8s.io/tasks/experimental-features/cluster-class/
   */
  readonly clusterTopology?: boolean;
  /**
   * Extra values for the cluster-api-operator chart, merged over InfraFlux's.
   * @default {}
   */
  readonly operatorValues?: ClusterApiOperatorChartValues;
}

/** One provider CR as emitted. */
export interface InstalledProvider {
  readonly provider: CapiProvider;
  readonly version: string;
  /** The operator CR (escape hatch). */
  readonly resource: ApiObject;
}

/**
 * The management cluster's Cluster API, installed the GitOps way with cluster-api-operator:
 *
 * - controllers layer: the pinned `cluster-api-operator` chart (after cert-manager);
 * - configs layer: one app `capi-providers` with a Namespace per provider and the operator CRs
 *   (CoreProvider `cluster-api`, Bootstrap/ControlPlaneProvider `talos` (+ `rke2`), an
 *   InfrastructureProvider per cloud, IPAMProviders, optionally the AddonProvider `helm`) at the
 *   versions of the VersionSet. Its Kustomization waits (`healthCheckExprs`, {@link PROVIDER_HEALTH_CHECK_EXPRS})
 *   until every provider CR reports `Ready: True`; `wait: true` alone would not, because kstatus
 *   does not read the operator CRs' conditions;
 * - with Metal3: {@link BaremetalOperator} (configs layer), the BareMetalHost CRDs and controller
 *   from the pinned upstream release (not a clusterctl provider).
 *
 * Provider credentials are referenced by Secret name (`spec.configSecret`), never given as values.
 * The ClusterTopology feature gate is set on the CoreProvider's manager.
 *
 * @see https://cluster-api-operator.sigs.k8s.io/
 */
export class ManagementCluster extends Construct {
  public readonly cluster: GitOpsCluster;
  public readonly versions: VersionSet;
  /** The cluster-api-operator release (controllers layer). */
  public readonly operator: FluxApp<ClusterApiOperatorChartValues>;
  /** The app holding the provider CRs (configs layer). */
  public readonly providersApp: FluxManifestApp;
  /** Every provider CR, in install order. */
  public readonly providers: readonly InstalledProvider[];
  /** The CoreProvider CR (`Resource` is the primary child). */
  public readonly coreProvider: ApiObject;
  /** Metal3's baremetal-operator (configs layer), when Metal3 is installed; otherwise undefined. */
  public readonly baremetalOperator: BaremetalOperator | undefined;

  public constructor(scope: GitOpsCluster, id: string, props: ManagementClusterProps) {
    super(scope, id);
    if (!(scope instanceof GitOpsCluster)) invalidProp(this, 'a ManagementCluster must be created directly in a GitOpsCluster');
    this.cluster = scope;
    this.versions = props.versions ?? VersionSet.pinned();
    this.versions.validate(this);
    const infrastructure = props.infrastructure ?? InfrastructureProviderChoice.all();
    const seen = new Set<string>();
    for (const choice of infrastructure) {
      if (seen.has(choice.provider.name)) {
        throw new InfraFluxError(ErrorCode.DUPLICATE, this, `infrastructure provider "${choice.provider.name}" is listed twice; list each provider once`);
      }
      seen.add(choice.provider.name);
    }

    const operatorNamespace = 'capi-operator-system';
    const values: ClusterApiOperatorChartValues = {
      image: {
        manager: {
          repository: 'registry.k8s.io/capi-operator/cluster-api-operator',
          tag: this.versions.capiOperator,
          pullPolicy: 'IfNotPresent',
        },
      },
      leaderElection: { enabled: true },
      containerSecurityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    };
    this.operator = new FluxApp<ClusterApiOperatorChartValues>(scope.controllers, `${id}-Operator`, {
      ...props,
      chart: { ...CLUSTER_API_OPERATOR_CHART, version: this.versions.capiOperatorChart },
      name: 'capi-operator',
      namespace: operatorNamespace,
      values: deepMerge(values, props.operatorValues),
    });
    this.operator.addDependency(props.certManager);

    this.providersApp = new FluxManifestApp(scope.configs, `${id}-Providers`, {
      ...props,
      name: 'capi-providers',
      namespace: 'capi-system',
      podSecurity: PodSecurityLevel.BASELINE,
      healthCheckExprs: PROVIDER_HEALTH_CHECK_EXPRS,
    });
    this.providersApp.addDependency(this.operator);

    const wanted: Array<{ provider: CapiProvider; configSecret?: ProviderConfigSecret }> = [
      { provider: CapiProvider.CORE },
      { provider: CapiProvider.TALOS_BOOTSTRAP },
      { provider: CapiProvider.TALOS_CONTROL_PLANE },
      ...((props.rke2 ?? true) ? [{ provider: CapiProvider.RKE2_BOOTSTRAP }, { provider: CapiProvider.RKE2_CONTROL_PLANE }] : []),
      ...infrastructure.map((c) => ({ provider: c.provider, configSecret: c.configSecret })),
      ...(seen.has('proxmox') ? [{ provider: CapiProvider.IPAM_IN_CLUSTER }] : []),
      ...(seen.has('metal3') ? [{ provider: CapiProvider.IPAM_METAL3 }] : []),
      ...((props.helmAddonProvider ?? false) ? [{ provider: CapiProvider.HELM_ADDON }] : []),
    ];

    const content = this.providersApp.content;
    const installed: InstalledProvider[] = [];
    for (const { provider, configSecret } of wanted) {
      if (configSecret) {
        validateDnsSubdomain(this, `${provider} config secret name`, configSecret.name);
        if (configSecret.namespace !== undefined && configSecret.namespace !== provider.namespace) {
          invalidProp(
            this,
            `${provider} config secret "${configSecret.namespace}/${configSecret.name}" is in namespace "${configSecret.namespace}"; cluster-api-operator reads it only from the provider's namespace "${provider.namespace}"`,
          );
        }
      }
      const scopeId = `${provider.type.kind}-${provider.name}`;
      const holder = new Construct(content, scopeId);
      // capi-system is the app's own namespace (FluxManifestApp created it).
      if (provider.namespace !== this.providersApp.namespace) appNamespace(holder, provider.namespace, PodSecurityLevel.BASELINE);
      const version = provider.version(this.versions);
      const spec = {
        version,
        ...(configSecret ? { configSecret: { name: configSecret.name, namespace: provider.namespace } } : {}),
        ...(provider === CapiProvider.CORE && (props.clusterTopology ?? true) ? { manager: { featureGates: { ClusterTopology: true } } } : {}),
      };
      const metadata = { name: provider.name, namespace: provider.namespace };
      const resource = providerObject(holder, provider.type, { metadata, spec });
      installed.push({ provider, version, resource });
      // Each provider's manager serves metrics on its container port `metrics` (:8443) over HTTPS
      // with authentication and authorization (CAPI v1.6+ diagnostics, --diagnostics-address=:8443);
      // the cluster's monitoring stack scrapes it with the Prometheus ServiceAccount's token.
      if (!installed.some((p) => p.provider.namespace === provider.namespace && p.provider !== provider)) {
        addClusterMonitor(this, {
          kind: MonitorKind.POD_MONITOR,
          name: provider.namespace,
          namespace: provider.namespace,
          matchLabels: { 'control-plane': 'controller-manager' },
          endpoints: [{ port: 'metrics', https: true }],
          component: resource,
        });
      }
    }
    this.providers = installed;
    this.coreProvider = installed[0].resource;

    // Metal3's BareMetalHost CRDs come from baremetal-operator, which no provider CR installs.
    this.baremetalOperator = seen.has(CapiProvider.METAL3.name)
      ? new BaremetalOperator(scope.configs, `${id}-BaremetalOperator`, { ...props, versions: this.versions, certManager: props.certManager })
      : undefined;
  }

  /** The installed provider CR of `provider`, or undefined. */
  public provider(provider: CapiProvider): InstalledProvider | undefined {
    return this.providers.find((p) => p.provider === provider);
  }
}

function providerObject(scope: Construct, type: ProviderType, props: { metadata: { name: string; namespace: string }; spec: Record<string, unknown> }): ApiObject {
  switch (type) {
    case ProviderType.CORE:
      return new CoreProvider(scope, 'Resource', props);
    case ProviderType.BOOTSTRAP:
      return new BootstrapProvider(scope, 'Resource', props);
    case ProviderType.CONTROL_PLANE:
      return new ControlPlaneProvider(scope, 'Resource', props);
    case ProviderType.INFRASTRUCTURE:
      return new InfrastructureProvider(scope, 'Resource', props);
    case ProviderType.IPAM:
      return new IpamProvider(scope, 'Resource', props);
    default:
      return new AddonProvider(scope, 'Resource', props);
  }
}
