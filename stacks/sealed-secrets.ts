/**
 * Sealed Secrets in the reference fleet (decision 0061): the controller on every cluster, and every
 * Secret of the SEALED route as a SealedSecret read from a committed file
 * `clusters/<cluster>/sealed/<namespace>.<name>.yaml` (synth never seals). The committed files hold
 * `REPLACE-ME` placeholders sealed with the placeholder certificates of `clusters/` (their private
 * keys were destroyed): a real deployment re-seals them (docs/runbooks/sealed-secrets.md).
 *
 * buildReferenceFleet calls {@link addSealedSecretsControllers} right after the baselines (so every
 * later SealedSecret finds its controller) and {@link addSealedDeliveries} once the consumers exist.
 */
import { join, resolve } from 'node:path';
import { Construct, IConstruct } from 'constructs';
import { AcmeIssuer } from '../lib/certs/acme-issuer';
import { TalosCluster } from '../lib/cluster';
import { ErrorCode, InfraFluxError } from '../lib/core/errors';
import { ExternalDns } from '../lib/dns/external-dns';
import { GitOpsCluster } from '../lib/flux/gitops-cluster';
import { ManagementCluster, WorkloadClusterBootstrap } from '../lib/management';
import { SealedData, sealCommand, SealInput, SecretType } from '../lib/secrets/seal';
import { SealedSecret, SealedSecretGroup, type SealedSecretProps } from '../lib/secrets/sealed-secret';
import { SecretReference } from '../lib/secrets/secret-reference';
import { SealedSecretsController } from '../lib/secrets/sealed-secrets-controller';
import { MANAGEMENT_CLUSTER as MANAGEMENT, REFERENCE_CLUSTERS, type Baseline } from './config';
import { REFERENCE_WORKLOAD_CLUSTERS } from './management';
import { REFERENCE_MESH_WORKLOADS } from './networking';
import { CLOUDFLARE_TOKEN } from './edge';

/**
 * Where the operator keeps the plaintext inputs while sealing: a directory outside the repository
 * (`npm run` runs in the repository root, so relative paths would point into it). Left for the
 * operator's shell to expand in the printed commands.
 */
const SECRETS_DIR = '"$SECRETS_DIR"';
const secretFile = (name: string): string => `${SECRETS_DIR}/${name}`;

/** Where the cloudflare-dns Terraform stack is synthesized (its sensitive outputs are the tokens). */
const TF_DNS_STACK = 'cdktf.out/stacks/cloudflare-dns';
/** The Flux unit of each cluster's controllers layer that delivers the edge's tokens. */
export const EDGE_SECRETS_GROUP = 'edge-secrets';
/** The Flux unit of a cluster's controllers layer that delivers its secret store's static credential. */
export const STORE_SECRETS_GROUP = 'store-secrets';
/** The Flux unit of mgmt's apps layer that delivers the workload clusters' credentials. */
export const WORKLOAD_SECRETS_GROUP = 'workload-secrets';

/** One Secret of the SEALED route: where it lives and where each of its keys comes from. */
export interface SealedDelivery {
  readonly namespace: string;
  readonly name: string;
  /** @default SecretType.OPAQUE */
  readonly type?: SecretType;
  readonly inputs: readonly SealInput[];
}

/** Repository-relative path of the committed sealed file of `delivery` on `cluster`. */
export function sealedFilePath(cluster: string, delivery: Pick<SealedDelivery, 'namespace' | 'name'>): string {
  return `clusters/${cluster}/sealed/${delivery.namespace}.${delivery.name}.yaml`;
}

/** The command that (re-)creates the sealed file of `delivery` on `cluster`. */
export function sealCommandFor(cluster: string, delivery: SealedDelivery): string {
  return sealCommand({ cluster, name: delivery.name, namespace: delivery.namespace, type: delivery.type, inputs: delivery.inputs, out: sealedFilePath(cluster, delivery) });
}

/** The props of the SealedSecret of `delivery` on `cluster`, from its committed file. */
export function sealedSecretProps(cluster: string, delivery: SealedDelivery, repoRoot: string = resolve(__dirname, '..')): SealedSecretProps {
  const data = SealedData.fromFile(join(repoRoot, sealedFilePath(cluster, delivery)), { command: sealCommandFor(cluster, delivery) });
  return { encryptedData: data, name: delivery.name, namespace: delivery.namespace, ...(delivery.type ? { template: { type: delivery.type } } : {}) };
}

/** The SealedSecret of `delivery`, in a group (folder per namespace) or any other scope of its cluster. */
export function sealedSecretFromFile(scope: Construct | SealedSecretGroup, id: string, delivery: SealedDelivery): SealedSecret {
  if (scope instanceof SealedSecretGroup) return scope.addSealedSecret(id, sealedSecretProps(GitOpsCluster.of(scope).name, delivery));
  return new SealedSecret(scope, id, sealedSecretProps(GitOpsCluster.of(scope).name, delivery));
}

