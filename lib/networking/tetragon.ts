import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { TETRAGON_CHART } from '../../imports/helm/charts';
import { TetragonValues } from '../../imports/helm/tetragon';
import { TracingPolicy } from '../../imports/tetragon-cilium.io';
import { deepMerge } from '../core/_merge';
import { ChartBackedConstruct, IFluxApp } from '../flux/flux-app';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import type { ICiliumNetworking } from './_cilium-api';
import { requireConfigsOrLater } from './_layer-rules';

/**
 * A Tetragon installation that TracingPolicies can rely on: its operator installs the
 * TracingPolicy CRDs, so policies wait for it in the Flux graph. Implemented by {@link Tetragon}.
 */
export interface ITetragon extends IFluxApp<TetragonValues> {
  /** Namespace Tetragon runs in (kube-system, next to Cilium). */
  readonly namespace: string;
}

export interface TetragonProps extends ReconcileTiming {
  /** The cluster's Cilium (Tetragon runs next to it in kube-system). */
  readonly cilium: ICiliumNetworking;
  /**
   * Tetragon's Prometheus metrics.
   * @default true
   */
  readonly metrics?: boolean;
  /**
   * ServiceMonitors (only when the prometheus-operator CRDs are installed).
   * @default false
   */
  readonly serviceMonitors?: boolean;
  /**
   * Extra chart values, merged over InfraFlux's.
   * @default {}
   */
  readonly values?: TetragonValues;
}

/**
 * Tetragon 1.7 (eBPF runtime security) from its pinned chart in kube-system, next to Cilium. Its
 * CRDs (TracingPolicy, TracingPolicyNamespaced, PodInfo) are installed by tetragon-operator.
 * Created by {@link CiliumNetworking} unless `tetragon: false`; add the baseline policies with
 * {@link TetragonBaselinePolicies} (CiliumNetworking does it in `addBaselinePolicies`).
 * @see https://tetragon.io/docs/installation/kubernetes/
 */
export class Tetragon extends ChartBackedConstruct<TetragonValues> implements ITetragon {

  /** The agent's and the operator's ServiceMonitors (chart `tetragon.prometheus.serviceMonitor`, `tetragonOperator.prometheus.serviceMonitor`), when metrics are on. */
  protected monitoringValues(): TetragonValues | undefined {
    if (!(this.metricsOn as boolean | undefined)) return undefined;
    const on = { serviceMonitor: { enabled: true } };
    return { tetragon: { prometheus: on }, tetragonOperator: { prometheus: on } };
  }

  private readonly metricsOn: boolean;

  public constructor(scope: Construct, id: string, props: TetragonProps) {
    super(scope, id);
    const metrics = props.metrics ?? true;
    const values: TetragonValues = {
      tetragon: {
        prometheus: { enabled: metrics, serviceMonitor: { enabled: metrics && (props.serviceMonitors ?? false) } },
        // Runtime events go to the export file (read by the log pipeline / OTel filelog receiver).
        exportFilename: 'tetragon.log',
      },
      tetragonOperator: {
        prometheus: { enabled: metrics, serviceMonitor: { enabled: metrics && (props.serviceMonitors ?? false) } },
      },
      crds: { installMethod: 'operator' },
    };
    this.createApp({
      ...props,
      chart: TETRAGON_CHART,
      name: 'tetragon',
      namespace: 'kube-system',
      createNamespace: false,
      values: deepMerge(values, props.values),
    });
    // Tetragon's agent needs Cilium's datapath (Pod networking) to be in place.
    this.addDependency(props.cilium);
    this.metricsOn = metrics;
  }

}

export interface TetragonBaselinePoliciesProps {
  /** The Tetragon whose CRDs the policies need. */
  readonly tetragon: ITetragon;
  /**
   * Kill (SIGKILL) instead of only reporting on the enforcing rules (kernel module loading from
   * containers, writes to host credential files).
   * @default false (observe first, as the design advises: "tune to avoid noise")
   */
  readonly enforce?: boolean;
}

