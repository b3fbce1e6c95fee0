/**
 * External Secrets on the reference fleet (stacks/external-secrets.ts), and the reconcile model's
 * view of an ExternalSecret: where it sits decides whether its consumer can start.
 */
import { Cidr, ClusterSecretStore, ExternalSecret, ExternalSecretsOperator, FluxApp, SecretStoreProvider, VaultAuth } from '../../lib';
import { OAUTH2_PROXY_CHART } from '../../imports/helm/charts';
import { ReconcileCode } from '../../lib/reconcile';
import { validateFleetManifests } from '../../lib/validation';
import { addEdge } from '../../stacks/edge';
import { addExternalSecrets, FLEET_STORE, OAUTH2_PROXY_CREDENTIALS } from '../../stacks/external-secrets';
import { buildReferenceFleetWithBaselines, FLEET_DOMAIN } from '../../stacks/fleet';
import { thrownBy } from '../support/errors';
import { testCluster } from '../support/fleet';

describe('External Secrets on the reference fleet', () => {
  // GIVEN the reference fleet's baselines with the edge and External Secrets added to every cluster
  const { fleet, baselines } = buildReferenceFleetWithBaselines();
  const TRUSTED = [Cidr.of('10.244.0.0/16')];
  const added = baselines.map((b) => addExternalSecrets(b));
  for (const [i, b] of baselines.entries()) addEdge(b, { zone: FLEET_DOMAIN, dnsZone: 'example.com', trustedProxyCidrs: TRUSTED, ssoCredentials: added[i]!.ssoCredentials });
  const manifests = fleet.manifests();
  const file = (cluster: string, path: string): Record<string, any> | undefined => manifests.find((m) => m.file === `${cluster}/${path}`)?.object;

  test('every cluster runs the operator, a ClusterSecretStore and the oauth2-proxy ExternalSecret, all schema-valid', () => {
    const ours = manifests.filter((m) => /external-secrets|clustersecretstore|externalsecret-/.test(m.file));
    const report = validateFleetManifests(ours);
    expect(report.issues).toEqual([]);
    expect(report.helmReleasesValidated).toBe(baselines.length);
    for (const b of baselines) {
      const c = b.cluster.name;
      expect(file(c, 'releases/external-secrets/helmrelease-external-secrets.yaml')?.spec.chart.spec).toMatchObject({ chart: 'external-secrets', version: '2.9.0' });
      // (Headlamp's SSO proxy on every cluster, authentik on mgmt: stacks/identity.ts)
      expect(file(c, `configs/clustersecretstore-${FLEET_STORE}.yaml`)?.spec.conditions).toEqual([
        { namespaces: ['oauth2-proxy-hubbleui', 'oauth2-proxy-storageui', 'velero', 'monitoring', 'oauth2-proxy-headlamp', ...(c === 'mgmt' ? ['authentik'] : [])] },
      ]);
      // the ExternalSecret is applied with oauth2-proxy (its release folder): the Secret exists before oauth2-proxy is Ready
      const es = file(c, `releases/oauth2-proxy-hubbleui/externalsecret-${OAUTH2_PROXY_CREDENTIALS}.yaml`);
      expect(es?.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: FLEET_STORE });
      expect(es?.spec.data.map((d: { secretKey: string }) => d.secretKey)).toEqual(['client-id', 'client-secret', 'cookie-secret']);
      // oauth2-proxy reads exactly that Secret
      const values = file(c, 'releases/oauth2-proxy-hubbleui/configmap-oauth2-proxy-hubbleui-values.yaml')?.data['values.yaml'];
      expect(values).toContain(`existingSecret: ${OAUTH2_PROXY_CREDENTIALS}`);
    }
  });

  test('the store per platform: Vault Kubernetes auth on mgmt, Proxmox and Metal3; scoped static credentials on AWS and Azure; workload identity federation on GCP', () => {
    const provider = (c: string): Record<string, any> => file(c, `configs/clustersecretstore-${FLEET_STORE}.yaml`)!.spec.provider;
    for (const c of ['mgmt', 'dev-proxmox', 'edge-metal3']) expect(provider(c).vault.auth.kubernetes).toMatchObject({ mountPath: `kubernetes-${c}`, role: 'external-secrets' });
    expect(provider('prod-aws').aws.auth.secretRef.accessKeyIDSecretRef).toEqual({ name: 'aws-secrets-manager-credentials', key: 'access-key-id', namespace: 'external-secrets' });
    expect(provider('prod-azure').azurekv.authType).toBe('ServicePrincipal');
    expect(provider('dev-gcp').gcpsm.auth.workloadIdentityFederation.serviceAccountRef).toEqual({ name: 'external-secrets-store', namespace: 'external-secrets' });
    // the roots no store can provide are declared, with the command that provides them; the
    // static credentials are not roots: they are sealed (stacks/sealed-secrets.ts), so their
    // references say so and the provenance check holds them to it
    const inputs = (c: string) => baselines.find((b) => b.cluster.name === c)!.cluster.externalInputs.map((i) => `${i.group ?? ''}/${i.kind}/${i.namespace ?? ''}/${i.name}`);
    expect(inputs('mgmt')).toContain('vault/KubernetesAuthRole//external-secrets');
    expect(inputs('prod-aws')).not.toContain('/Secret/external-secrets/aws-secrets-manager-credentials');
    const uses = (c: string) => baselines.find((b) => b.cluster.name === c)!.cluster.secretUses.filter((u) => u.namespace === 'external-secrets').map((u) => `${u.provenance} ${u.name}`);
    expect(uses('prod-aws')).toEqual(['sealed aws-secrets-manager-credentials']);
    expect(uses('prod-azure')).toEqual(['sealed azure-key-vault-credentials']);
    expect(inputs('dev-gcp')).toContain('iam.googleapis.com/WorkloadIdentityPoolProvider//dev-gcp');
  });

  test('HA where prod: two replicas on mgmt, prod-aws and prod-azure, one elsewhere; webhook certificates from cert-manager everywhere', () => {
    for (const a of added) {
      const c = a.operator.node.scopes[1].node.id;
      expect(a.operator.replicas).toBe(['mgmt', 'prod-aws', 'prod-azure'].includes(c) ? 2 : 1);
      expect(a.operator.values.webhook?.certManager?.enabled).toBe(true);
      expect(file(c, 'controllers/kustomization-external-secrets.yaml')?.spec.dependsOn).toEqual([{ name: 'cert-manager', namespace: 'flux-system' }]);
    }
  });
});

