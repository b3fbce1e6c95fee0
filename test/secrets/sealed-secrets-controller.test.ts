import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { parse } from 'yaml';
import { ErrorCode } from '../../lib/core/errors';
import { CHART_KNOWLEDGE, knowledgeFor } from '../../lib/reconcile/knowledge';
import { ReconcileCode } from '../../lib/reconcile/types';
import {
  SEALED_SECRET_HEALTH_CHECK,
  SealedData,
  SealedSecret,
  SealedSecretGroup,
  SealedSecretsController,
  SealingScope,
} from '../../lib/secrets';
import { FluxManifestApp } from '../../lib/flux/manifest-app';
import { validateFleetManifests } from '../../lib/validation';
import { thrownBy } from '../support/errors';
import { manifest, manifestsByFile, testCluster } from '../support/fleet';

/** A fixed sealed value (test/secrets/sealed-secret.test.ts VECTOR): framing-valid ciphertext. */
const VECTOR =
  'AgC9jDq+8YlQivwL/p9DGpbYlBOXo9gjFwxyjuiLIutlhMEfLtKRfFy88YvjqzDMnbAR7v2IiGUi+KW+h09nzFsreQSqQc5yRbi4J5hM18iWNBu4P6EjP/SMhhcm0Tu3MT7b1cY6FjTz6WxHJNc4r8ZXL3xuhhRNKFBUQlpYJvc7JlGZEg6ICl3b8INbnVl0P53EfGzQQWbEjSMC7OnopfpNjrc995O0XDYT77BjKXPSo6gygha8t7ntBct19hlfkgpgoW5OAyBnp65+QB48UTDNuqZH52pSK+cB6vnHcOXQ2VWO9if3NTMbxTD0Epo/n3ALUDwOFHEOF6ILr4oOuoHiMBo9aXzwtda7zQjQH8zJZwpX7Neohf6e09gH8vYXLshKkFStZXajG9o8UgxoeV7sockRqqFzcuqLmWJthjj/oRfkjlv2heqDVmEIAAz4a2Vmp2S8m9kYuBbUgDQHvmRJRzzxsNf1xHgCCes5ZoIdNHdQIVwQM/UOSEA+KTty3gtngig7Qo7milvxRzjxpY+BX9hvA7zqc0uZwOPHNHRFIgtcyGIrXyDJjtu9gnsuzTbprsT0heDg6OlYA3qwZqxOlt+iaxNTQ0366WZulp6sc7mljZ9imdx0USFq+d4vutFDYV6/bZBT0vtfEE9QuLB5TYGrjiQwwzpwQPLR4TZazt1yYsm2lWugVUZdNqQnxGPZMUXZPLwYu7ezn20=';

function data(namespace: string, name: string, keys = ['token']): SealedData {
  return SealedData.fromEncrypted({ name, namespace, scope: SealingScope.strict() }, Object.fromEntries(keys.map((k) => [k, VECTOR])));
}

function valuesOf(fleet: ReturnType<typeof testCluster>['fleet'], cluster = 'test'): Record<string, any> {
  return parse(manifest(fleet, `${cluster}/releases/sealed-secrets/configmap-sealed-secrets-values.yaml`).data['values.yaml']);
}

