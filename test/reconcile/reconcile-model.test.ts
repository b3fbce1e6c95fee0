/**
 * The reconcile model's rules: each failing test is a small fleet broken in exactly one way.
 */
import { ApiObject } from 'cdk8s';
import { ExternalInput, reconcileFleet, ReconcileClusterInput, ReconcileCode, ReconcileManifest } from '../../lib/reconcile';
import { buildReferenceFleet, MANAGEMENT_CLUSTER } from '../../stacks/fleet';

type Obj = Record<string, unknown>;

function kustomization(name: string, path: string, extra: Obj = {}): Obj {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system' },
    spec: { interval: '10m', path, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' }, ...extra },
  };
}

const ns = (name: string): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const configMap = (namespace: string, name: string): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: {} });

/** Cluster `c`: root → layer `a` (wait) → layer `b` (wait, dependsOn a); `objects` go to `<layer>/<file>`. */
function cluster(objects: Record<string, Obj>, opts: { a?: Obj; b?: Obj; inputs?: ExternalInput[]; name?: string } = {}): ReconcileClusterInput {
  const c = opts.name ?? 'c';
  const manifests: ReconcileManifest[] = [
    { file: `${c}/flux-system/kustomization-flux-system.yaml`, object: kustomization('flux-system', `./dist/${c}/flux-system`, { healthChecks: [{ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' }] }) },
    { file: `${c}/flux-system/gitrepository-flux-system.yaml`, object: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'https://example.com/fleet' } } },
    { file: `${c}/flux-system/kustomization-a.yaml`, object: kustomization('a', `./dist/${c}/a`, opts.a ?? { wait: true }) },
    { file: `${c}/flux-system/kustomization-b.yaml`, object: kustomization('b', `./dist/${c}/b`, opts.b ?? { wait: true, dependsOn: [{ name: 'a', namespace: 'flux-system' }] }) },
    ...Object.entries(objects).map(([file, object]) => ({ file: `${c}/${file}`, object })),
  ];
  return { name: c, manifests, externalInputs: opts.inputs ?? [] };
}

function codes(clusters: ReconcileClusterInput[]): string[] {
  return reconcileFleet(clusters).violations.map((v) => v.code);
}

const WIDGET_CRD: Obj = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Cluster', versions: [{ name: 'v1', served: true, storage: true }] },
};
const WIDGET: Obj = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };

describe('reconcile model', () => {
  test('a correctly ordered fleet has no violations and its README lists the waves', () => {
    // GIVEN a namespace in layer a and a ConfigMap in it in layer b (after a)
    const report = reconcileFleet([cluster({ 'a/namespace-x.yaml': ns('x'), 'b/configmap-x-y.yaml': configMap('x', 'y') })]);
    // THEN nothing is reported, and b applies in a later wave than a
    expect(report.violations).toEqual([]);
    const k = (id: string) => report.model.byName.get('c')!.kustomizations.find((n) => n.id === id)!;
    expect(k('flux-system/flux-system').wave).toBe(1);
    expect(k('flux-system/b').wave).toBeGreaterThan(k('flux-system/a').wave!);
    const readme = report.readmes.get('c/README.md')!;
    expect(readme).toContain('| 1 | `flux-system/flux-system` |');
    expect(readme).toContain('k_flux_system_a -.->|Ready before| k_flux_system_b');
    expect(readme).toMatchSnapshot();
  });

  test('an object applied with its namespace in the same Kustomization is fine', () => {
    expect(codes([cluster({ 'a/namespace-x.yaml': ns('x'), 'a/configmap-x-y.yaml': configMap('x', 'y') })])).toEqual([]);
  });

  test('fails when the namespace is created a layer later', () => {
    // GIVEN a ConfigMap in layer a whose namespace only layer b creates
    const report = reconcileFleet([cluster({ 'a/configmap-x-y.yaml': configMap('x', 'y'), 'b/namespace-x.yaml': ns('x') })]);
    // THEN the error names the file, the Kustomization, the namespace and what creates it
    expect(report.violations.map((v) => v.code)).toEqual([ReconcileCode.NAMESPACE_MISSING]);
    expect(report.violations[0].message).toMatch(/dist\/c\/a\/configmap-x-y\.yaml \(Kustomization flux-system\/a\): namespace "x" does not exist.*dist\/c\/b\/namespace-x\.yaml \(Kustomization flux-system\/b\)/);
  });

  test('fails when a CR comes before its CRD', () => {
    // GIVEN a Widget in layer a and its CRD in layer b
    const report = reconcileFleet([cluster({ 'a/widget-w.yaml': WIDGET, 'b/customresourcedefinition-widgets.example.com.yaml': WIDGET_CRD })]);
    expect(report.violations.map((v) => v.code)).toEqual([ReconcileCode.CRD_MISSING]);
    expect(report.violations[0].message).toMatch(/kind example\.com\/Widget is not served on cluster c.*customresourcedefinition-widgets\.example\.com\.yaml/);
    // AND the CRD object in the same Kustomization is fine (kustomize-controller applies CRDs first)
    expect(codes([cluster({ 'a/widget-w.yaml': WIDGET, 'a/customresourcedefinition-widgets.example.com.yaml': WIDGET_CRD })])).toEqual([]);
  });

  const certManager = (): Record<string, Obj> => ({
    'a/namespace-cert-manager.yaml': ns('cert-manager'),
    'a/helmrelease-cert-manager.yaml': {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'cert-manager', namespace: 'cert-manager' },
      spec: { chart: { spec: { chart: 'cert-manager', version: 'v1.21.1', sourceRef: { kind: 'HelmRepository', name: 'jetstack', namespace: 'flux-system' } } }, values: { crds: { enabled: true } } },
    },
    'flux-system/helmrepository-jetstack.yaml': { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'jetstack', namespace: 'flux-system' }, spec: { url: 'https://charts.jetstack.io' } },
  });
  const issuer: Obj = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'selfsigned' }, spec: { selfSigned: {} } };

  test('fails when a CR is in the same Kustomization as the HelmRelease that installs its CRD', () => {
    // GIVEN cert-manager's HelmRelease and a ClusterIssuer, both in layer a
    const report = reconcileFleet([cluster({ ...certManager(), 'a/clusterissuer-selfsigned.yaml': issuer })]);
    expect(report.violations.map((v) => v.code)).toEqual([ReconcileCode.CRD_FROM_SAME_KUSTOMIZATION]);
    expect(report.violations[0].message).toMatch(/kind cert-manager\.io\/ClusterIssuer is installed by dist\/c\/a\/helmrelease-cert-manager\.yaml in the same Kustomization/);
    // AND in layer b (after a is Ready, the chart's CRDs are served) it is fine
    expect(codes([cluster({ ...certManager(), 'b/clusterissuer-selfsigned.yaml': issuer })])).toEqual([]);
  });

  const deployment: Obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: 'default' },
    spec: { template: { spec: { containers: [{ name: 'app', image: 'app:1', envFrom: [{ secretRef: { name: 'creds' } }] }] } } },
  };
  const credsInput: ExternalInput = { kind: 'Secret', namespace: 'default', name: 'creds', consumer: 'Deployment app', providedBy: 'the operator', command: 'kubectl create secret generic creds' };

  test('fails when a referenced Secret has no producer', () => {
    const report = reconcileFleet([cluster({ 'a/deployment-app.yaml': deployment })]);
    expect(report.violations.map((v) => v.code)).toEqual([ReconcileCode.UNRESOLVED_REFERENCE]);
    expect(report.violations[0].message).toMatch(/spec\.template\.spec\.containers\.envFrom\.secretRef names Secret default\/creds.*declareExternalInput/);
    // AND a declared external input resolves it, and the README lists it
    const ok = reconcileFleet([cluster({ 'a/deployment-app.yaml': deployment }, { inputs: [credsInput] })]);
    expect(ok.violations).toEqual([]);
    expect(ok.readmes.get('c/README.md')).toContain('| `default/creds` | Secret | Deployment app | the operator | `kubectl create secret generic creds` |');
  });

  test('fails when a declared external input is used by nothing', () => {
    expect(codes([cluster({}, { inputs: [credsInput] })])).toEqual([ReconcileCode.UNUSED_EXTERNAL_INPUT]);
  });

  test('fails when a class or issuer is named that nothing creates', () => {
    // GIVEN a Certificate (CRD served through cert-manager in layer a) naming a ClusterIssuer nobody creates
    const cert: Obj = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 't', namespace: 'default' }, spec: { secretName: 't', issuerRef: { kind: 'ClusterIssuer', name: 'nobody' } } };
    const report = reconcileFleet([cluster({ ...certManager(), 'b/certificate-t.yaml': cert })]);
    expect(report.violations.map((v) => v.code)).toEqual([ReconcileCode.UNRESOLVED_CLASS]);
    expect(report.violations[0].message).toMatch(/spec\.issuerRef names ClusterIssuer nobody/);
    // AND a PersistentVolumeClaim naming a StorageClass nobody creates
    const pvc: Obj = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p', namespace: 'default' }, spec: { storageClassName: 'fast' } };
    expect(codes([cluster({ 'a/persistentvolumeclaim-p.yaml': pvc })])).toEqual([ReconcileCode.UNRESOLVED_CLASS]);
  });

  test('fails when a Cluster API MachineDeployment names a machine template nothing creates', () => {
    // GIVEN the MachineDeployment CRD, the Cluster it belongs to and a MachineDeployment naming a missing template
    const crd: Obj = { ...WIDGET_CRD, metadata: { name: 'machinedeployments.cluster.x-k8s.io' }, spec: { group: 'cluster.x-k8s.io', names: { kind: 'MachineDeployment', plural: 'machinedeployments' }, scope: 'Namespaced', versions: [] } };
    const clusterCrd: Obj = { ...WIDGET_CRD, metadata: { name: 'clusters.cluster.x-k8s.io' }, spec: { group: 'cluster.x-k8s.io', names: { kind: 'Cluster', plural: 'clusters' }, scope: 'Namespaced', versions: [] } };
    const md: Obj = {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineDeployment',
      metadata: { name: 'w', namespace: 'default' },
      spec: { clusterName: 'c1', template: { spec: { clusterName: 'c1', infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'AWSMachineTemplate', name: 'gone' } } } },
    };
    const cl: Obj = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'c1', namespace: 'default' }, spec: {} };
    const report = reconcileFleet([cluster({ 'a/crd-md.yaml': crd, 'a/crd-cluster.yaml': clusterCrd, 'b/cluster-c1.yaml': cl, 'b/machinedeployment-w.yaml': md })]);
    expect(report.violations.map((v) => v.code)).toEqual([ReconcileCode.UNRESOLVED_REFERENCE]);
    expect(report.violations[0].message).toMatch(/spec\.template\.spec\.infrastructureRef names AWSMachineTemplate default\/gone/);
  });

  test('fails when a route names a backend Service nothing creates; a Service created later is fine', () => {
    // GIVEN the HTTPRoute CRD in layer a and a route in it whose backend Service is missing
    const crd: Obj = { ...WIDGET_CRD, metadata: { name: 'httproutes.gateway.networking.k8s.io' }, spec: { group: 'gateway.networking.k8s.io', names: { kind: 'HTTPRoute', plural: 'httproutes' }, scope: 'Namespaced', versions: [] } };
    const route: Obj = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'default' }, spec: { rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] } };
    const report = reconcileFleet([cluster({ 'a/crd.yaml': crd, 'a/httproute-r.yaml': route })]);
    expect(report.violations.map((v) => v.code)).toEqual([ReconcileCode.UNRESOLVED_REFERENCE]);
    expect(report.violations[0].message).toMatch(/spec\.rules\.backendRefs names Service default\/web/);
    // AND a backend that a later Kustomization creates is accepted (routes resolve it whenever it appears)
    const svc: Obj = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: {} };
    expect(codes([cluster({ 'a/crd.yaml': crd, 'a/httproute-r.yaml': route, 'b/service-web.yaml': svc })])).toEqual([]);
  });

  test('fails when a health check targets an object nothing creates', () => {
    const report = reconcileFleet([cluster({ 'a/namespace-x.yaml': ns('x') }, { a: { wait: false, healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'ghost', namespace: 'x' }] } })]);
    expect(report.violations.map((v) => v.code)).toEqual([ReconcileCode.HEALTH_CHECK_TARGET]);
    expect(report.violations[0].message).toMatch(/Kustomization flux-system\/a .*health-checks Deployment x\/ghost/);
  });

  test('fails when Kustomizations wait for each other', () => {
    const report = reconcileFleet([cluster({}, { a: { wait: true, dependsOn: [{ name: 'b', namespace: 'flux-system' }] } })]);
    expect(report.violations.map((v) => v.code)).toEqual([ReconcileCode.NEVER_READY, ReconcileCode.NEVER_READY]);
    expect(report.violations[0].message).toMatch(/never starts: it depends on flux-system\/b, which never becomes Ready/);
  });

  test('fails when a remote object targets a cluster that lacks its CRD', () => {
    // GIVEN cluster m applying w/x/ to cluster w through a kubeconfig, and a Widget there with no CRD on w
    const kubeconfig: ExternalInput = { kind: 'Secret', namespace: 'flux-system', name: 'w-kubeconfig', consumer: 'remote', providedBy: 'the operator', command: 'kubectl create secret' };
    const m = cluster({ 'a/kustomization-remote.yaml': kustomization('remote', './dist/w/x', { wait: true, kubeConfig: { secretRef: { name: 'w-kubeconfig' } } }) }, { name: 'm', inputs: [kubeconfig] });
    const w: ReconcileClusterInput = { name: 'w', manifests: [{ file: 'w/x/widget-w.yaml', object: WIDGET }] };
    const report = reconcileFleet([m, w]);
    expect(report.violations.map((v) => v.code)).toEqual([ReconcileCode.CRD_MISSING]);
    expect(report.violations[0].message).toMatch(/dist\/w\/x\/widget-w\.yaml \(Kustomization flux-system\/remote of cluster m, applying to cluster w\): kind example\.com\/Widget is not served on cluster w/);
    // AND the same Widget is fine when the CRD is applied to w first
    const ok = cluster({ 'a/kustomization-remote.yaml': kustomization('remote', './dist/w/x', { wait: true, kubeConfig: { secretRef: { name: 'w-kubeconfig' } } }) }, { name: 'm', inputs: [kubeconfig] });
    expect(reconcileFleet([ok, { name: 'w', manifests: [{ file: 'w/x/widget-w.yaml', object: WIDGET }, { file: 'w/x/crd.yaml', object: WIDGET_CRD }] }]).violations).toEqual([]);
  });

  test('fails when a Kustomization applies an upstream source the model does not know', () => {
    // GIVEN a GitRepository on an unknown repository and a Kustomization applying it
    const repo: Obj = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'other', namespace: 'flux-system' }, spec: { url: 'https://example.com/unknown' } };
    const k = { ...kustomization('other', './deploy', { wait: true }), spec: { path: './deploy', prune: true, wait: true, sourceRef: { kind: 'GitRepository', name: 'other', namespace: 'flux-system' } } };
    const report = reconcileFleet([cluster({ 'a/gitrepository-other.yaml': repo, 'a/kustomization-other.yaml': k })]);
    expect(report.violations.map((v) => v.code)).toEqual([ReconcileCode.UNKNOWN_CONTENT]);
    expect(report.violations[0].message).toMatch(/https:\/\/example\.com\/unknown\) path \.\/deploy is no upstream release the model knows/);
  });

  test('fails when a file is applied by no Kustomization', () => {
    expect(codes([cluster({ 'elsewhere/configmap-default-y.yaml': configMap('default', 'y') })])).toEqual([ReconcileCode.NOT_APPLIED]);
  });
});

describe('the reference fleet', () => {
  test('reconciles cleanly, and fails synth when the podinfo default deny goes back into configs', () => {
    // GIVEN the reference fleet
    const fleet = buildReferenceFleet();
    // THEN the reconcile check passes
    expect(() => fleet.checkReconcile()).not.toThrow();
    // WHEN the podinfo policy is put back in the configs layer (before the apps layer creates its namespace)
    const mgmt = fleet.clusters.find((c) => c.name === MANAGEMENT_CLUSTER)!;
    // (a schema-valid policy of another name: synth-time validation would refuse a duplicate or an invalid spec first)
    new ApiObject(mgmt.configs, 'Deadlock', {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'deadlock-podinfo', namespace: 'podinfo' },
      spec: { endpointSelector: {}, egress: [{ toEntities: ['cluster'] }] },
    });
    // THEN synth fails naming the file, the Kustomization and the namespace
    expect(() => fleet.render()).toThrow(
      /RECONCILE_NAMESPACE_MISSING \[mgmt\/configs\/Deadlock\] dist\/mgmt\/configs\/ciliumnetworkpolicy-deadlock-podinfo\.yaml \(Kustomization flux-system\/configs\): namespace "podinfo" does not exist/,
    );
  });
});
