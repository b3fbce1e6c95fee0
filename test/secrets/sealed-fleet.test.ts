/**
 * The SEALED route in the reference fleet (stacks/sealed-secrets.ts, decision 0061): the controller
 * on every cluster, each sealed delivery as a SealedSecret read from its committed file, ordering.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '../../lib/core/errors';
import { SealedData, SealingCertificate } from '../../lib/secrets';
import { MANAGEMENT_CLUSTER, REFERENCE_CLUSTERS } from '../../stacks/fleet';
import { REFERENCE_WORKLOAD_CLUSTERS } from '../../stacks/management';
import {
  CLOUDFLARE_DELIVERIES,
  PROVIDER_VARIABLE_DELIVERIES,
  referenceSealedDeliveries,
  sealedFilePath,
  sealedSecretProps,
  WORKLOAD_CREDENTIAL_DELIVERIES,
} from '../../stacks/sealed-secrets';
import { thrownBy } from '../support/errors';
import { referenceFleet } from '../support/reference-fleet';
import { REFERENCE_MESH_WORKLOADS } from '../../stacks/networking';

type Manifest = { file: string; object: Record<string, any> };

describe('Sealed Secrets in the reference fleet', () => {
  // GIVEN the complete reference fleet
  const { fleet } = referenceFleet();
  const manifests = referenceFleet().manifests as Manifest[];
  const find = (file: string): Record<string, any> => {
    const m = manifests.find((x) => x.file === file);
    if (!m) throw new Error(`no ${file}`);
    return m.object;
  };
  const sealedIn = (cluster: string) => manifests.filter((m) => m.file.startsWith(`${cluster}/`) && m.object.kind === 'SealedSecret').map((m) => `${m.object.metadata.namespace}/${m.object.metadata.name}`).sort();

  test('every cluster runs the controller in its controllers layer, with its sealing key as the one declared root', () => {
    for (const { name } of REFERENCE_CLUSTERS) {
      // THEN the HelmRelease is applied by its own Kustomization in the controllers layer
      // (the release lives in flux-system, decision 0094, and installs into kube-system)
      expect(find(`${name}/releases/sealed-secrets/helmrelease-sealed-secrets.yaml`).metadata).toEqual({ name: 'sealed-secrets', namespace: 'flux-system' });
      expect(find(`${name}/releases/sealed-secrets/helmrelease-sealed-secrets.yaml`).spec.targetNamespace).toBe('kube-system');
      expect(find(`${name}/controllers/kustomization-sealed-secrets.yaml`).spec.path).toBe(`./dist/${name}/releases/sealed-secrets`);
      // AND the sealing key Secret is declared, not temporary
      const cluster = fleet.clusters.find((c) => c.name === name)!;
      const key = cluster.externalInputs.find((i) => i.name === 'sealed-secrets-key');
      expect(key).toMatchObject({ kind: 'Secret', namespace: 'kube-system' });
      expect(key?.temporary).toBeUndefined();
      // AND a certificate is committed for it
      expect(SealingCertificate.fromFile(join(__dirname, '..', '..', 'clusters', name, 'sealed-secrets.pem')).modulusBits).toBe(4096);
    }
  });

  test('every cluster gets its Cloudflare tokens as SealedSecrets; mgmt also the Cluster API, BMC and Flux Git credentials', () => {
    for (const { name } of REFERENCE_CLUSTERS) {
      const expected = [
        'cert-manager/cloudflare-api-token',
        'external-dns/cloudflare-api-token',
        ...(name === MANAGEMENT_CLUSTER
          ? [
              'capa-system/capa-variables',
              'capa-system/prod-aws-credentials',
              'capg-system/capg-variables',
              'dev-gcp/dev-gcp-credentials',
              'dev-proxmox/dev-proxmox-credentials',
              'edge-metal3/edge-01-bmc',
              'edge-metal3/edge-02-bmc',
              ...REFERENCE_WORKLOAD_CLUSTERS.map((w) => `${w}/${w}-flux-git`),
              // the ClusterMesh CA of each workload mesh member, for its remote Cilium release
              ...REFERENCE_MESH_WORKLOADS.map((w) => `${w}/${w}-cilium-mesh-ca`),
              // the ClusterResourceSet Secrets carrying the CCMs' Secrets (decision 0070)
              'prod-azure/prod-azure-azure-cloud-provider',
              'dev-proxmox/dev-proxmox-proxmox-cloud-controller-manager',
            ]
          : []),
        // the secret store's static credential where no workload identity exists (decision 0062)
        ...(name === 'prod-aws' ? ['external-secrets/aws-secrets-manager-credentials'] : []),
        ...(name === 'prod-azure' ? ['external-secrets/azure-key-vault-credentials'] : []),
      ].sort();
      expect(sealedIn(name)).toEqual(expected);
    }
    // AND the Flux Git Secrets have the ClusterResourceSet type
    expect(find('mgmt/releases/workload-secrets/prod-aws/sealedsecret-prod-aws-flux-git.yaml').spec.template.type).toBe('addons.cluster.x-k8s.io/resource-set');
  });

  test('no Secret with data reaches dist/, and no delivered Secret is still a temporary input', () => {
    expect(manifests.filter((m) => m.object.kind === 'Secret').map((m) => m.file)).toEqual([]);
    const delivered = new Set(manifests.filter((m) => m.object.kind === 'SealedSecret').map((m) => `${m.file.split('/')[0]}/${m.object.metadata.namespace}/${m.object.metadata.name}`));
    const stillDeclared = fleet.clusters.flatMap((c) => c.externalInputs.filter((i) => delivered.has(`${c.name}/${i.namespace}/${i.name}`)).map((i) => `${c.name}/${i.namespace}/${i.name}`));
    expect(stillDeclared).toEqual([]);
  });

  test('the consumers wait for the unit that delivers their Secret', () => {
    for (const { name } of REFERENCE_CLUSTERS) {
      // ExternalDNS (controllers layer) reads its token at start: its Kustomization depends on edge-secrets
      expect(find(`${name}/controllers/kustomization-external-dns.yaml`).spec.dependsOn).toContainEqual({ name: 'edge-secrets', namespace: 'flux-system' });
      // edge-secrets itself waits for the controller, and is Ready only once every SealedSecret is Synced
      const edge = find(`${name}/controllers/kustomization-edge-secrets.yaml`).spec;
      expect(edge.dependsOn).toEqual([{ name: 'sealed-secrets', namespace: 'flux-system' }]);
      expect(edge.healthCheckExprs.map((h: { kind: string }) => h.kind)).toEqual(['SealedSecret']);
    }
    // on mgmt, every workload cluster's objects and bootstrap wait for workload-secrets
    for (const w of REFERENCE_WORKLOAD_CLUSTERS) {
      expect(find(`mgmt/apps/kustomization-${w}-bootstrap.yaml`).spec.dependsOn).toContainEqual({ name: 'workload-secrets', namespace: 'flux-system' });
    }
    for (const w of Object.keys(WORKLOAD_CREDENTIAL_DELIVERIES)) {
      expect(find(`mgmt/apps/kustomization-cluster-${w}.yaml`).spec.dependsOn).toContainEqual({ name: 'workload-secrets', namespace: 'flux-system' });
    }
    // the provider variables sit in capi-providers itself, which creates their namespaces
    for (const d of PROVIDER_VARIABLE_DELIVERIES) expect(find(`mgmt/releases/capi-providers/sealedsecret-${d.name}.yaml`).metadata.namespace).toBe(d.namespace);
  });

  test('the ClusterMesh CA: a declared root on mgmt (before its CNI), delivered from mgmt to the workload members', () => {
    const inputsOf = (name: string) => fleet.clusters.find((c) => c.name === name)!.externalInputs;
    expect(inputsOf(MANAGEMENT_CLUSTER).find((i) => i.name === 'cilium-ca')).toMatchObject({ namespace: 'kube-system', kind: 'Secret' });
    expect(inputsOf(MANAGEMENT_CLUSTER).find((i) => i.name === 'cilium-ca')?.temporary).toBeUndefined();
    for (const w of REFERENCE_MESH_WORKLOADS) {
      expect(inputsOf(w).map((i) => i.name)).not.toContain('cilium-ca');
      const hr = find(`mgmt/releases/${w}-bootstrap/helmrelease-cilium.yaml`);
      expect(hr.spec.valuesFrom.filter((v: { kind: string }) => v.kind === 'Secret').map((v: { name: string; targetPath: string }) => `${v.name} ${v.targetPath}`)).toEqual([`${w}-cilium-mesh-ca tls.ca.cert`, `${w}-cilium-mesh-ca tls.ca.key`]);
    }
    // AND no cluster keeps a temporary input: what is left are roots
    expect(fleet.clusters.flatMap((c) => c.externalInputs.filter((i) => i.temporary).map((i) => `${c.name} ${i.namespace}/${i.name}`))).toEqual([]);
  });

  test('the reconcile model proves the order', () => {
    expect(() => fleet.checkReconcile()).not.toThrow();
  });

  test('every committed sealed file matches the target the fleet places it at', () => {
    const all = referenceSealedDeliveries(REFERENCE_CLUSTERS.map((c) => c.name), REFERENCE_WORKLOAD_CLUSTERS, REFERENCE_MESH_WORKLOADS).map(({ cluster, delivery }) => ({ cluster, d: delivery }));
    // 12 Cloudflare tokens, 2 store credentials, 2 provider variables, 5 workload credentials, 5 Flux Git, 2 mesh CAs, 2 CCM resource sets (decision 0070)
    expect(all).toHaveLength(30);
    // AND every SealedSecret of dist/ has its delivery (no sealed file outside the list)
    expect(manifests.filter((m) => m.object.kind === "SealedSecret")).toHaveLength(30);
    for (const { cluster, d } of all) {
      const data = SealedData.fromFile(join(__dirname, '..', '..', sealedFilePath(cluster, d)));
      expect({ name: data.name, namespace: data.namespace, keys: data.keys }).toEqual({ name: d.name, namespace: d.namespace, keys: d.inputs.map((i) => i.key).sort() });
    }
  });

  test('fails with the exact seal command when a sealed file is missing', () => {
    // GIVEN a repository root without the sealed files
    const root = mkdtempSync(join(tmpdir(), 'infraflux-no-sealed-'));
    try {
      // WHEN the external-dns token of mgmt is read from it
      const e = thrownBy(() => sealedSecretProps('mgmt', CLOUDFLARE_DELIVERIES[1], root));
      // THEN the error names the file and the command, Terraform output pipe included
      expect(e.code).toBe(ErrorCode.SEALED_FILE_MISSING);
      expect(e.message).toContain('clusters/mgmt/sealed/external-dns.cloudflare-api-token.yaml');
      expect(e.message).toContain(
        'terraform -chdir=cdktf.out/stacks/cloudflare-dns output -raw external_dns_token | npm run -s seal -- --cluster mgmt --name cloudflare-api-token --namespace external-dns --from-stdin api-token --out clusters/mgmt/sealed/external-dns.cloudflare-api-token.yaml',
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
