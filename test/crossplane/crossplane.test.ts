/**
 * Crossplane (lib/crossplane, stacks/crossplane.ts): the chart, the packages, the bucket /
 * database / DNS-record platform APIs and the sample app on a small test fleet; the synth rules;
 * the reconcile model's ordering; off on the reference fleet.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { parse } from 'yaml';
import {
  addAwsPlatformPackages,
  addPlatformApis,
  CompositeResource,
  CompositeResourceDefinition,
  Composition,
  Crossplane,
  CrossplaneApis,
  CrossplanePackages,
  CROSSPLANE_PACKAGES,
  patchAndTransform,
  SecretReference,
} from '../../lib';
import { ErrorCode } from '../../lib/core/errors';
import { ReconcileCode } from '../../lib/reconcile';
import { GatewayStack } from '../../lib/edge';
import { addCrossplane } from '../../stacks/crossplane';
import { addBaseline } from '../../stacks/fleet';
import { thrownBy } from '../support/errors';
import { manifestsByFile, testCluster } from '../support/fleet';
import { referenceFleet } from '../support/reference-fleet';

/** A test cluster with Crossplane, its packages and APIs, and the sample app (stacks/crossplane.ts, enabled). */
function crossplaneFleet(name = 'test') {
  const { fleet, cluster } = testCluster(name);
  const baseline = addBaseline(cluster, { name, certManagerReplicas: 1 });
  const xp = addCrossplane(baseline, { enabled: true })!;
  return { fleet, cluster, xp };
}

/** Crossplane, packages and APIs on `cluster`, built from the library alone. */
function apisOn(cluster: ReturnType<typeof testCluster>['cluster']) {
  const crossplane = new Crossplane(cluster.controllers, 'Crossplane');
  const packages = new CrossplanePackages(cluster.configs, 'CrossplanePackages', { crossplane });
  const fn = packages.addFunction('Pt', { package: CROSSPLANE_PACKAGES.functionPatchAndTransform });
  const apis = new CrossplaneApis(cluster.configs, 'CrossplaneApis', { crossplane, packages });
  return { crossplane, packages, fn, apis };
}

const BUCKET_SCHEMA = { type: 'object', properties: { region: { type: 'string' } } };