describe('SealedSecretsController', () => {
  test('installs the pinned chart in kube-system with the names kubeseal assumes, renewal off, hardened pods', () => {
    // GIVEN a cluster
    const { fleet, cluster } = testCluster();
    // WHEN the controller is added to the controllers layer
    const controller = new SealedSecretsController(cluster.controllers, 'SealedSecrets');
    // THEN the release is sealed-secrets 2.18.5 in kube-system, kubeseal's names, the BYO key, key renewal off
    const hr = manifest(fleet, 'test/releases/sealed-secrets/helmrelease-sealed-secrets.yaml');
    // (the release lives in flux-system, decision 0094, and installs into kube-system)
    expect(hr.metadata).toEqual({ name: 'sealed-secrets', namespace: 'flux-system' });
    expect(hr.spec).toMatchObject({ targetNamespace: 'kube-system', storageNamespace: 'kube-system' });
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'sealed-secrets', version: '2.18.5', sourceRef: { kind: 'HelmRepository', name: 'sealed-secrets' } });
    const values = valuesOf(fleet);
    expect(values).toMatchObject({ fullnameOverride: 'sealed-secrets-controller', secretName: 'sealed-secrets-key', keyrenewperiod: '0' });
    expect(controller.controllerName).toBe('sealed-secrets-controller');
    expect(controller.namespace).toBe('kube-system');
    expect(controller.keyRenewal).toBe(false);
    // AND the pod and container run restricted-compatible: the chart's values for what it has keys for...
    expect(values.podSecurityContext).toEqual({ enabled: true, fsGroup: 65534 });
    expect(values.containerSecurityContext).toEqual({ enabled: true, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1001, capabilities: { drop: ['ALL'] } });
    // ...and a post-renderer patch for seccomp and privilege escalation, which the chart has no values for
    const [renderer] = hr.spec.postRenderers;
    expect(renderer.kustomize.patches).toHaveLength(1);
    expect(renderer.kustomize.patches[0].target).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment', name: 'sealed-secrets-controller' });
    expect(parse(renderer.kustomize.patches[0].patch).spec.template.spec).toEqual({
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'controller', securityContext: { allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } } }],
    });
    // AND the service proxier is not bound to every authenticated user; no ServiceMonitor without Prometheus
    expect(values.rbac).toEqual({ serviceProxier: { create: true, bind: false } });
    expect(values.metrics).toEqual({ serviceMonitor: { enabled: false } });
    // AND kube-system is not created (or pruned) by Flux
    expect(Object.keys(manifestsByFile(fleet)).filter((f) => f.includes('namespace-kube-system'))).toEqual([]);
    // AND every value exists in the pinned chart
    expect(validateFleetManifests(fleet.manifests()).issues).toEqual([]);
    expect(manifestsByFile(fleet)).toMatchSnapshot();
  });

  test('the CRD comes with the chart: install and upgrade create and replace it', () => {
    // GIVEN / WHEN a controller
    const { fleet, cluster } = testCluster();
    new SealedSecretsController(cluster.controllers, 'SealedSecrets');
    // THEN Helm installs the crds/ directory and Flux replaces the CRD on upgrade (Helm alone never would)
    const hr = manifest(fleet, 'test/releases/sealed-secrets/helmrelease-sealed-secrets.yaml');
    expect(hr.spec.install.crds).toBe('CreateReplace');
    expect(hr.spec.upgrade.crds).toBe('CreateReplace');
  });

  test('defaultChild is the HelmRelease, and the escape hatch patches it', () => {
    // GIVEN a controller
    const { fleet, cluster } = testCluster();
    const controller = new SealedSecretsController(cluster.controllers, 'SealedSecrets');
    // THEN node.defaultChild is the HelmRelease
    expect(controller.node.defaultChild).toBe(controller.helmRelease);
    // WHEN it is patched through ApiObject.of()
    ApiObject.of(controller.node.defaultChild!).addJsonPatch(JsonPatch.add('/spec/suspend', true));
    // THEN the rendered HelmRelease carries the patch
    expect(manifest(fleet, 'test/releases/sealed-secrets/helmrelease-sealed-secrets.yaml').spec.suspend).toBe(true);
  });

  test('keyRenewalPeriod turns renewal on; prometheusOperatorCrds turns the ServiceMonitor on and waits for them', () => {
    // GIVEN a cluster with a CRD source for the Prometheus Operator in the crds layer
    const { fleet, cluster } = testCluster();
    const promCrds = new ApiObject(cluster.crds, 'PromCrds', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'prom-crds', namespace: 'flux-system' }, data: {} });
    // WHEN the controller renews every 30 days and has the CRDs
    const controller = new SealedSecretsController(cluster.controllers, 'SealedSecrets', { keyRenewalPeriod: Duration.days(30), prometheusOperatorCrds: promCrds });
    // THEN the chart gets the Go duration and the ServiceMonitor
    expect(valuesOf(fleet)).toMatchObject({ keyrenewperiod: '720h', metrics: { serviceMonitor: { enabled: true } } });
    expect(controller.keyRenewal).toBe(true);
    // AND the controllers layer waits for the crds layer
    expect(manifest(fleet, 'test/flux-system/kustomization-controllers.yaml').spec.dependsOn).toContainEqual({ name: 'crds', namespace: 'flux-system' });
  });

  test('declareSealingKeyInput declares the key Secret, and the reconcile model needs it', () => {
    // GIVEN a controller with key renewal off and no declared key
    const bare = testCluster();
    new SealedSecretsController(bare.cluster.controllers, 'SealedSecrets');
    // THEN the reconcile check refuses: the controller would generate a key no committed SealedSecret opens
    const e = thrownBy(() => bare.fleet.checkReconcile());
    expect(e.problems.map((p) => p.code)).toEqual([ReconcileCode.UNRESOLVED_REFERENCE]);
    expect(e.message).toMatch(/names Secret kube-system\/sealed-secrets-key/);
    // WHEN the key is declared
    const { fleet, cluster } = testCluster();
    new SealedSecretsController(cluster.controllers, 'SealedSecrets').declareSealingKeyInput();
    // THEN it is the cluster's input, with the runbook's command, and the model passes
    expect(cluster.externalInputs).toEqual([
      expect.objectContaining({
        kind: 'Secret',
        namespace: 'kube-system',
        name: 'sealed-secrets-key',
        command: 'kubectl -n kube-system create secret tls sealed-secrets-key --cert=sealed-secrets-key.crt --key=sealed-secrets-key.key && kubectl -n kube-system label secret sealed-secrets-key sealedsecrets.bitnami.com/sealed-secrets-key=active',
      }),
    ]);
    expect(() => fleet.checkReconcile()).not.toThrow();
  });

  test('with renewal on, the key is not a required input (the controller generates one)', () => {
    const { fleet, cluster } = testCluster();
    new SealedSecretsController(cluster.controllers, 'SealedSecrets', { keyRenewalPeriod: Duration.days(30) });
    expect(() => fleet.checkReconcile()).not.toThrow();
  });

  test('fails outside the controllers layer', () => {
    const { cluster } = testCluster();
    const e = thrownBy(() => new SealedSecretsController(cluster.configs, 'SealedSecrets'));
    expect(e.code).toBe(ErrorCode.WRONG_LAYER);
    expect(e.constructPath).toBe('test/configs/SealedSecrets');
  });

  test('fails when values set what the props derive', () => {
    const { cluster } = testCluster();
    const e = thrownBy(() => new SealedSecretsController(cluster.controllers, 'SealedSecrets', { values: { keyrenewperiod: '720h' } }));
    expect(e.code).toBe(ErrorCode.INVALID_CHART_VALUES);
    expect(e.message).toMatch(/values\.keyrenewperiod is derived/);
  });

  test('fails on a key renewal period that is not a positive whole number of seconds', () => {
    const { cluster } = testCluster();
    const e = thrownBy(() => new SealedSecretsController(cluster.controllers, 'SealedSecrets', { keyRenewalPeriod: Duration.millis(1500) }));
    expect(e.code).toBe(ErrorCode.INVALID_DURATION);
    expect(e.constructPath).toBe('test/controllers/SealedSecrets');
  });

  test('fails on a second controller in the same cluster', () => {
    // GIVEN two controllers in one cluster
    const { fleet, cluster } = testCluster();
    new SealedSecretsController(cluster.controllers, 'SealedSecrets');
    new SealedSecretsController(cluster.controllers, 'Again');
    // THEN synth names the second one (and the clash of their Kustomization names)
    const e = thrownBy(() => fleet.validateAll());
    expect(new Set(e.problems.map((p) => p.code))).toEqual(new Set([ErrorCode.DUPLICATE]));
    expect(e.message).toMatch(/\[test\/controllers\/Again\] claims "sealed-secrets-controller"/);
  });

  test('fails on an imported controller with an invalid namespace', () => {
    const { cluster } = testCluster();
    const e = thrownBy(() => SealedSecretsController.fromNamespace(cluster.controllers, 'Imported', 'Not_A_Namespace'));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
  });
});

