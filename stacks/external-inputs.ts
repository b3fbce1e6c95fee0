/**
 * The reference fleet's external inputs: what its clusters need that the fleet cannot produce
 * (yet), each with who provides it and the command (docs/reconcile.md). They are listed in each
 * `dist/<cluster>/README.md`. Inputs marked `temporary` become SealedSecrets/ExternalSecrets with
 * the secrets constructs; the Git credentials of the management cluster, each cluster's sealing key
 * (declared by stacks/sealed-secrets.ts) and the site's Ironic stay true bootstrap roots.
 */
import { GitOpsCluster } from '../lib/flux/gitops-cluster';

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
    namespace: 'oauth2-proxy-hubbleui',
    name: 'oauth2-proxy-credentials',
    consumer: 'oauth2-proxy in front of Hubble UI (releases/oauth2-proxy-hubbleui, config.existingSecret)',
    providedBy: `the operator, from the identity provider's OIDC client hubble-${c} (temporary: a SealedSecret/ExternalSecret once the secrets constructs land)`,
    command:
      'kubectl -n oauth2-proxy-hubbleui create secret generic oauth2-proxy-credentials --from-literal=client-id=<id> --from-literal=client-secret=<secret> --from-literal=cookie-secret="$(openssl rand -base64 32 | head -c 32)"',
    temporary: true,
  });
}

/**
 * Declares the management cluster's inputs beyond the baseline's. The provider credentials, BMC
 * credentials and the workloads' Git credentials are SealedSecrets now (stacks/sealed-secrets.ts).
 */
export function declareManagementInputs(mgmt: GitOpsCluster): void {
  mgmt.declareExternalInput({
    kind: 'ConfigMap',
    namespace: 'baremetal-operator-system',
    name: 'ironic',
    consumer: 'baremetal-operator (configs/, Kustomization baremetal-operator: envFrom ConfigMap ironic)',
    providedBy: 'the site\'s Ironic installation (the spec pack pins no Ironic release; docs/architecture.md known gaps)',
    command: 'kubectl -n baremetal-operator-system create configmap ironic --from-literal=IRONIC_ENDPOINT=https://<ironic>:6385/v1/ --from-literal=DEPLOY_KERNEL_URL=<url> --from-literal=DEPLOY_RAMDISK_URL=<url>',
  });
}
