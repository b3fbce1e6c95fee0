/**
 * The reference fleet's external inputs: what its clusters need that the fleet cannot produce
 * (yet), each with who provides it and the command (docs/reconcile.md). They are listed in each
 * `dist/<cluster>/README.md`. Every Secret the fleet can deliver is a SealedSecret
 * (stacks/sealed-secrets.ts) or an ExternalSecret (stacks/external-secrets.ts); what is left here
 * are true bootstrap roots: the Git credentials of the management cluster and the site's Ironic
 * (each cluster's sealing key and the stores' trust are declared next to their constructs).
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
