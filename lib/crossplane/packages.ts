/**
 * Crossplane packages as typed constructs: `pkg.crossplane.io/v1` Provider and Function objects
 * with pinned, fully qualified packages, each provider with a hardened `DeploymentRuntimeConfig`
 * (decision 0073). Crossplane v2 has no default registry (crossplane/NOTES.md).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DeploymentRuntimeConfig, Function as XpFunction, Provider } from '../../imports/crossplane-pkg.crossplane.io';
import { ErrorCode, InfraFluxError, validateDnsLabel } from '../core/errors';
import { LayerName } from '../flux/gitops-cluster';
import { HealthCheckExpr, ReconcileTiming } from '../flux/kustomization';
import { ManifestBackedConstruct } from '../flux/manifest-app';
import { ICrossplane, requireCrossplaneOnCluster } from './crossplane';
import { CrossplanePackageRef, packageImage } from './versions';

/** A package is Healthy: its revision is active and its runtime is up (conditions Installed and Healthy). */
export const PACKAGE_HEALTHY_EXPR = "status.conditions.exists(e, e.type == 'Installed' && e.status == 'True') && status.conditions.exists(e, e.type == 'Healthy' && e.status == 'True')";

/** Flux health checks of package objects: kstatus cannot read Crossplane's Installed/Healthy conditions. */
export const PACKAGE_HEALTH_CHECKS: readonly HealthCheckExpr[] = [
  { apiVersion: Provider.GVK.apiVersion, kind: Provider.GVK.kind, current: PACKAGE_HEALTHY_EXPR },
  { apiVersion: XpFunction.GVK.apiVersion, kind: XpFunction.GVK.kind, current: PACKAGE_HEALTHY_EXPR },
];

const REGISTRY_HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?\//;
const EXACT_TAG = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** @internal Throws unless `ref` is fully qualified with an exact tag. */
export function validatePackage(scope: Construct, ref: CrossplanePackageRef): string {
  if (!REGISTRY_HOST.test(ref.repository)) {
    throw new InfraFluxError(ErrorCode.CROSSPLANE_INVALID_PACKAGE, scope, `package "${ref.repository}" is not fully qualified; Crossplane v2 has no default registry, name it with its registry (e.g. xpkg.crossplane.io/crossplane-contrib/provider-aws-s3)`);
  }
  if (!EXACT_TAG.test(ref.tag)) {
    throw new InfraFluxError(ErrorCode.CROSSPLANE_INVALID_PACKAGE, scope, `package ${ref.repository} tag "${ref.tag}" is not an exact version; pin e.g. "v2.0.0" (no ranges, no "latest")`);
  }
  return packageImage(ref);
}

/** Last path segment of a package repository (`provider-aws-s3`). */
function packageName(ref: CrossplanePackageRef): string {
  return ref.repository.split('/').pop() ?? ref.repository;
}

export interface CrossplanePackagesProps extends ReconcileTiming {
  /** The Crossplane that serves the package kinds: its HelmRelease is Ready first. */
  readonly crossplane: ICrossplane;
  /**
   * App name (Kustomization and release folder) and namespace. The namespace holds no pods; it is
   * the place for the packages' pull Secrets.
   * @default 'crossplane-packages'
   */
  readonly name?: string;
}

/**
 * The Crossplane packages of a cluster (Providers, Functions, their runtime configs) as one Flux
 * app in the configs layer, applied after Crossplane and Ready once every package is Healthy
 * (CEL health checks on `Installed` and `Healthy`). Add packages with {@link addProvider} and
 * {@link addFunction}.
 */
export class CrossplanePackages extends ManifestBackedConstruct {
  public readonly crossplane: ICrossplane;
  private readonly providers: CrossplaneProvider[] = [];
  private readonly functions: CrossplaneFunction[] = [];

  public constructor(scope: Construct, id: string, props: CrossplanePackagesProps) {
    super(scope, id);
    requireCrossplaneOnCluster(this, props.crossplane);
    this.crossplane = props.crossplane;
    this.createApp({ ...props, name: props.name ?? 'crossplane-packages', healthCheckExprs: PACKAGE_HEALTH_CHECKS });
    if (this.app.layer.layerName === LayerName.CRDS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, 'CrossplanePackages must be created in the controllers, configs or apps layer, not "crds" (the package kinds are served only once Crossplane is Ready)');
    }
    this.addDependency(props.crossplane);
  }

  /** Installs a provider package. */
  public addProvider(id: string, props: CrossplaneProviderProps): CrossplaneProvider {
    const p = new CrossplaneProvider(this, id, props);
    this.providers.push(p);
    return p;
  }

  /** Installs a composition function package. */
  public addFunction(id: string, props: CrossplaneFunctionProps): CrossplaneFunction {
    const f = new CrossplaneFunction(this, id, props);
    this.functions.push(f);
    return f;
  }

  /** The providers added so far. */
  public get allProviders(): readonly CrossplaneProvider[] {
    return [...this.providers];
  }

  /** The functions added so far. */
  public get allFunctions(): readonly CrossplaneFunction[] {
    return [...this.functions];
  }
}