describe('SealedSecret in a cluster', () => {
  test('looks up the controller: its layer-level unit waits for the controller layer', () => {
    // GIVEN a controller and a SealedSecret in the configs layer
    const { fleet, cluster } = testCluster();
    const controller = new SealedSecretsController(cluster.controllers, 'SealedSecrets');
    const s = new SealedSecret(cluster.configs, 'Token', { encryptedData: data('default', 'token') });
    // THEN it found the controller, and configs depends on controllers
    expect(s.controller).toBe(controller);
    expect(manifest(fleet, 'test/flux-system/kustomization-configs.yaml').spec.dependsOn).toContainEqual({ name: 'controllers', namespace: 'flux-system' });
  });

  test('an imported controller adds no dependsOn', () => {
    // GIVEN a controller installed elsewhere and a group using it
    const { fleet, cluster } = testCluster();
    const imported = SealedSecretsController.fromNamespace(cluster, 'Sealed', 'sealed-secrets', 'sealed-secrets');
    new SealedSecretGroup(cluster.controllers, 'secrets', { controller: imported }).addSealedSecret('Token', { encryptedData: data('default', 'token') });
    // THEN the group's Kustomization depends on nothing
    expect(manifest(fleet, 'test/controllers/kustomization-secrets.yaml').spec.dependsOn).toEqual([]);
  });

  test('fails in a cluster without a controller', () => {
    const { cluster } = testCluster();
    const e = thrownBy(() => new SealedSecret(cluster.configs, 'Token', { encryptedData: data('default', 'token') }));
    expect(e.code).toBe(ErrorCode.MISSING_DEPENDENCY);
    expect(e.message).toMatch(/has no Sealed Secrets controller to decrypt it; create a SealedSecretsController/);
  });

  test('fails when applied by the controllers layer itself (the first wave\'s deadlock: its CRD is served only later)', () => {
    // GIVEN a controller and a SealedSecret directly in the same layer
    const { fleet, cluster } = testCluster();
    new SealedSecretsController(cluster.controllers, 'SealedSecrets');
    new SealedSecret(cluster.controllers, 'Token', { encryptedData: data('default', 'token') });
    // THEN synth refuses the dependency on an app of the layer that applies it
    const e = thrownBy(() => fleet.validateAll());
    expect(e.problems.map((p) => p.code)).toEqual([ErrorCode.LAYER_ORDER]);
  });
});