describe('Crossplane on a test fleet (stacks/crossplane.ts enabled)', () => {
  // GIVEN one test cluster with Crossplane enabled (built once: the assertions only read it)
  const { fleet, xp } = crossplaneFleet();
  // Synthesized once (each fleet.manifests() synthesizes and validates everything again).
  const files = manifestsByFile(fleet);
  const get = (file: string): Record<string, any> => {
    const found = files[file];
    if (!found) throw new Error(`no manifest ${file}`);
    return found;
  };
  const values = parse(get('test/releases/crossplane/configmap-crossplane-values.yaml').data['values.yaml']);

  test('the chart: pinned, crossplane-system at baseline, pod seccomp, activations only for the providers', () => {
    // THEN the HelmRelease installs the pinned chart and is the construct's default child
    expect(get('test/releases/crossplane/helmrelease-crossplane.yaml').spec.chart.spec).toMatchObject({ chart: 'crossplane', version: '2.3.4' });
    expect(xp.crossplane.node.defaultChild).toBe(xp.crossplane.helmRelease);
    expect(get('test/controllers/namespace-crossplane-system.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(values.podSecurityContextCrossplane).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    // AND the default MRAP activates only the managed resources of the installed providers
    expect(values.provider.defaultActivations).toEqual(['*.iam.aws.m.upbound.io', '*.rds.aws.m.upbound.io', '*.route53.aws.m.upbound.io', '*.s3.aws.m.upbound.io']);
    expect(values.replicas).toBe(1);
    expect(values.metrics).toEqual({ enabled: true });
  });

  test('packages: fully qualified pinned images, hardened runtime configs, Healthy health checks', () => {
    const provider = get('test/releases/crossplane-packages/provider-provider-aws-s3.yaml');
    expect(provider.spec).toEqual({
      package: 'xpkg.crossplane.io/crossplane-contrib/provider-aws-s3:v2.0.0',
      runtimeConfigRef: { apiVersion: 'pkg.crossplane.io/v1beta1', kind: 'DeploymentRuntimeConfig', name: 'provider-aws-s3' },
    });
    const drc = get('test/releases/crossplane-packages/deploymentruntimeconfig-provider-aws-s3.yaml');
    expect(drc.spec.deploymentTemplate.spec.template.spec.containers[0]).toMatchObject({ name: 'package-runtime', securityContext: { capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true } });
    expect(get('test/releases/crossplane-packages/function-function-patch-and-transform.yaml').spec.package).toBe('xpkg.crossplane.io/crossplane-contrib/function-patch-and-transform:v0.8.2');
    const k = get('test/configs/kustomization-crossplane-packages.yaml');
    expect(k.spec.healthCheckExprs.map((e: { kind: string }) => e.kind)).toEqual(['Provider', 'Function']);
  });

  test('ordering: Crossplane → packages Healthy → ProviderConfig, XRDs Established, Compositions → the sample XR', () => {
    const apis = get('test/configs/kustomization-crossplane-apis.yaml');
    expect(apis.spec.dependsOn).toEqual([{ name: 'crossplane-packages', namespace: 'flux-system' }]);
    expect(apis.spec.healthCheckExprs).toEqual([{ apiVersion: 'apiextensions.crossplane.io/v2', kind: 'CompositeResourceDefinition', current: "status.conditions.exists(e, e.type == 'Established' && e.status == 'True')" }]);
    // AND across layers the layer order carries it: controllers (Crossplane) → configs (packages, APIs) → apps (the XR)
    const layer = (name: string) => Object.entries(files).find(([f, o]) => f.startsWith('test/') && o.kind === 'Kustomization' && (o.metadata as { name: string }).name === name)![1] as Record<string, any>;
    expect(layer('configs').spec.dependsOn).toEqual([{ name: 'controllers', namespace: 'flux-system' }]);
    expect(layer('apps').spec.dependsOn).toEqual([{ name: 'configs', namespace: 'flux-system' }]);
    expect(get('test/apps/kustomization-bucket-sample.yaml').spec.dependsOn).toEqual([]);
    // AND the reconcile model, which knows what each step serves, finds the fleet comes up
    expect(() => fleet.checkReconcile()).not.toThrow();
  });

  test('three XRDs (v2, Namespaced) with a Pipeline Composition each', () => {
    for (const [plural, kind] of [['buckets', 'Bucket'], ['databases', 'Database'], ['dnsrecords', 'DnsRecord']] as const) {
      const xrd = get(`test/releases/crossplane-apis/compositeresourcedefinition-${plural}.platform.infraflux.io.yaml`);
      expect(xrd.apiVersion).toBe('apiextensions.crossplane.io/v2');
      expect(xrd.spec).toMatchObject({ group: 'platform.infraflux.io', names: { kind, plural }, scope: 'Namespaced' });
      const c = get(`test/releases/crossplane-apis/composition-${plural}.platform.infraflux.io.yaml`);
      expect(c.spec).toMatchObject({ compositeTypeRef: { apiVersion: 'platform.infraflux.io/v1alpha1', kind }, mode: 'Pipeline' });
      expect(c.spec.pipeline[0]).toMatchObject({ step: 'patch-and-transform', functionRef: { name: 'function-patch-and-transform' }, input: { apiVersion: 'pt.fn.crossplane.io/v1beta1', kind: 'Resources' } });
    }
    // THEN the bucket is encrypted and never public; the database is encrypted and private
    const bucket = get('test/releases/crossplane-apis/composition-buckets.platform.infraflux.io.yaml').spec.pipeline[0].input.resources;
    expect(bucket.map((r: { name: string }) => r.name)).toEqual(['bucket', 'encryption', 'public-access-block', 'versioning', 'user', 'policy', 'access-key']);
    expect(bucket[2].base.spec.forProvider).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    const db = get('test/releases/crossplane-apis/composition-databases.platform.infraflux.io.yaml').spec.pipeline[0].input.resources[0];
    expect(db.base.spec.forProvider).toMatchObject({ storageEncrypted: true, publiclyAccessible: false, autoGeneratePassword: true });
  });

  test('the ProviderConfig reads its credentials through the SecretReference (a declared input)', () => {
    const pc = get('test/releases/crossplane-apis/clusterproviderconfig-default.yaml');
    expect(pc.apiVersion).toBe('aws.m.upbound.io/v1beta1');
    expect(pc.spec.credentials).toEqual({ source: 'Secret', secretRef: { namespace: 'crossplane-apis', name: 'crossplane-aws-credentials', key: 'credentials' } });
  });

  test('the sample app: Namespace, Bucket XR, workload reading the connection Secret, Service, Kustomization', () => {
    const sample = Object.keys(files).filter((f) => /bucket-sample/.test(f)).sort();
    expect(sample).toEqual([
      'test/apps/kustomization-bucket-sample.yaml',
      'test/apps/namespace-bucket-sample.yaml',
      'test/releases/bucket-sample/bucket-data.yaml',
      'test/releases/bucket-sample/deployment-bucket-sample.yaml',
      'test/releases/bucket-sample/service-bucket-sample.yaml',
    ]);
    const xr = get('test/releases/bucket-sample/bucket-data.yaml');
    expect(xr).toMatchObject({ apiVersion: 'platform.infraflux.io/v1alpha1', kind: 'Bucket', metadata: { namespace: 'bucket-sample', annotations: { 'infraflux.io/connection-secret': 'data-bucket' } } });
    const pod = get('test/releases/bucket-sample/deployment-bucket-sample.yaml').spec.template.spec;
    expect(pod.containers[0].envFrom).toEqual([{ secretRef: { name: 'data-bucket' } }]);
    expect(xp.sample!.service).toMatchObject({ name: 'bucket-sample', namespace: 'bucket-sample', port: 80 });
  });

  test('the sample app\'s route: on the cluster Gateway, to its Service, after the app', () => {
    // GIVEN a test cluster with an edge (zones managed elsewhere) and Crossplane enabled with it
    const { fleet: f, cluster } = testCluster('edge');
    const baseline = addBaseline(cluster, { name: 'edge', certManagerReplicas: 1 });
    const edge = new GatewayStack(cluster, 'Edge', { gatewayApi: baseline.gatewayApi, issuer: baseline.issuer, zones: ['example.com'], domain: 'edge.example.com' });
    addCrossplane(baseline, { enabled: true, edge, domain: 'example.com' });
    // WHEN synthesized
    const routes = f.manifests().filter((m) => m.object.kind === 'HTTPRoute' && (m.object.metadata as { name: string }).name === 'bucketsample');
    // THEN one HTTPRoute for bucket-sample.edge.example.com to Service bucket-sample:80 in its namespace
    expect(routes).toHaveLength(1);
    const spec = routes[0]!.object.spec as Record<string, any>;
    expect(spec.hostnames).toEqual(['bucket-sample.edge.example.com']);
    expect(spec.rules[0].backendRefs).toEqual([expect.objectContaining({ name: 'bucket-sample', namespace: 'bucket-sample', port: 80 })]);
  });

  test('snapshot of the Crossplane files', () => {
    const ours = Object.fromEntries(Object.entries(files).filter(([f]) => /crossplane|bucket-sample/.test(f)));
    expect(ours).toMatchSnapshot();
  });
});

describe('Crossplane rules', () => {
  test('escape hatch: a package\'s raw object is its default child and takes JSON patches', () => {
    // GIVEN a provider
    const { fleet, cluster } = testCluster();
    const { packages } = apisOn(cluster);
    const provider = packages.addProvider('S3', { package: CROSSPLANE_PACKAGES.providerAwsS3 });
    // WHEN a field InfraFlux does not set is patched in
    ApiObject.of(provider).addJsonPatch(JsonPatch.add('/spec/packagePullPolicy', 'IfNotPresent'));
    // THEN the emitted Provider carries it (and still validates against the pinned CRD)
    expect(ApiObject.of(provider)).toBe(provider.resource);
    const obj = fleet.manifests().find((m) => m.file === 'test/releases/crossplane-packages/provider-provider-aws-s3.yaml')!.object as Record<string, any>;
    expect(obj.spec.packagePullPolicy).toBe('IfNotPresent');
  });

  test('fails: a Crossplane object on a cluster without Crossplane', () => {
    // GIVEN Crossplane on cluster a only
    const { fleet, cluster } = testCluster('a');
    const crossplane = new Crossplane(cluster.controllers, 'Crossplane');
    const b = fleet.addCluster('b', { name: 'b' });
    // WHEN packages on cluster b name it
    const err = thrownBy(() => new CrossplanePackages(b.configs, 'CrossplanePackages', { crossplane }));
    // THEN
    expect(err.code).toBe(ErrorCode.CROSSPLANE_NOT_INSTALLED);
    expect(err.constructPath).toBe('b/configs/CrossplanePackages');
  });

  test('fails: a composite resource whose XRD is not defined on its cluster', () => {
    // GIVEN the APIs on cluster a, and an XR on cluster b
    const { fleet, cluster } = testCluster('a');
    const { apis, fn } = apisOn(cluster);
    const xrd = new CompositeResourceDefinition(apis, 'BucketApi', { group: 'platform.example.com', kind: 'Bucket', specSchema: BUCKET_SCHEMA });
    new Composition(apis, 'BucketComposition', { xrd, pipeline: [{ step: 'pt', function: fn, input: patchAndTransform([]) }] });
    const b = fleet.addCluster('b', { name: 'b' });
    new CompositeResource(b.apps, 'Bucket', { api: xrd, name: 'data', namespace: 'default', spec: { region: 'eu-west-1' } });
    // WHEN synthesizing
    const err = thrownBy(() => fleet.manifests());
    // THEN
    expect(err.problems.map((p) => p.code)).toContain(ErrorCode.CROSSPLANE_XRD_NOT_ON_CLUSTER);
  });

  test('fails: a Composition for an XRD another cluster defines', () => {
    const { fleet, cluster } = testCluster('a');
    const a = apisOn(cluster);
    const xrd = new CompositeResourceDefinition(a.apis, 'BucketApi', { group: 'platform.example.com', kind: 'Bucket', specSchema: BUCKET_SCHEMA });
    const b = apisOn(fleet.addCluster('b', { name: 'b' }));
    new Composition(b.apis, 'BucketComposition', { xrd, pipeline: [{ step: 'pt', function: b.fn, input: patchAndTransform([]) }] });
    const err = thrownBy(() => fleet.manifests());
    const problem = err.problems.find((p) => p.code === ErrorCode.CROSSPLANE_XRD_NOT_ON_CLUSTER);
    expect([err.problems.map((p) => p.message), problem?.constructPath]).toEqual([expect.anything(), 'b/configs/CrossplaneApis/Content/BucketComposition']);
  });

  test('fails: a composite resource of an API without a Composition', () => {
    const { fleet, cluster } = testCluster();
    const { apis } = apisOn(cluster);
    const xrd = new CompositeResourceDefinition(apis, 'BucketApi', { group: 'platform.example.com', kind: 'Bucket', specSchema: BUCKET_SCHEMA });
    new CompositeResource(cluster.apps, 'Bucket', { api: xrd, name: 'data', namespace: 'default', spec: {} });
    expect(thrownBy(() => fleet.manifests()).problems.map((p) => p.code)).toContain(ErrorCode.CROSSPLANE_NO_COMPOSITION);
  });

  test('fails: an XR spec that does not fit the XRD schema', () => {
    const { cluster } = testCluster();
    const { apis } = apisOn(cluster);
    const xrd = new CompositeResourceDefinition(apis, 'BucketApi', { group: 'platform.example.com', kind: 'Bucket', specSchema: { type: 'object', required: ['region'], properties: { region: { type: 'string' } } } });
    const err = thrownBy(() => new CompositeResource(cluster.apps, 'Bucket', { api: xrd, name: 'data', namespace: 'default', spec: { regoin: 'eu-west-1' } }));
    expect(err.code).toBe(ErrorCode.CROSSPLANE_XR_SPEC);
    expect(err.message).toMatch(/unknown field "regoin"/);
    expect(err.message).toMatch(/must have required property 'region'/);
  });

  test('fails: a package without a registry or with a range', () => {
    const { cluster } = testCluster();
    const { packages } = apisOn(cluster);
    expect(thrownBy(() => packages.addProvider('Short', { package: { repository: 'crossplane-contrib/provider-aws-s3', tag: 'v2.0.0', source: 'x' } })).code).toBe(ErrorCode.CROSSPLANE_INVALID_PACKAGE);
    expect(thrownBy(() => packages.addProvider('Latest', { package: { repository: 'xpkg.crossplane.io/crossplane-contrib/provider-aws-s3', tag: 'latest', source: 'x' } })).code).toBe(ErrorCode.CROSSPLANE_INVALID_PACKAGE);
  });

  test('fails: APIs naming the packages of another cluster', () => {
    const { fleet, cluster } = testCluster('a');
    const { crossplane: ca, packages } = apisOn(cluster);
    const b = fleet.addCluster('b', { name: 'b' });
    const crossplane = new Crossplane(b.controllers, 'Crossplane');
    const err = thrownBy(() => new CrossplaneApis(b.configs, 'Apis', { crossplane, packages }));
    expect([err.code, err.constructPath]).toEqual([ErrorCode.CROSSPLANE_NOT_INSTALLED, 'b/configs/Apis']);
    expect(ca.node.path).toBe('a/controllers/Crossplane');
  });

  test('fails: a managed-resource activation that is not a pattern', () => {
    const { cluster } = testCluster();
    const crossplane = new Crossplane(cluster.controllers, 'Crossplane');
    const err = thrownBy(() => crossplane.activate(['S3 buckets']));
    expect([err.code, err.message]).toEqual([ErrorCode.INVALID_PROP, expect.stringMatching(/activation "S3 buckets" is not "<plural>.<group>"/)]);
  });

  test('fails: two Crossplanes on one cluster', () => {
    const { fleet, cluster } = testCluster();
    new Crossplane(cluster.controllers, 'Crossplane');
    new Crossplane(cluster.controllers, 'Other');
    const problem = thrownBy(() => fleet.manifests()).problems.find((p) => /claims "crossplane"/.test(p.message));
    expect(problem?.code).toBe(ErrorCode.DUPLICATE);
    expect(problem?.message).toMatch(/\[test\/controllers\/Other\] claims "crossplane", which test\/controllers\/Crossplane already provides/);
  });

  test('fails: Crossplane outside the controllers layer', () => {
    const { cluster } = testCluster();
    expect(thrownBy(() => new Crossplane(cluster.configs, 'Crossplane')).code).toBe(ErrorCode.WRONG_LAYER);
  });

  test('fails reconcile: an XR applied with the XRD that defines its kind', () => {
    // GIVEN an XR in the same Kustomization as its XRD (its kind is served only once the XRD is Established)
    const { fleet, cluster } = testCluster();
    const crossplane = new Crossplane(cluster.controllers, 'Crossplane');
    const packages = new CrossplanePackages(cluster.configs, 'CrossplanePackages', { crossplane });
    const apis = new CrossplaneApis(cluster.configs, 'CrossplaneApis', { crossplane, packages });
    const aws = addAwsPlatformPackages(packages);
    const fn = aws.patchAndTransform;
    apis.addProviderConfig('ProviderConfig', { provider: aws.family, credentials: SecretReference.fromExternalInput('creds', 'crossplane-apis', ['credentials']).key('credentials') });
    cluster.declareExternalInput({ kind: 'Secret', namespace: 'crossplane-apis', name: 'creds', consumer: 'test', providedBy: 'test', command: 'kubectl create secret' });
    const { bucket } = addPlatformApis(apis, { patchAndTransform: fn });
    new CompositeResource(apis.content, 'Bucket', { api: bucket.xrd, name: 'data', namespace: 'crossplane-apis', spec: {} });
    // WHEN the reconcile model replays the fleet
    const err = thrownBy(() => fleet.checkReconcile());
    // THEN the XR's kind is served only after its Kustomization's dry run has failed
    expect(err.problems.map((p) => p.code)).toContain(ReconcileCode.CRD_FROM_SAME_KUSTOMIZATION);
    expect(err.problems.find((p) => p.code === ReconcileCode.CRD_FROM_SAME_KUSTOMIZATION)?.message).toMatch(/bucket-data/);
  });
});

describe('Crossplane connection Secrets in the reconcile model', () => {
  test('fails reconcile: a workload reading a Secret no XR announces', () => {
    // GIVEN the sample app, plus a pod in its folder reading a Secret of an XR that does not exist
    const { fleet, cluster } = testCluster();
    const baseline = addBaseline(cluster, { name: 'test', certManagerReplicas: 1 });
    const xp = addCrossplane(baseline, { enabled: true })!;
    new ApiObject(xp.sample!.content, 'Reader', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'reader', namespace: 'bucket-sample' },
      spec: {
        selector: { matchLabels: { app: 'reader' } },
        template: { metadata: { labels: { app: 'reader' } }, spec: { containers: [{ name: 'c', image: 'ghcr.io/stefanprodan/podinfo:6.9.2', envFrom: [{ secretRef: { name: 'other-bucket' } }] }] } },
      },
    });
    // WHEN the model replays it
    const err = thrownBy(() => fleet.checkReconcile());
    // THEN only that Secret is unresolved: data-bucket (announced by the Bucket XR) resolves
    const unresolved = err.problems.filter((p) => p.code === ReconcileCode.UNRESOLVED_REFERENCE);
    expect(unresolved.map((p) => /other-bucket/.test(p.message))).toEqual([true]);
  });
});

describe('Crossplane on the reference fleet', () => {
  test('is off on every reference cluster', () => {
    // GIVEN the shared reference fleet build
    const { manifests } = referenceFleet();
    // THEN no Crossplane object is emitted anywhere
    expect(manifests.filter((m) => /crossplane/.test(m.file) || /crossplane\.io\//.test(String(m.object.apiVersion)))).toEqual([]);
  });
});
