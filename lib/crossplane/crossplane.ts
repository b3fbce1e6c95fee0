/**
 * Crossplane v2.3.4 from its pinned chart (crossplane/NOTES.md): the control plane that turns
 * platform APIs (XRDs and their Compositions) into cloud resources through provider packages.
 * Optional: no reference cluster runs it by default (decision 0073).
 * @see https://docs.crossplane.io/latest/
 */
import { Construct, IConstruct } from 'constructs';
import { CROSSPLANE_CHART } from '../../imports/helm/charts';
import { CrossplaneValues } from '../../imports/helm/crossplane';
import { Capability, claimCapability } from '../core/capabilities';
import { ErrorCode, InfraFluxError, invalidProp } from '../core/errors';
import { ChartBackedConstruct, IFluxApp } from '../flux/flux-app';
import { GitOpsCluster, LayerName } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import { PodSecurityLevel } from '../flux/pod-security';

/** One Crossplane per cluster: it owns the cluster-scoped package and composition APIs. */
const CROSSPLANE_CAPABILITY = Capability.of('crossplane');

/** Crossplane's namespace (the chart's and the Crossplane docs' convention). */
export const CROSSPLANE_NAMESPACE = 'crossplane-system';

/** A Crossplane installation other Crossplane constructs are applied after. */
export interface ICrossplane extends IFluxApp<CrossplaneValues> {
  /** Adds managed-resource activation patterns (`<plural>.<group>`, or `*.<group>`) to the default `ManagedResourceActivationPolicy`. */
  activate(patterns: readonly string[]): void;
}

export interface CrossplaneProps extends ReconcileTiming {
  /**
   * Run Crossplane and its RBAC manager with two replicas each (leader election keeps one
   * active, the other takes over within the lease). Turn on for production clusters.
   * @default false
   * @see https://docs.crossplane.io/latest/get-started/install/
   */
  readonly highAvailability?: boolean;
  /**
   * Managed-resource activation patterns for the chart's default `ManagedResourceActivationPolicy`
   * (`provider.defaultActivations`), added to the ones the providers register with
   * {@link ICrossplane.activate}. Crossplane v2 installs a provider's CRDs only for activated
   * managed resources, so a large provider family does not register hundreds of CRDs.
   * @default - only what the providers of this cluster register
   * @see https://docs.crossplane.io/latest/managed-resources/managed-resource-activation-policies/
   */
  readonly activations?: readonly string[];
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: CrossplaneValues;
}

/**
 * Crossplane from the pinned chart `crossplane` 2.3.4, in the controllers layer, namespace
 * `crossplane-system`. Provides: the core CRDs (pkg, apiextensions, ops, protection), applied by
 * the pod's init container, so they are served once the HelmRelease is Ready (the chart has no
 * CRD templates); every Crossplane object of this library is applied after it.
 *
 * Pod Security: `baseline`. The chart sets a fixed container securityContext
 * (`securityContextCrossplane`: runAsUser/Group 65532, no privilege escalation, read-only root)
 * without `capabilities.drop: [ALL]`, which `restricted` requires; InfraFlux adds what the chart
 * lets it (pod-level `runAsNonRoot` and the RuntimeDefault seccomp profile). Provider and function
 * pods run in the same namespace with a {@link CrossplaneProvider}'s hardened runtime config.
 */
export class Crossplane extends ChartBackedConstruct<CrossplaneValues> implements ICrossplane {
  private readonly activations = new Set<string>();

  public constructor(scope: Construct, id: string, props: CrossplaneProps = {}) {
    super(scope, id);
    for (const p of props.activations ?? []) this.activate([p]);
    const replicas = props.highAvailability ? 2 : 1;
    // A fresh object per key: a shared one would be rendered as a YAML anchor and alias.
    const podSecurityContext = () => ({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    this.createApp({
      ...props,
      chart: CROSSPLANE_CHART,
      name: 'crossplane',
      namespace: CROSSPLANE_NAMESPACE,
      podSecurity: PodSecurityLevel.BASELINE,
      values: {
        replicas,
        rbacManager: { replicas },
        // The metrics port and prometheus.io scrape annotations (chart default off); a
        // PodMonitor for the Prometheus Operator is left to the observability work.
        metrics: { enabled: true },
        podSecurityContextCrossplane: podSecurityContext(),
        podSecurityContextRBACManager: podSecurityContext(),
      },
    });
    // Read when the values are rendered (at synth): providers register their activations later.
    const activations = this.activations;
    this.app.addValues({
      provider: {
        get defaultActivations(): string[] {
          return [...activations].sort();
        },
      },
    });
    if (props.values) this.app.addValues(props.values);
    if (this.app.layer.layerName !== LayerName.CONTROLLERS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, `Crossplane must be created in the controllers layer (cluster.controllers), not "${this.app.layer.layerName}"`);
    }
    claimCapability(GitOpsCluster.of(this), CROSSPLANE_CAPABILITY, this);
  }

  public activate(patterns: readonly string[]): void {
    for (const p of patterns) {
      if (!/^(\*|[a-z0-9-]+)(\.[a-z0-9-]+)+$/.test(p) && p !== '*') invalidProp(this, `managed-resource activation "${p}" is not "<plural>.<group>", "*.<group>" or "*"`);
      this.activations.add(p);
    }
  }
}

/**
 * The Crossplane a Crossplane object of `scope`'s cluster is applied after: `crossplane` itself,
 * checked to be on the same cluster (a Crossplane object on a cluster without Crossplane never
 * becomes Ready: its kinds are never served).
 * @internal
 */
export function requireCrossplaneOnCluster(scope: IConstruct, crossplane: ICrossplane): void {
  const here = GitOpsCluster.of(scope).name;
  const there = GitOpsCluster.of(crossplane).name;
  if (here !== there) {
    throw new InfraFluxError(
      ErrorCode.CROSSPLANE_NOT_INSTALLED,
      scope,
      `is a Crossplane object on cluster "${here}", but the Crossplane it names (${crossplane.node.path}) runs on cluster "${there}"; install Crossplane on "${here}" (new Crossplane(cluster.controllers, ...)) and pass that one`,
    );
  }
}