describe('SealedSecretGroup', () => {
  test('a unit of its own: after the controller, Ready when every SealedSecret is Synced; consumers wait for it', () => {
    // GIVEN a controller, a group with the same Secret name in two namespaces, and a consumer app
    const { fleet, cluster } = testCluster();
    new SealedSecretsController(cluster.controllers, 'SealedSecrets');
    const group = new SealedSecretGroup(cluster.controllers, 'EdgeSecrets', { name: 'edge-secrets' });
    const a = group.addSealedSecret('A', { encryptedData: data('cert-manager', 'cloudflare-api-token') });
    group.addSealedSecret('B', { encryptedData: data('external-dns', 'cloudflare-api-token') });
    const app = new FluxManifestApp(cluster.controllers, 'consumer');
    // WHEN the consumer needs the first Secret
    a.neededBy(app);
    // THEN the group's Kustomization depends on the controller and checks Synced
    const k = manifest(fleet, 'test/controllers/kustomization-edge-secrets.yaml');
    expect(k.spec).toMatchObject({ path: './dist/test/releases/edge-secrets', wait: true, dependsOn: [{ name: 'sealed-secrets', namespace: 'flux-system' }], healthCheckExprs: [SEALED_SECRET_HEALTH_CHECK] });
    // AND each namespace has its own folder
    expect(Object.keys(manifestsByFile(fleet)).filter((f) => f.startsWith('test/releases/edge-secrets/'))).toEqual([
      'test/releases/edge-secrets/cert-manager/sealedsecret-cloudflare-api-token.yaml',
      'test/releases/edge-secrets/external-dns/sealedsecret-cloudflare-api-token.yaml',
    ]);
    // AND the consumer's Kustomization depends on the group
    expect(manifest(fleet, 'test/controllers/kustomization-consumer.yaml').spec.dependsOn).toEqual([{ name: 'edge-secrets', namespace: 'flux-system' }]);
  });

  test('fails in a cluster without a controller', () => {
    const { cluster } = testCluster();
    const e = thrownBy(() => new SealedSecretGroup(cluster.controllers, 'secrets'));
    expect(e.code).toBe(ErrorCode.MISSING_DEPENDENCY);
  });

  test('fails on a namespace folder that is not a DNS label', () => {
    const { cluster } = testCluster();
    new SealedSecretsController(cluster.controllers, 'SealedSecrets');
    const e = thrownBy(() => new SealedSecretGroup(cluster.controllers, 'Secrets').folderFor('Bad_NS'));
    expect(e.code).toBe(ErrorCode.INVALID_PROP);
  });
});