/** The Cloudflare tokens of every cluster: cert-manager (DNS-01) and ExternalDNS, from the cloudflare-dns stack. */
export const CLOUDFLARE_DELIVERIES: readonly SealedDelivery[] = [
  { namespace: 'cert-manager', name: CLOUDFLARE_TOKEN.secretName, inputs: [SealInput.terraformOutput(CLOUDFLARE_TOKEN.key, TF_DNS_STACK, 'cert_manager_token')] },
  { namespace: 'external-dns', name: CLOUDFLARE_TOKEN.secretName, inputs: [SealInput.terraformOutput(CLOUDFLARE_TOKEN.key, TF_DNS_STACK, 'external_dns_token')] },
];

/** cluster-api-operator's provider variables (read by the provider CRs in capi-providers). */
export const PROVIDER_VARIABLE_DELIVERIES: readonly SealedDelivery[] = [
  { namespace: 'capa-system', name: 'capa-variables', inputs: [SealInput.fromCommand('AWS_B64ENCODED_CREDENTIALS', 'clusterawsadm bootstrap credentials encode-as-profile')] },
  { namespace: 'capg-system', name: 'capg-variables', inputs: [SealInput.fromCommand('GCP_B64ENCODED_CREDENTIALS', `base64 -w0 < ${secretFile('capg-sa.json')}`)] },
];

/** The workload clusters' infrastructure credentials, by workload cluster name. */
export const WORKLOAD_CREDENTIAL_DELIVERIES: Readonly<Record<string, readonly SealedDelivery[]>> = {
  'prod-aws': [
    { namespace: 'capa-system', name: 'prod-aws-credentials', inputs: [SealInput.fromFile('AccessKeyID', secretFile('prod-aws-access-key-id')), SealInput.fromFile('SecretAccessKey', secretFile('prod-aws-secret-access-key'))] },
  ],
  'dev-gcp': [{ namespace: 'dev-gcp', name: 'dev-gcp-credentials', inputs: [SealInput.fromFile('credentials', secretFile('dev-gcp-sa.json'))] }],
  'dev-proxmox': [
    {
      namespace: 'dev-proxmox',
      name: 'dev-proxmox-credentials',
      inputs: [SealInput.fromFile('url', secretFile('dev-proxmox-url')), SealInput.fromFile('token', secretFile('dev-proxmox-token-id')), SealInput.fromFile('secret', secretFile('dev-proxmox-token-secret'))],
    },
  ],
  'edge-metal3': ['edge-01', 'edge-02'].map((host) => ({
    namespace: 'edge-metal3',
    name: `${host}-bmc`,
    inputs: [SealInput.fromFile('username', secretFile(`${host}-bmc-username`)), SealInput.fromFile('password', secretFile(`${host}-bmc-password`))],
  })),
};

/**
 * The static credential of a cluster's ClusterSecretStore where no workload identity exists
 * (decision 0062), by cluster name: the scoped IAM user / service principal of stacks/external-secrets.ts.
 */
export const STORE_CREDENTIAL_DELIVERIES: Readonly<Record<string, readonly SealedDelivery[]>> = {
  'prod-aws': [
    {
      namespace: 'external-secrets',
      name: 'aws-secrets-manager-credentials',
      inputs: [SealInput.fromFile('access-key-id', secretFile('prod-aws-eso-access-key-id')), SealInput.fromFile('secret-access-key', secretFile('prod-aws-eso-secret-access-key'))],
    },
  ],
  'prod-azure': [
    {
      namespace: 'external-secrets',
      name: 'azure-key-vault-credentials',
      inputs: [SealInput.fromFile('client-id', secretFile('prod-azure-eso-client-id')), SealInput.fromFile('client-secret', secretFile('prod-azure-eso-client-secret'))],
    },
  ],
};

/** The ClusterResourceSet Secret `<w>/<w>-flux-git` that carries workload `w`'s Flux Git credentials (decision 0030). */
export function fluxGitDelivery(workload: string): SealedDelivery {
  return {
    namespace: workload,
    name: `${workload}-flux-git`,
    type: SecretType.of('addons.cluster.x-k8s.io/resource-set'),
    inputs: [SealInput.fromFile('flux-git.yaml', secretFile(`${workload}-flux-git.yaml`))],
  };
}

/**
 * The ClusterMesh CA for workload mesh member `w`: a Secret in `w`'s namespace on mgmt, read by the
 * remote Cilium release (`tls.ca.cert`/`tls.ca.key` via valuesFrom; WorkloadClusterBootstrap meshCa).
 * The values are the base64-encoded PEMs of the one mesh CA (`base64 -w0 < mesh-ca.crt > mesh-ca.crt.b64`).
 */
