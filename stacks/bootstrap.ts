/**
 * The reference fleet's bootstrap (issue 16): the target of `hack/bootstrap.sh` for each provider,
 * read from the fleet itself (versions, the management cluster's declared external inputs, the
 * workload clusters, BGP), and how the bootstrap provides each bootstrap root of `mgmt` (the
 * suppliers). hack/cli.ts calls it; lib/bootstrap holds the orchestrator.
 */
import { join } from 'node:path';
import type { Fleet } from '../lib';
import { BootstrapProvider, BootstrapTarget, BootstrapVia, cmd, ExternalInputSupplier, kubectl } from '../lib/bootstrap';
import { SEALING_KEY_LABEL } from '../lib/secrets';
import { buildReferenceFleet, FLEET_DNS_ZONE, FLEET_REPOSITORY, MANAGEMENT_CLUSTER } from './fleet';

/** Where the operator puts the bootstrap roots' files (git-ignored, like the whole work folder). */
export const BOOTSTRAP_WORKDIR = '.infraflux';
/** The folder of the bootstrap roots' files inside the work folder. */
export const INPUTS_DIR = join(BOOTSTRAP_WORKDIR, 'inputs');

/** How the bootstrap provides each declared external input of the reference management cluster. */
export function referenceSuppliers(env: NodeJS.ProcessEnv = process.env): ExternalInputSupplier[] {
  const deployKey = join(INPUTS_DIR, 'deploy-key');
  const sealCrt = join(INPUTS_DIR, 'sealed-secrets-key.crt');
  const sealKey = join(INPUTS_DIR, 'sealed-secrets-key.key');
  const meshCrt = join(INPUTS_DIR, 'mesh-ca.crt');
  const meshKey = join(INPUTS_DIR, 'mesh-ca.key');
  return [
    {
      input: 'Secret/flux-system/flux-system',
      files: [deployKey],
      commands: (kc) => [cmd('flux', ['create', 'secret', 'git', 'flux-system', '--kubeconfig', kc, `--url=${FLEET_REPOSITORY}`, `--private-key-file=${deployKey}`])],
    },
    {
      input: 'Secret/kube-system/sealed-secrets-key',
      files: [sealCrt, sealKey],
      commands: (kc) => [
        kubectl(kc, ['-n', 'kube-system', 'create', 'secret', 'tls', 'sealed-secrets-key', `--cert=${sealCrt}`, `--key=${sealKey}`]),
        kubectl(kc, ['-n', 'kube-system', 'label', '--overwrite', 'secret', 'sealed-secrets-key', `${SEALING_KEY_LABEL}=active`]),
      ],
    },
    {
      input: 'Secret/kube-system/cilium-ca',
      files: [meshCrt, meshKey],
      commands: (kc) => [kubectl(kc, ['-n', 'kube-system', 'create', 'secret', 'generic', 'cilium-ca', `--from-file=ca.crt=${meshCrt}`, `--from-file=ca.key=${meshKey}`])],
    },
    {
      input: 'ConfigMap/baremetal-operator-system/ironic',
      env: ['IRONIC_ENDPOINT', 'DEPLOY_KERNEL_URL', 'DEPLOY_RAMDISK_URL'],
      commands: (kc) => [
        kubectl(kc, [
          '-n',
          'baremetal-operator-system',
          'create',
          'configmap',
          'ironic',
          `--from-literal=IRONIC_ENDPOINT=${env.IRONIC_ENDPOINT ?? '$IRONIC_ENDPOINT'}`,
          `--from-literal=DEPLOY_KERNEL_URL=${env.DEPLOY_KERNEL_URL ?? '$DEPLOY_KERNEL_URL'}`,
          `--from-literal=DEPLOY_RAMDISK_URL=${env.DEPLOY_RAMDISK_URL ?? '$DEPLOY_RAMDISK_URL'}`,
        ]),
      ],
    },
    {
      input: 'KubernetesAuthRole//external-secrets',
      afterBootstrap: `the Vault operator binds role external-secrets of auth method kubernetes-${MANAGEMENT_CLUSTER} to the new API server (docs/runbooks/external-secrets.md); until then ClusterSecretStore fleet-secrets is not Ready`,
    },
  ];
}

/** The bootstrap target of the reference fleet's management cluster on `provider`. */
export function referenceBootstrapTarget(provider: BootstrapProvider, via: BootstrapVia = BootstrapVia.CLUSTER_API, fleet: Fleet = buildReferenceFleet(), env: NodeJS.ProcessEnv = process.env): BootstrapTarget {
  return BootstrapTarget.fromFleet(fleet, {
    provider,
    via,
    managementCluster: MANAGEMENT_CLUSTER,
    dnsZone: FLEET_DNS_ZONE,
    workdir: BOOTSTRAP_WORKDIR,
    suppliers: referenceSuppliers(env),
    // The repo's CDKTF stack of the Proxmox management cluster (stacks/terraform.ts).
    terraformStack: provider.supportsTerraform ? { dir: join('cdktf.out', 'stacks', 'proxmox-mgmt'), kubeconfigOutput: 'mgmt_kubeconfig', talosconfigOutput: 'mgmt_talosconfig' } : undefined,
  });
}
