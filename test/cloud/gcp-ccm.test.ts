import { Construct } from 'constructs';
import { parse, parseAllDocuments } from 'yaml';
import { UpstreamCache } from '../../lib/upstream/lock';
import { ErrorCode } from '../../lib/core/errors';
import { GCP_CCM_RELEASE, GcpCloudControllerManager } from '../../lib';
import { validateFleetManifests } from '../../lib/validation';
import { thrownBy } from '../support/errors';
import { bootstrap, bootstrapFiles, file, setup } from './_setup';

describe('GcpCloudControllerManager', () => {
  test('snapshot of what the management cluster applies', () => {
    const { fleet, mgmt, workload } = setup('dev-gcp');
    bootstrap(mgmt, workload, new GcpCloudControllerManager(workload.controllers, 'Ccm', { clusterName: 'dev-gcp', project: 'infraflux-dev' }));
    expect(bootstrapFiles(fleet, 'dev-gcp')).toMatchSnapshot();
  });

  test('the pinned upstream package, patched: image, args (no nodeipam, no routes), KubePrism, gce.conf from a ConfigMap applied first', () => {
    const { fleet, mgmt, workload } = setup('dev-gcp');
    bootstrap(mgmt, workload, new GcpCloudControllerManager(workload.controllers, 'Ccm', { clusterName: 'dev-gcp', project: 'infraflux-dev' }));
    const src = file(fleet, 'mgmt/flux-system/gitrepository-cloud-provider-gcp.yaml');
    expect(src.spec).toMatchObject({ url: GCP_CCM_RELEASE.url, ref: { tag: 'v35.1.3' } });
    const ks = file(fleet, 'mgmt/releases/dev-gcp-bootstrap/kustomization-gcp-cloud-controller-manager.yaml');
    expect(ks.spec).toMatchObject({ path: './deploy/packages/default', prune: false, kubeConfig: { secretRef: { name: 'dev-gcp-kubeconfig', key: 'value' } } });
    expect(ks.spec.dependsOn).toEqual([{ name: 'gcp-cloud-controller-manager-config', namespace: 'dev-gcp' }]);
    expect(ks.spec.images).toEqual([{ name: 'k8scloudprovidergcp/cloud-controller-manager', newName: 'registry.k8s.io/cloud-provider-gcp/cloud-controller-manager', newTag: 'v35.1.3' }]);
    const ops = parse(ks.spec.patches[0].patch) as Array<{ path: string; value: any }>;
    const args = ops.find((o) => o.path.endsWith('/args'))!.value as string[];
    expect(args).toEqual(expect.arrayContaining(['--cloud-provider=gce', '--controllers=*,-nodeipam', '--configure-cloud-routes=false', '--cluster-name=dev-gcp']));
    expect(ops.find((o) => o.path.endsWith('/env'))!.value).toContainEqual({ name: 'KUBERNETES_SERVICE_PORT', value: '7445' });
    const cm = file(fleet, 'dev-gcp/cloud-controller-manager/configmap-gce-cloud-config.yaml');
    expect(cm.data['cloud.config']).toBe('[global]\nproject-id = infraflux-dev\nnetwork-name = dev-gcp\nnode-tags = dev-gcp-node\nmultizone = true\n');
    const pre = file(fleet, 'mgmt/releases/dev-gcp-bootstrap/kustomization-gcp-cloud-controller-manager-config.yaml');
    expect(pre.spec).toMatchObject({ path: './dist/dev-gcp/cloud-controller-manager', wait: true });
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
  });

  test('the JSON patch addresses the pinned manifest: container 0, its mount 0 and volume 0 are the cloud config', () => {
    // GIVEN the pinned package's DaemonSet (read through the verified cache) and the patch
    const ds = parseAllDocuments(UpstreamCache.default().read('ccm-gcp/deploy/packages/default/manifest.yaml'))
      .map((d) => d.toJS())
      .find((o) => o?.kind === 'DaemonSet' && o.metadata.name === 'cloud-controller-manager');
    const ccm = new GcpCloudControllerManager(setup('dev-gcp').workload.controllers, 'Ccm', { clusterName: 'dev-gcp', project: 'infraflux-dev' });
    const ops = JSON.parse(ccm.delivery.patches[0].patch) as Array<{ op: string; path: string; value: unknown }>;
    // THEN every replaced path exists, and the replaced items are the ones meant
    const at = (path: string): any => path.split('/').slice(1).reduce((o: any, k) => (o === undefined ? undefined : o[k]), ds);
    for (const o of ops) expect({ path: o.path, exists: o.op === 'replace' && at(o.path) !== undefined }).toEqual({ path: o.path, exists: true });
    expect(at('/spec/template/spec/containers/0/name')).toBe('cloud-controller-manager');
    expect(at('/spec/template/spec/volumes/0/name')).toBe('cloudconfig');
    expect(at('/spec/template/spec/containers/0/volumeMounts/0/name')).toBe('cloudconfig');
    expect(at('/spec/template/spec/containers/0/image')).toBe(`${GCP_CCM_RELEASE.upstreamImage}:latest`);
  });

  test('fails when a second cluster\'s manifest CCM names the same GitRepository at another tag', () => {
    // GIVEN dev-gcp with the pinned GCP CCM, and a second cluster whose CCM (a user implementation) pins another tag
    const { fleet, mgmt, workload } = setup('dev-gcp');
    bootstrap(mgmt, workload, new GcpCloudControllerManager(workload.controllers, 'Ccm', { clusterName: 'dev-gcp', project: 'infraflux-dev' }));
    const other = fleet.addCluster('dev-gcp2', { name: 'dev-gcp2' });
    const pinned = new GcpCloudControllerManager(other.controllers, 'Ccm', { clusterName: 'dev-gcp2', project: 'infraflux-dev' });
    const older = Object.assign(new Construct(other.controllers, 'Older'), {
      provider: pinned.provider,
      providesLoadBalancers: true,
      workloadSecrets: [],
      delivery: { ...pinned.delivery, tag: 'v35.0.0' },
    });
    // WHEN it is bootstrapped THEN the shared source is refused
    const e = thrownBy(() => bootstrap(mgmt, other, older));
    expect(e.code).toBe(ErrorCode.DUPLICATE);
    expect(e.message).toContain('v35.0.0');
  });

  test('fails on a project that is not a GCP project ID', () => {
    const { workload } = setup('dev-gcp');
    const e = thrownBy(() => new GcpCloudControllerManager(workload.controllers, 'Ccm', { clusterName: 'dev-gcp', project: 'Infra_Flux' }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.constructPath).toBe('dev-gcp/controllers/Ccm');
  });

  test('fails on an extra argument that switches nodeipam back on', () => {
    const { workload } = setup('dev-gcp');
    const e = thrownBy(() => new GcpCloudControllerManager(workload.controllers, 'Ccm', { clusterName: 'dev-gcp', project: 'infraflux-dev', extraArgs: ['--controllers=*'] }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.message).toContain('--controllers');
  });
});
