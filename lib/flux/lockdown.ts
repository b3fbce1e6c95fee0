import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError } from '../core/errors';

/**
 * The service account a tenant object without `serviceAccountName` impersonates under the
 * lockdown (`--default-service-account`): `default` of its own namespace, which InfraFlux never
 * grants anything, so a tenant object that forgets its account can change nothing.
 */
export const LOCKDOWN_DEFAULT_SERVICE_ACCOUNT = 'default';

/** One kustomize patch of the Flux installation (FluxInstance `spec.kustomize.patches`). */
export interface FluxInstallPatch {
  readonly patch: string;
  readonly target: { readonly kind: string; readonly name: string };
}

const addArg = (arg: string): string => `- op: add\n  path: /spec/template/spec/containers/0/args/-\n  value: ${arg}\n`;

/**
 * The Flux multi-tenancy lockdown, as the patches Flux documents for its installation
 * (fluxcd.io/flux/installation/configuration/multitenancy, fluxcd/flux2-multi-tenancy
 * `clusters/staging/flux-system/kustomization.yaml`):
 * - `--no-cross-namespace-refs=true` on kustomize-, helm- and notification-controller: an object
 *   may only reference sources (and alert providers) in its own namespace;
 * - `--no-remote-bases=true` on kustomize-controller: kustomize overlays cannot pull remote bases;
 * - `--default-service-account=default` on kustomize- and helm-controller: an object without
 *   `serviceAccountName` impersonates its namespace's `default` account instead of running with
 *   the controller's cluster-admin rights.
 * Decision 0094.
 */
export function fluxLockdownPatches(): FluxInstallPatch[] {
  return [
    { patch: addArg('--no-cross-namespace-refs=true'), target: { kind: 'Deployment', name: '(kustomize-controller|helm-controller|notification-controller)' } },
    { patch: addArg('--no-remote-bases=true'), target: { kind: 'Deployment', name: 'kustomize-controller' } },
    { patch: addArg(`--default-service-account=${LOCKDOWN_DEFAULT_SERVICE_ACCOUNT}`), target: { kind: 'Deployment', name: '(kustomize-controller|helm-controller)' } },
  ];
}

/** The flags of {@link fluxLockdownPatches}, per controller (for `flux install` / docs / the cluster README). */
export const FLUX_LOCKDOWN_FLAGS: Readonly<Record<string, readonly string[]>> = {
  'kustomize-controller': ['--no-cross-namespace-refs=true', '--no-remote-bases=true', `--default-service-account=${LOCKDOWN_DEFAULT_SERVICE_ACCOUNT}`],
  'helm-controller': ['--no-cross-namespace-refs=true', `--default-service-account=${LOCKDOWN_DEFAULT_SERVICE_ACCOUNT}`],
  'notification-controller': ['--no-cross-namespace-refs=true'],
};

interface FluxRef {
  readonly field: string;
  readonly namespace: string;
}

type Json = Record<string, unknown>;
const obj = (x: unknown): Json | undefined => (x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Json) : undefined);

/** The source references of a Flux Kustomization or HelmRelease that name a namespace explicitly. */
export function fluxSourceRefs(o: Json): FluxRef[] {
  const spec = obj(o.spec) ?? {};
  const refs: FluxRef[] = [];
  const push = (field: string, ref: unknown): void => {
    const ns = obj(ref)?.namespace;
    if (typeof ns === 'string') refs.push({ field, namespace: ns });
  };
  push('spec.sourceRef', spec.sourceRef);
  push('spec.chartRef', spec.chartRef);
  push('spec.chart.spec.sourceRef', obj(obj(spec.chart)?.spec)?.sourceRef);
  return refs;
}

const FLUX_KINDS = new Set(['kustomize.toolkit.fluxcd.io/Kustomization', 'helm.toolkit.fluxcd.io/HelmRelease']);

/** Whether `o` (an ApiObject's JSON) is a Flux Kustomization or HelmRelease. */
export function isFluxReconciler(o: Json): boolean {
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion.split('/')[0] : '';
  return FLUX_KINDS.has(`${apiVersion}/${String(o.kind)}`);
}

/**
 * The lockdown rule at synth: every Flux Kustomization and HelmRelease below `scope` references
 * sources only in its own namespace (what `--no-cross-namespace-refs=true` enforces in the
 * cluster, where the object would fail to reconcile instead). One error per reference, code
 * {@link ErrorCode.TENANCY_CROSS_NAMESPACE_REF}.
 */
export function crossNamespaceRefErrors(scope: IConstruct, filter: (namespace: string) => boolean = () => true): InfraFluxError[] {
  const errors: InfraFluxError[] = [];
  for (const c of scope.node.findAll()) {
    if (!(c instanceof ApiObject) || !isFluxReconciler({ apiVersion: c.apiVersion, kind: c.kind })) continue;
    const o = c.toJson() as Json;
    const ns = (obj(o.metadata)?.namespace as string | undefined) ?? 'default';
    if (!filter(ns)) continue;
    for (const ref of fluxSourceRefs(o)) {
      if (ref.namespace !== ns) {
        errors.push(
          new InfraFluxError(
            ErrorCode.TENANCY_CROSS_NAMESPACE_REF,
            c,
            `${String(o.kind)} ${ns}/${String(obj(o.metadata)?.name)} references a source in namespace "${ref.namespace}" (${ref.field}); with the multi-tenancy lockdown (--no-cross-namespace-refs=true) Flux only follows references within the object's own namespace "${ns}": create the source there${
              obj(o.spec)?.kubeConfig ? ' (a workload bootstrap reads the fleet\'s sources in flux-system: a management cluster runs with fluxLockdown: false until they have copies in the Cluster\'s namespace, decision 0094)' : ''
            }`,
          ),
        );
      }
    }
  }
  return errors;
}

/**
 * The other half of the lockdown at synth: under `--default-service-account`, a Flux Kustomization
 * or HelmRelease that names no `serviceAccountName` impersonates the powerless `default` account
 * of its namespace and can apply nothing. Every such object below `scope` must name its account
 * (the platform's: kustomize-controller / helm-controller in flux-system; a tenant's: its own), or
 * target another cluster (`spec.kubeConfig`, where the default does not apply). Code
 * {@link ErrorCode.TENANCY_IMPERSONATION}.
 */
export function missingIdentityErrors(scope: IConstruct): InfraFluxError[] {
  const errors: InfraFluxError[] = [];
  for (const c of scope.node.findAll()) {
    if (!(c instanceof ApiObject) || !isFluxReconciler({ apiVersion: c.apiVersion, kind: c.kind })) continue;
    const spec = obj((c.toJson() as Json).spec) ?? {};
    if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '') continue;
    if (spec.kubeConfig !== undefined) continue;
    errors.push(
      new InfraFluxError(
        ErrorCode.TENANCY_IMPERSONATION,
        c,
        `${c.kind} ${c.metadata.namespace ?? 'default'}/${c.name} names no spec.serviceAccountName; under the lockdown (--default-service-account=${LOCKDOWN_DEFAULT_SERVICE_ACCOUNT}) it would impersonate "${LOCKDOWN_DEFAULT_SERVICE_ACCOUNT}" and apply nothing: name the account it reconciles as`,
      ),
    );
  }
  return errors;
}