export function meshCaDelivery(workload: string): SealedDelivery {
  return {
    namespace: workload,
    name: `${workload}-cilium-mesh-ca`,
    inputs: [SealInput.fromFile('ca.crt', secretFile('mesh-ca.crt.b64')), SealInput.fromFile('ca.key', secretFile('mesh-ca.key.b64'))],
  };
}

/** The reference to {@link meshCaDelivery}'s Secret, for the bootstrap of workload `w`. */
export function meshCaReference(workload: string): SecretReference {
  const d = meshCaDelivery(workload);
  return SecretReference.fromSealedSecret(d.name, d.namespace, undefined, ['ca.crt', 'ca.key']);
}

/**
 * The Secrets the cloud controller managers read on a workload (decision 0070), by workload: each
 * is carried by a ClusterResourceSet Secret `<w>/<w>-<secret>` on mgmt, sealed like `<w>-flux-git`.
 */
export const CCM_RESOURCE_SETS: Readonly<Record<string, ReadonlyArray<{ readonly secret: string; readonly file: string }>>> = {
  'prod-azure': [{ secret: 'azure-cloud-provider', file: 'azure-cloud-provider.yaml' }],
  'dev-proxmox': [{ secret: 'proxmox-cloud-controller-manager', file: 'proxmox-cloud-controller-manager.yaml' }],
};

/** The ClusterResourceSet Secret on mgmt that carries the manifest of Secret kube-system/`secret` into workload `w`. */
export function ccmResourceSetDelivery(workload: string, secret: string, file: string): SealedDelivery {
  return {
    namespace: workload,
    name: `${workload}-${secret}`,
    type: SecretType.of('addons.cluster.x-k8s.io/resource-set'),
    inputs: [SealInput.fromFile(file, secretFile(`${workload}-${secret}.yaml`))],
  };
}

/** The reference to {@link ccmResourceSetDelivery}'s Secret, for the CCM of workload `w`. */
export function ccmResourceSetReference(workload: string, secret: string): SecretReference {
  const entry = (CCM_RESOURCE_SETS[workload] ?? []).find((e) => e.secret === secret);
  if (!entry) throw new InfraFluxError(ErrorCode.MISSING_DEPENDENCY, `stacks/sealed-secrets`, `no sealed CCM resource set for Secret ${secret} of workload ${workload}; add it to CCM_RESOURCE_SETS`);
  const d = ccmResourceSetDelivery(workload, secret, entry.file);
  return SecretReference.fromSealedSecret(d.name, d.namespace, undefined, [entry.file]);
}

/** Every sealed delivery of the reference fleet with its cluster, in a stable order. */
export function referenceSealedDeliveries(clusters: readonly string[], workloads: readonly string[], meshWorkloads: readonly string[] = []): Array<{ readonly cluster: string; readonly delivery: SealedDelivery }> {
  return [
    ...clusters.flatMap((cluster) => CLOUDFLARE_DELIVERIES.map((delivery) => ({ cluster, delivery }))),
    ...clusters.flatMap((cluster) => (STORE_CREDENTIAL_DELIVERIES[cluster] ?? []).map((delivery) => ({ cluster, delivery }))),
    ...PROVIDER_VARIABLE_DELIVERIES.map((delivery) => ({ cluster: MANAGEMENT, delivery })),
    ...workloads.flatMap((w) => (WORKLOAD_CREDENTIAL_DELIVERIES[w] ?? []).map((delivery) => ({ cluster: MANAGEMENT, delivery }))),
    ...workloads.map((w) => ({ cluster: MANAGEMENT, delivery: fluxGitDelivery(w) })),
    ...meshWorkloads.map((w) => ({ cluster: MANAGEMENT, delivery: meshCaDelivery(w) })),
    ...workloads.flatMap((w) => (CCM_RESOURCE_SETS[w] ?? []).map((e) => ({ cluster: MANAGEMENT, delivery: ccmResourceSetDelivery(w, e.secret, e.file) }))),
  ];
}

/**
 * The `npm run -s seal` command of every sealed file of the reference fleet, for re-sealing them all
 * (docs/runbooks/sealed-secrets.md §7):
 * `npx tsx -e 'require("./stacks/sealed-secrets").printReferenceSealCommands()'`.
 */
export function printReferenceSealCommands(): void {
  for (const { cluster, delivery } of referenceSealedDeliveries(REFERENCE_CLUSTERS.map((c) => c.name), REFERENCE_WORKLOAD_CLUSTERS, REFERENCE_MESH_WORKLOADS)) {
    process.stdout.write(`${sealCommandFor(cluster, delivery)}\n`);
  }
}

/**
 * Installs the Sealed Secrets controller in every cluster's controllers layer and declares its
 * sealing key Secret, the cluster's one true root for SealedSecrets. Call it before anything creates
 * a SealedSecret.
 */