describe('reconcile knowledge', () => {
  const sealed = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'cloudflare-api-token', namespace: 'external-dns' }, spec: { encryptedData: {} } };

  test('a SealedSecret provides, once Ready, the Secret of its name and namespace', () => {
    const [entry] = knowledgeFor(sealed);
    expect(entry.id).toBe('sealed-secrets/SealedSecret');
    expect(entry.providesOnceReady!(sealed, {} as never)).toEqual([{ group: '', kind: 'Secret', name: 'cloudflare-api-token', namespace: 'external-dns', field: '' }]);
  });

  test('the chart provides the SealedSecret CRD and, with renewal off, needs its key Secret', () => {
    const chart = CHART_KNOWLEDGE.find((c) => c.chart === 'sealed-secrets')!;
    expect(chart.crds).toBe('sealed-secrets/crds/');
    expect(chart.references!({ keyrenewperiod: '0' }, 'kube-system').map((r) => `${r.namespace}/${r.name}`)).toEqual(['kube-system/sealed-secrets-key']);
    expect(chart.references!({ keyrenewperiod: '720h' }, 'kube-system')).toEqual([]);
    expect(chart.references!({}, 'kube-system')).toEqual([]);
  });

  test('fails (the model reports it) when a consumer reads the Secret before the group is Ready', () => {
    // GIVEN a SealedSecret in a group and a consumer in the same layer that does NOT wait for it
    const { fleet, cluster } = testCluster();
    new SealedSecretsController(cluster.controllers, 'SealedSecrets').declareSealingKeyInput();
    new SealedSecretGroup(cluster.controllers, 'secrets').addSealedSecret('Token', { encryptedData: data('kube-system', 'token') });
    new ApiObject(cluster.controllers, 'Reader', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'reader', namespace: 'kube-system' },
      spec: {
        selector: { matchLabels: { app: 'reader' } },
        template: {
          metadata: { labels: { app: 'reader' } },
          spec: {
            containers: [
              {
                name: 'reader',
                image: 'busybox:1.37.0',
                env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'token', key: 'token' } } }],
                securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
              },
            ],
          },
        },
      },
    });
    // THEN the reconcile check names the Secret the group provides too late
    const e = thrownBy(() => fleet.checkReconcile());
    expect(e.problems.map((p) => p.code)).toEqual([ReconcileCode.UNRESOLVED_REFERENCE]);
    expect(e.message).toMatch(/names Secret kube-system\/token, which does not exist before it is needed; it is provided by/);
  });
});
