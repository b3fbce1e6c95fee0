/**
 * The reference fleet's external inputs: what its clusters need that the fleet cannot produce
 * (yet), each with who provides it and the command (docs/reconcile.md). They are listed in each
 * `dist/<cluster>/README.md`. Inputs marked `temporary` become SealedSecrets/ExternalSecrets with
 * the secrets constructs (a later issue); the Git credentials of the management cluster and the
 * site's Ironic stay true bootstrap roots.
 */
import { GitOpsCluster } from '../lib/flux/gitops-cluster';
import { CLOUDFLARE_TOKEN } from './edge';

const TF_DNS = 'terraform -chdir=cdktf.out/stacks/cloudflare-dns output -raw';

/** Declares what every reference cluster needs from outside the fleet. */
export function declareClusterInputs(cluster: GitOpsCluster, opts: { readonly bootstrappedBy?: string; readonly repositoryUrl: string }): void {
  const c = cluster.name;
  cluster.declareExternalInput(
    opts.bootstrappedBy
      ? {
          kind: 'Secret',
          namespace: 'flux-system',
          name: 'flux-system',
          consumer: 'GitRepository flux-system/flux-system (flux-system/)',
          providedBy: `the ClusterResourceSet ${c}/${c}-flux-git of cluster ${opts.bootstrappedBy}, once Cluster API has created the cluster (decision 0030)`,
          command: `(none on ${c}: copied from Secret ${c}/${c}-flux-git on ${opts.bootstrappedBy})`,
        }
      : {
          kind: 'Secret',
          namespace: 'flux-system',
          name: 'flux-system',
          consumer: 'GitRepository flux-system/flux-system (flux-system/)',
          providedBy: `the operator, before applying dist/${c}/flux-system/ (decision 0004, Bootstrap)`,
          command: `flux create secret git flux-system --url=${opts.repositoryUrl} --private-key-file=./deploy-key`,
        },
  );
  cluster.declareExternalInput({
    kind: 'Secret',
    namespace: 'cert-manager',
    name: CLOUDFLARE_TOKEN.secretName,
    consumer: 'ClusterIssuer letsencrypt-staging (configs/, DNS-01 through Cloudflare)',
    providedBy: 'the operator from the cloudflare-dns Terraform stack, after `cdktf deploy cloudflare-dns` (temporary: a SealedSecret/ExternalSecret once the secrets constructs land)',
    command: `kubectl -n cert-manager create secret generic ${CLOUDFLARE_TOKEN.secretName} --from-literal=${CLOUDFLARE_TOKEN.key}="$(${TF_DNS} cert_manager_token)"`,
    temporary: true,
  });
  cluster.declareExternalInput({
    kind: 'Secret',
    namespace: 'external-dns',
    name: CLOUDFLARE_TOKEN.secretName,
    consumer: 'ExternalDNS (releases/external-dns, env CF_API_TOKEN)',
    providedBy: 'the operator from the cloudflare-dns Terraform stack, after `cdktf deploy cloudflare-dns` (temporary: a SealedSecret/ExternalSecret once the secrets constructs land)',
    command: `kubectl -n external-dns create secret generic ${CLOUDFLARE_TOKEN.secretName} --from-literal=${CLOUDFLARE_TOKEN.key}="$(${TF_DNS} external_dns_token)"`,
    temporary: true,
  });
}

/** Declares the management cluster's inputs: provider credentials and the workloads' Git credentials. */
export function declareManagementInputs(mgmt: GitOpsCluster, workloads: readonly string[]): void {
  const temp = '(temporary: a SealedSecret/ExternalSecret once the secrets constructs land)';
  const secret = (namespace: string, name: string, consumer: string, providedBy: string, command: string): void =>
    mgmt.declareExternalInput({ kind: 'Secret', namespace, name, consumer, providedBy: `${providedBy} ${temp}`, command, temporary: true });
  secret('capa-system', 'capa-variables', 'InfrastructureProvider aws (releases/capi-providers, spec.configSecret)', 'the operator, with the AWS account of the CAPA controller', 'kubectl -n capa-system create secret generic capa-variables --from-literal=AWS_B64ENCODED_CREDENTIALS="$(clusterawsadm bootstrap credentials encode-as-profile)"');
  secret('capg-system', 'capg-variables', 'InfrastructureProvider gcp (releases/capi-providers, spec.configSecret)', 'the operator, with the GCP service account of the CAPG controller', 'kubectl -n capg-system create secret generic capg-variables --from-literal=GCP_B64ENCODED_CREDENTIALS="$(base64 -w0 < capg-sa.json)"');
  secret('capa-system', 'prod-aws-credentials', 'AWSClusterStaticIdentity prod-aws-prod-aws (releases/cluster-prod-aws)', 'the operator, with the prod-aws account\'s access key', 'kubectl -n capa-system create secret generic prod-aws-credentials --from-literal=AccessKeyID=<id> --from-literal=SecretAccessKey=<key>');
  secret('dev-gcp', 'dev-gcp-credentials', 'GCPCluster dev-gcp (releases/cluster-dev-gcp, spec.credentialsRef)', 'the operator, with the dev-gcp service account key', 'kubectl -n dev-gcp create secret generic dev-gcp-credentials --from-file=credentials=dev-gcp-sa.json');
  secret('dev-proxmox', 'dev-proxmox-credentials', 'ProxmoxCluster dev-proxmox (releases/cluster-dev-proxmox, spec.credentialsRef)', 'the operator, with a Proxmox VE API token', 'kubectl -n dev-proxmox create secret generic dev-proxmox-credentials --from-literal=url=https://pve1.example.com:8006 --from-literal=token=<id> --from-literal=secret=<secret>');
  for (const host of ['edge-01', 'edge-02']) {
    secret('edge-metal3', `${host}-bmc`, `BareMetalHost ${host} (releases/cluster-edge-metal3, spec.bmc.credentialsName)`, `the operator, with the BMC account of ${host}`, `kubectl -n edge-metal3 create secret generic ${host}-bmc --from-literal=username=<user> --from-literal=password=<password>`);
  }
  for (const w of workloads) {
    secret(
      w,
      `${w}-flux-git`,
      `ClusterResourceSet ${w}/${w}-flux-git (releases/${w}-bootstrap), copied to ${w}`,
      `the operator: a Secret of type addons.cluster.x-k8s.io/resource-set holding the flux-system Namespace and the Git credentials Secret of ${w}`,
      `kubectl -n ${w} create secret generic ${w}-flux-git --type=addons.cluster.x-k8s.io/resource-set --from-file=flux-git.yaml`,
    );
  }
  mgmt.declareExternalInput({
    kind: 'ConfigMap',
    namespace: 'baremetal-operator-system',
    name: 'ironic',
    consumer: 'baremetal-operator (configs/, Kustomization baremetal-operator: envFrom ConfigMap ironic)',
    providedBy: 'the site\'s Ironic installation (the spec pack pins no Ironic release; docs/architecture.md known gaps)',
    command: 'kubectl -n baremetal-operator-system create configmap ironic --from-literal=IRONIC_ENDPOINT=https://<ironic>:6385/v1/ --from-literal=DEPLOY_KERNEL_URL=<url> --from-literal=DEPLOY_RAMDISK_URL=<url>',
  });
}