export function addSealedSecretsControllers(baselines: readonly Baseline[]): Record<string, SealedSecretsController> {
  const out: Record<string, SealedSecretsController> = {};
  for (const { cluster } of baselines) {
    const controller = new SealedSecretsController(cluster.controllers, 'SealedSecrets');
    controller.declareSealingKeyInput();
    out[cluster.name] = controller;
  }
  return out;
}

/** What {@link addSealedDeliveries} wires the SealedSecrets to. */
export interface SealedDeliveryTargets {
  readonly baselines: readonly Baseline[];
  /** The management cluster's Cluster API (its capi-providers unit reads the provider variables). */
  readonly management: ManagementCluster;
  /** The workload clusters' Cluster API objects on mgmt. */
  readonly workloads: readonly TalosCluster[];
  /** The workload clusters' bootstraps on mgmt (their ClusterResourceSets read `<w>-flux-git`). */
  readonly bootstraps: readonly WorkloadClusterBootstrap[];
}

function only<T>(cluster: GitOpsCluster, kind: abstract new (...args: never[]) => T, what: string): T {
  const found = cluster.node.findAll().filter((c): c is T & IConstruct => c instanceof kind);
  if (found.length !== 1) throw new InfraFluxError(ErrorCode.MISSING_DEPENDENCY, cluster, `stacks/sealed-secrets needs exactly one ${what} in cluster "${cluster.name}", found ${found.length}; call addEdge first`);
  return found[0];
}

/**
 * Every Secret of the SEALED route as a SealedSecret, each placed so its Secret exists before its
 * consumer and after the controller (the reconcile model checks it):
 * - Cloudflare tokens (every cluster): the unit `edge-secrets` in the controllers layer; ExternalDNS's
 *   Kustomization depends on it, the ACME ClusterIssuer (configs layer) comes after the layer.
 * - capa-/capg-variables (mgmt): in capi-providers itself, which creates their namespaces.
 * - workload credentials and `<w>-flux-git` (mgmt): the unit `workload-secrets` in the apps layer;
 *   each `cluster-<w>` and `<w>-bootstrap` Kustomization depends on it.
 */
export function addSealedDeliveries(targets: SealedDeliveryTargets): void {
  for (const { cluster } of targets.baselines) {
    const group = new SealedSecretGroup(cluster.controllers, 'EdgeSecrets', { name: EDGE_SECRETS_GROUP });
    const [certManagerToken, externalDnsToken] = CLOUDFLARE_DELIVERIES.map((d) => sealedSecretFromFile(group, `${d.namespace}-${d.name}`, d));
    certManagerToken.neededBy(only(cluster, AcmeIssuer, 'AcmeIssuer'));
    externalDnsToken.neededBy(only(cluster, ExternalDns, 'ExternalDns'));
    // The store's credential: in the controllers layer, before the store (configs layer) reads it.
    const storeCredentials = STORE_CREDENTIAL_DELIVERIES[cluster.name] ?? [];
    if (storeCredentials.length > 0) {
      const stores = new SealedSecretGroup(cluster.controllers, 'StoreSecrets', { name: STORE_SECRETS_GROUP });
      for (const d of storeCredentials) sealedSecretFromFile(stores, `${d.namespace}-${d.name}`, d);
    }
  }

  const providers = targets.management.providersApp;
  for (const d of PROVIDER_VARIABLE_DELIVERIES) {
    sealedSecretFromFile(providers.content, `Sealed-${d.name}`, d).neededBy(providers);
  }
  const mgmt = targets.management.cluster;
  const group = new SealedSecretGroup(mgmt.apps, 'WorkloadSecrets', { name: WORKLOAD_SECRETS_GROUP });
  for (const workload of targets.workloads) {
    for (const d of WORKLOAD_CREDENTIAL_DELIVERIES[workload.clusterName] ?? []) {
      sealedSecretFromFile(group, `${d.namespace}-${d.name}`, d).neededBy(workload);
    }
  }
  for (const bootstrap of targets.bootstraps) {
    const d = fluxGitDelivery(bootstrap.clusterName);
    sealedSecretFromFile(group, `${d.namespace}-${d.name}`, d).neededBy(bootstrap);
    if (bootstrap.meshCa) {
      const ca = meshCaDelivery(bootstrap.clusterName);
      sealedSecretFromFile(group, `${ca.namespace}-${ca.name}`, ca).neededBy(bootstrap);
    }
    // The CCM's Secrets (decision 0070): their ClusterResourceSets are in the bootstrap.
    for (const e of CCM_RESOURCE_SETS[bootstrap.clusterName] ?? []) {
      const d = ccmResourceSetDelivery(bootstrap.clusterName, e.secret, e.file);
      sealedSecretFromFile(group, `${d.namespace}-${d.name}`, d).neededBy(bootstrap);
    }
  }
}