/** The ProviderConfig kind a provider family serves. */
export interface ProviderConfigKind {
  /** e.g. `aws.m.upbound.io/v1beta1`. */
  readonly apiVersion: string;
  /** e.g. `ClusterProviderConfig`. */
  readonly kind: string;
}

export interface CrossplaneProviderProps {
  /** The pinned package (see `CROSSPLANE_PACKAGES`). */
  readonly package: CrossplanePackageRef;
  /**
   * Object name.
   * @default - the package repository's last segment, e.g. `provider-aws-s3`
   */
  readonly name?: string;
  /**
   * Managed-resource activation patterns this provider needs (`*.s3.aws.m.upbound.io`), added to
   * Crossplane's default activation policy.
   * @default []
   */
  readonly activations?: readonly string[];
  /**
   * The cluster-wide ProviderConfig kind this package serves (a family provider), for
   * {@link CrossplaneApis.addProviderConfig}.
   * @default - none
   */
  readonly providerConfig?: ProviderConfigKind;
  /**
   * Annotations of the provider's ServiceAccount (workload identity, e.g. IRSA's
   * `eks.amazonaws.com/role-arn`), through the runtime config's `serviceAccountTemplate`.
   * @default {}
   * @see https://docs.crossplane.io/latest/packages/providers/#runtime-configuration
   */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
}

/**
 * A `pkg.crossplane.io/v1` Provider with its `DeploymentRuntimeConfig` (same name): the provider
 * pod runs non-root, without privilege escalation, with a read-only root filesystem, all
 * capabilities dropped and the RuntimeDefault seccomp profile (Crossplane's default provider pod
 * sets neither capabilities nor seccomp). Primary object (`node.defaultChild`): the Provider.
 */
export class CrossplaneProvider extends Construct {
  public readonly name: string;
  public readonly image: string;
  public readonly providerConfig?: ProviderConfigKind;
  public readonly resource: Provider;
  public readonly runtimeConfig: DeploymentRuntimeConfig;
  /** The packages app that installs it. */
  public readonly packages: CrossplanePackages;

  public constructor(packages: CrossplanePackages, id: string, props: CrossplaneProviderProps) {
    super(packages.content, id);
    this.packages = packages;
    this.image = validatePackage(this, props.package);
    this.name = validateDnsLabel(this, 'name', props.name ?? packageName(props.package));
    this.providerConfig = props.providerConfig;
    packages.crossplane.activate(props.activations ?? []);
    const annotations = props.serviceAccountAnnotations ?? {};
    this.runtimeConfig = new DeploymentRuntimeConfig(this, 'RuntimeConfig', {
      metadata: { name: this.name },
      spec: {
        deploymentTemplate: {
          spec: {
            selector: {},
            template: {
              spec: {
                securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
                containers: [
                  {
                    name: 'package-runtime',
                    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                  },
                ],
              },
            },
          },
        },
        ...(Object.keys(annotations).length > 0 ? { serviceAccountTemplate: { metadata: { annotations: { ...annotations } } } } : {}),
      },
    });
    this.resource = new Provider(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        package: this.image,
        runtimeConfigRef: { apiVersion: DeploymentRuntimeConfig.GVK.apiVersion, kind: DeploymentRuntimeConfig.GVK.kind, name: this.name },
      },
    });
    this.node.defaultChild = this.resource;
  }
}

export interface CrossplaneFunctionProps {
  /** The pinned package (see `CROSSPLANE_PACKAGES`). */
  readonly package: CrossplanePackageRef;
  /**
   * Object name: what a Composition step's `functionRef.name` names.
   * @default - the package repository's last segment, e.g. `function-patch-and-transform`
   */
  readonly name?: string;
}

/** A `pkg.crossplane.io/v1` Function (a composition function package). Primary object: the Function. */
export class CrossplaneFunction extends Construct {
  public readonly name: string;
  public readonly image: string;
  public readonly resource: ApiObject;
  public readonly packages: CrossplanePackages;

  public constructor(packages: CrossplanePackages, id: string, props: CrossplaneFunctionProps) {
    super(packages.content, id);
    this.packages = packages;
    this.image = validatePackage(this, props.package);
    this.name = validateDnsLabel(this, 'name', props.name ?? packageName(props.package));
    this.resource = new XpFunction(this, 'Resource', { metadata: { name: this.name }, spec: { package: this.image } });
    this.node.defaultChild = this.resource;
  }
}
