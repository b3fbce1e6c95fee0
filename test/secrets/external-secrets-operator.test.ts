import { parse } from 'yaml';
import { EXTERNAL_SECRETS_CHART } from '../../imports/helm/charts';
import { CertManager, ErrorCode, ESO_WEBHOOK_ISSUER, ExternalSecretsOperator } from '../../lib';
import { schemaDialect } from '../../lib/validation/helm-values';
import { validateFleetManifests } from '../../lib/validation';
import { UpstreamCache } from '../../lib/upstream/lock';
import { thrownBy } from '../support/errors';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

function values(fleet: Parameters<typeof manifest>[0]): Record<string, any> {
  return parse(manifest(fleet, 'test/releases/external-secrets/configmap-external-secrets-values.yaml').data['values.yaml']);
}

describe('ExternalSecretsOperator', () => {
  test('installs the pinned chart with its CRDs, only the reconcilers the library uses, metrics on, restricted containers', () => {
    // GIVEN a cluster
    const { fleet, cluster } = testCluster();
    // WHEN the operator is added with defaults
    const eso = new ExternalSecretsOperator(cluster.controllers, 'Eso');
    // THEN the HelmRelease installs external-secrets 2.9.0 from its repository
    expect(manifest(fleet, 'test/releases/external-secrets/helmrelease-external-secrets.yaml').spec.chart.spec).toMatchObject({
      chart: 'external-secrets',
      version: EXTERNAL_SECRETS_CHART.version,
      sourceRef: { kind: 'HelmRepository', name: 'external-secrets' },
    });
    const v = values(fleet);
    expect(v).toMatchObject({
      installCRDs: true,
      replicaCount: 1,
      leaderElect: false,
      processClusterExternalSecret: false,
      processClusterPushSecret: false,
      processClusterGenerator: false,
      processClusterStore: true,
      processSecretStore: true,
      processPushSecret: false,
      metrics: { service: { enabled: true } },
      serviceMonitor: { enabled: false },
      podDisruptionBudget: { enabled: false },
    });
    expect(v.securityContext).toEqual({
      enabled: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    // without cert-manager the chart's cert-controller manages the webhook certificate, also restricted
    expect(v.certController).toMatchObject({ create: true, securityContext: { readOnlyRootFilesystem: true } });
    expect(v.webhook.certManager).toBeUndefined();
    // the namespace enforces the restricted Pod Security level
    expect(manifest(fleet, 'test/controllers/namespace-external-secrets.yaml').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(eso.node.defaultChild).toBe(eso.helmRelease);
    expect(eso.namespace).toBe('external-secrets');
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('the values validate against the chart schema, which is JSON Schema draft 2020-12', () => {
    // GIVEN the pinned chart schema
    const cache = UpstreamCache.default();
    const schema = JSON.parse(cache.read(cache.chart('external-secrets').schemaPath!));
    // THEN the harness reads it as 2020-12 (and compiles it with Ajv2020: test/validation/helm-values.test.ts)
    expect(schemaDialect(schema)).toBe('2020-12');
    // AND an HA operator with cert-manager passes the fleet validation, HelmRelease values included
    const { fleet, cluster } = testCluster();
    const certManager = new CertManager(cluster.controllers, 'CM');
    new ExternalSecretsOperator(cluster.controllers, 'Eso', { certManager, replicas: 2, pushSecrets: true });
    const report = validateFleetManifests(fleet.manifests());
    expect(report.issues).toEqual([]);
    expect(report.helmReleasesValidated).toBe(2);
  });

  test('with cert-manager: the webhook certificate comes from a self-signed Issuer applied with the release, and the operator waits for cert-manager', () => {
    // GIVEN cert-manager in the controllers layer
    const { fleet, cluster } = testCluster();
    const certManager = new CertManager(cluster.controllers, 'CM');
    // WHEN the operator takes it
    new ExternalSecretsOperator(cluster.controllers, 'Eso', { certManager });
    // THEN the chart's Certificate names the Issuer, the CA is injected, and no cert-controller runs
    const v = values(fleet);
    expect(v.webhook.certManager).toEqual({ enabled: true, addInjectorAnnotations: true, cert: { create: true, issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: ESO_WEBHOOK_ISSUER } } });
    expect(v.certController).toEqual({ create: false });
    // the Issuer is in the release folder: applied by the operator's Kustomization, after cert-manager's CRDs
    expect(manifest(fleet, `test/releases/external-secrets/issuer-${ESO_WEBHOOK_ISSUER}.yaml`)).toMatchObject({ kind: 'Issuer', metadata: { namespace: 'external-secrets' }, spec: { selfSigned: {} } });
    expect(manifest(fleet, 'test/controllers/kustomization-external-secrets.yaml').spec.dependsOn).toEqual([{ name: 'cert-manager', namespace: 'flux-system' }]);
  });

  test('HA: more than one replica turns on leader election and PodDisruptionBudgets for controller and webhook', () => {
    // GIVEN a production cluster
    const { fleet, cluster } = testCluster();
    // WHEN the operator runs two replicas
    new ExternalSecretsOperator(cluster.controllers, 'Eso', { replicas: 2 });
    // THEN
    const v = values(fleet);
    expect(v).toMatchObject({ replicaCount: 2, leaderElect: true, podDisruptionBudget: { enabled: true, minAvailable: 1 } });
    expect(v.webhook).toMatchObject({ replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } });
    // no YAML anchors: each block is written out
    expect(manifest(fleet, 'test/releases/external-secrets/configmap-external-secrets-values.yaml').data['values.yaml']).not.toMatch(/[&*]a\d/);
  });

  test('pushSecrets turns on the PushSecret reconciler; extra values merge over InfraFlux\'s', () => {
    const { fleet, cluster } = testCluster();
    const eso = new ExternalSecretsOperator(cluster.controllers, 'Eso', { pushSecrets: true, values: { concurrent: 4 } });
    expect(values(fleet)).toMatchObject({ processPushSecret: true, concurrent: 4 });
    expect(eso.pushSecrets).toBe(true);
  });

  test('fromNamespace imports an operator the tree does not install: nothing to wait for', () => {
    const { cluster } = testCluster();
    const eso = ExternalSecretsOperator.fromNamespace(cluster, 'Platform', 'eso');
    expect(eso.namespace).toBe('eso');
    expect(eso.pushSecrets).toBe(false);
    expect((eso as unknown as { installedElsewhere: boolean }).installedElsewhere).toBe(true);
  });

  test('fails on zero replicas', () => {
    const { cluster } = testCluster();
    const e = thrownBy(() => new ExternalSecretsOperator(cluster.controllers, 'Eso', { replicas: 0 }));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
    expect(e.constructPath).toBe('test/controllers/Eso');
    expect(e.message).toMatch(/replicas 0 must be a whole number >= 1/);
  });

  test('fails outside the controllers layer', () => {
    const { cluster } = testCluster();
    const e = thrownBy(() => new ExternalSecretsOperator(cluster.apps, 'Eso'));
    expect(e.code).toBe(ErrorCode.WRONG_LAYER);
    expect(e.message).toMatch(/controllers layer/);
  });

  test('fails to import with a namespace that is not a DNS label', () => {
    const { cluster } = testCluster();
    expect(thrownBy(() => ExternalSecretsOperator.fromNamespace(cluster, 'X', 'Bad_NS')).code).toBe(ErrorCode.INVALID_PROP);
  });
});
