/**
 * Small fleets for the reconcile unit tests (rules, check, cluster-readme): the same shape as the
 * fleets of reconcile-model.test.ts, a cluster `c` whose root Kustomization applies `flux-system/`,
 * which holds layer `a` (wait) and layer `b` (wait, dependsOn a).
 */
import type { ExternalInput, ReconcileClusterInput, ReconcileManifest } from '../../lib/reconcile';

export type Obj = Record<string, unknown>;

export function kustomization(name: string, path: string, extra: Obj = {}): Obj {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system' },
    spec: { interval: '10m', path, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' }, ...extra },
  };
}

export const ns = (name: string): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
export const configMap = (namespace: string, name: string): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: {} });

export const WIDGET_CRD: Obj = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Cluster', versions: [{ name: 'v1', served: true, storage: true }] },
};
export const WIDGET: Obj = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };

export const CREDS_INPUT: ExternalInput = {
  kind: 'Secret',
  namespace: 'default',
  name: 'creds',
  consumer: 'Deployment app',
  providedBy: 'the operator',
  command: 'kubectl create secret generic creds',
};

/** A Deployment in `default` reading the Secret `creds`. */
export const DEPLOYMENT: Obj = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'app', namespace: 'default' },
  spec: { template: { spec: { containers: [{ name: 'app', image: 'app:1', envFrom: [{ secretRef: { name: 'creds' } }] }] } } },
};

/** Cluster `c` (or `name`): `objects` go to `<c>/<file>`; `a`/`b` replace the layers' spec extras. */
export function cluster(objects: Record<string, Obj>, opts: { a?: Obj; b?: Obj; inputs?: ExternalInput[]; name?: string } = {}): ReconcileClusterInput {
  const c = opts.name ?? 'c';
  const manifests: ReconcileManifest[] = [
    {
      file: `${c}/flux-system/kustomization-flux-system.yaml`,
      object: kustomization('flux-system', `./dist/${c}/flux-system`, { healthChecks: [{ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' }] }),
    },
    { file: `${c}/flux-system/gitrepository-flux-system.yaml`, object: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'https://example.com/fleet' } } },
    { file: `${c}/flux-system/kustomization-a.yaml`, object: kustomization('a', `./dist/${c}/a`, opts.a ?? { wait: true }) },
    { file: `${c}/flux-system/kustomization-b.yaml`, object: kustomization('b', `./dist/${c}/b`, opts.b ?? { wait: true, dependsOn: [{ name: 'a', namespace: 'flux-system' }] }) },
    ...Object.entries(objects).map(([file, object]) => ({ file: `${c}/${file}`, object })),
  ];
  return { name: c, manifests, externalInputs: opts.inputs ?? [] };
}