describe('ExternalSecret in the reconcile model', () => {
  function fleetWithConsumer(place: 'with-app' | 'layer') {
    // GIVEN an operator, a store in configs and oauth2-proxy (apps) reading config.existingSecret "creds"
    const { fleet, cluster } = testCluster();
    const operator = new ExternalSecretsOperator(cluster.controllers, 'Eso');
    const store = new ClusterSecretStore(cluster.configs, 'Store', { operator, provider: SecretStoreProvider.vault({ server: 'https://vault.example.com', auth: VaultAuth.kubernetes({ mountPath: 'kubernetes-test', role: 'eso' }) }) });
    cluster.declareExternalInput({ group: 'vault', kind: 'KubernetesAuthRole', name: 'eso', consumer: 'store', providedBy: 'the Vault operator', command: 'vault write ...' });
    const app = new FluxApp(cluster.apps, 'sso', { chart: OAUTH2_PROXY_CHART, values: { config: { existingSecret: 'creds' } } });
    const props = { store, targetName: 'creds', data: [{ secretKey: 'client-id', remoteKey: 'sso', property: 'client-id' }] };
    if (place === 'with-app') ExternalSecret.forApp(app, 'Creds', props);
    else new ExternalSecret(cluster.apps, 'Creds', { ...props, namespace: 'sso' });
    return fleet;
  }

  test('applied with its consumer, the Secret resolves: no violations', () => {
    expect(() => fleetWithConsumer('with-app').checkReconcile()).not.toThrow();
  });

  test('fails when the ExternalSecret sits in the apps layer folder: the consumer\'s Kustomization starts before it is Ready', () => {
    const problems = thrownBy(() => fleetWithConsumer('layer').checkReconcile()).problems;
    expect(problems.map((p) => p.code)).toEqual([ReconcileCode.UNRESOLVED_REFERENCE]);
    expect(problems[0].message).toMatch(/config\.existingSecret names Secret sso\/creds/);
  });
});