/** The setuid-family syscalls the privilege-escalation policy hooks, with their number of uid/gid arguments. */
const SETUID_FAMILY: ReadonlyArray<{ readonly call: string; readonly ids: number }> = [
  { call: 'sys_setuid', ids: 1 },
  { call: 'sys_setgid', ids: 1 },
  { call: 'sys_setreuid', ids: 2 },
  { call: 'sys_setregid', ids: 2 },
  { call: 'sys_setresuid', ids: 3 },
  { call: 'sys_setresgid', ids: 3 },
];

/** Names of the baseline TracingPolicies. */
export const TETRAGON_BASELINE_POLICIES: readonly string[] = [
  'infraflux-sensitive-files',
  'infraflux-privilege-escalation',
  'infraflux-kernel-modules',
  'infraflux-namespace-escape',
];

/**
 * Tetragon baseline TracingPolicies (cluster-wide, configs layer): access to credential and
 * Kubernetes secret files, setuid-family syscalls to uid/gid 0 (root), kernel module loading, and
 * namespace changes (setns) by containers. Observe-only by default.
 * @see https://tetragon.io/docs/policy-library/observability/
 * @see https://github.com/cilium/tetragon/blob/main/examples/tracingpolicy/sys_setuid.yaml
 */
export class TetragonBaselinePolicies extends Construct {
  public readonly policies: readonly ApiObject[];

  public constructor(scope: Construct, id: string, props: TetragonBaselinePoliciesProps) {
    super(scope, id);
    requireConfigsOrLater(this, 'TetragonBaselinePolicies');
    const enforce = props.enforce ?? false;
    const kill = enforce ? [{ action: 'Sigkill' }] : [];
    const post = [{ action: 'Post' }];
    const inContainer = { matchNamespaces: [{ namespace: 'Mnt', operator: 'NotIn', values: ['host_ns'] }] };
    const make = (name: string, spec: Record<string, unknown>): ApiObject =>
      new ApiObject(this, name, { apiVersion: TracingPolicy.GVK.apiVersion, kind: TracingPolicy.GVK.kind, metadata: { name }, spec });
    this.policies = [
      make('infraflux-sensitive-files', {
        kprobes: [
          {
            call: 'security_file_permission',
            syscall: false,
            return: true,
            args: [{ index: 0, type: 'file' }, { index: 1, type: 'int' }],
            returnArg: { index: 0, type: 'int' },
            returnArgAction: 'Post',
            selectors: [
              {
                matchArgs: [
                  { index: 0, operator: 'Prefix', values: ['/etc/shadow', '/etc/sudoers', '/etc/kubernetes/', '/var/lib/kubelet/pki/', '/system/secrets/', '/root/.ssh/'] },
                ],
                matchActions: post,
              },
            ],
          },
        ],
      }),
      // setuid-family syscalls that set a uid or gid to 0 (root) from a container. Hooking
      // commit_creds without a filter would report every exec; Tetragon resolves `sys_<name>` with
      // `syscall: true` to the architecture's entry (`__x64_sys_setuid`, ...). Selectors are ORed,
      // matchArgs inside one selector ANDed: one selector per id argument.
      make('infraflux-privilege-escalation', {
        kprobes: SETUID_FAMILY.map(({ call, ids }) => ({
          call,
          syscall: true,
          args: Array.from({ length: ids }, (_, index) => ({ index, type: 'int' })),
          selectors: Array.from({ length: ids }, (_, index) => ({
            ...inContainer,
            matchArgs: [{ index, operator: 'Equal', values: ['0'] }],
            matchActions: post,
          })),
        })),
      }),
      make('infraflux-kernel-modules', {
        kprobes: [
          {
            call: 'security_kernel_module_request',
            syscall: false,
            args: [{ index: 0, type: 'string' }],
            selectors: [{ ...inContainer, matchActions: [...post, ...kill] }],
          },
        ],
      }),
      make('infraflux-namespace-escape', {
        kprobes: [
          {
            call: 'sys_setns',
            syscall: true,
            args: [{ index: 0, type: 'int' }, { index: 1, type: 'int' }],
            selectors: [{ ...inContainer, matchActions: [...post, ...kill] }],
          },
        ],
      }),
    ];
    GitOpsCluster.of(this).addDependency(this, props.tetragon);
  }
}
