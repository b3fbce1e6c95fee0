/**
 * The reference fleet's bootstrap (issue 16): the target of `hack/bootstrap.sh` for each provider,
 * read from the fleet itself (versions, the management cluster's declared external inputs, the
 * workload clusters, BGP), and how the bootstrap provides each bootstrap root of `mgmt` (the
 * suppliers). hack/cli.ts calls it; lib/bootstrap holds the orchestrator.
 */
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Fleet } from '../lib';
import { BootstrapProvider, BootstrapTarget, BootstrapVia, cmd, ExternalInputSupplier, kubectl } from '../lib/bootstrap';
import { AwsIdentity, ClusterProvider, InfrastructureInputs, TalosCluster, TalosClusterClass } from '../lib/cluster';
import { ErrorCode, InfraFluxError } from '../lib/core/errors';
import { CiliumNetworking } from '../lib/networking';
import { SEALING_KEY_LABEL } from '../lib/secrets';
import { datapathOf } from './clusters';
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

/**
 * The management cluster's own Cluster API objects on AWS, rendered from a {@link TalosCluster}
 * (prod class, three control planes) whose networks, Talos CNI settings and Cilium datapath come
 * from mgmt's CiliumNetworking in the fleet, as for the workload clusters. It authenticates as
 * CAPA's controller identity (the `AWS_B64ENCODED_CREDENTIALS` given to `clusterctl init`), so
 * kind needs no Secret. The region and AMI are the reference fleet's example values.
 * Other providers: not rendered yet (their identities need Secrets on kind; docs/bootstrap.md).
 * @returns multi-document YAML (Namespace first), or undefined for a provider without objects
 */
export function managementClusterObjects(provider: BootstrapProvider, fleet: Fleet): string | undefined {
  if (provider !== BootstrapProvider.AWS) return undefined;
  const cilium = fleet.node.findAll().find((c): c is CiliumNetworking => c instanceof CiliumNetworking && c.clusterName === MANAGEMENT_CLUSTER);
  const nodes = cilium?.nodeCidrs[0];
  if (!cilium || !nodes) {
    throw new InfraFluxError(ErrorCode.REFERENCE_FLEET_INCOMPLETE, 'stacks/bootstrap', `the reference fleet has no CiliumNetworking with nodeCidrs for ${MANAGEMENT_CLUSTER}`);
  }
  const scratch = new Fleet({ source: { url: FLEET_REPOSITORY } });
  const holder = scratch.addCluster('bootstrap', { name: 'bootstrap' });
  new TalosCluster(holder.apps, 'Management', {
    name: MANAGEMENT_CLUSTER,
    clusterClass: TalosClusterClass.prod(ClusterProvider.AWS),
    controlPlaneCount: 3,
    network: { pods: [cilium.podCidr], services: [cilium.serviceCidr], nodes },
    cni: cilium.talosCniSettings,
    ciliumDatapath: datapathOf(cilium),
    infrastructure: InfrastructureInputs.aws({ region: 'eu-central-1', amiId: 'ami-0a1b2c3d4e5f60718', identity: AwsIdentity.controller() }),
  });
  const objects = scratch
    .manifests()
    .filter((m) => m.file.startsWith(`bootstrap/releases/cluster-${MANAGEMENT_CLUSTER}/`))
    .map((m) => m.object);
  return [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: MANAGEMENT_CLUSTER } }, ...objects].map((o) => stringify(o)).join('---\n');
}

/** The bootstrap target of the reference fleet's management cluster on `provider`. */
export function referenceBootstrapTarget(provider: BootstrapProvider, via: BootstrapVia = BootstrapVia.CLUSTER_API, fleet: Fleet = buildReferenceFleet(), env: NodeJS.ProcessEnv = process.env): BootstrapTarget {
  const objects = via === BootstrapVia.CLUSTER_API ? managementClusterObjects(provider, fleet) : undefined;
  return BootstrapTarget.fromFleet(fleet, {
    provider,
    via,
    managementCluster: MANAGEMENT_CLUSTER,
    dnsZone: FLEET_DNS_ZONE,
    workdir: BOOTSTRAP_WORKDIR,
    suppliers: referenceSuppliers(env),
    ...(objects !== undefined ? { managementObjectsYaml: objects } : {}),
    // The repo's CDKTF stack of the Proxmox management cluster (stacks/terraform.ts).
    terraformStack: provider.supportsTerraform ? { dir: join('cdktf.out', 'stacks', 'proxmox-mgmt'), kubeconfigOutput: 'mgmt_kubeconfig', talosconfigOutput: 'mgmt_talosconfig' } : undefined,
  });
}
