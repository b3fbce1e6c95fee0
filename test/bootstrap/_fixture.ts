/**
 * A small bootstrap target in a temporary folder for the fake toolchain: a dist/ with the real
 * management cluster's Cilium release files and a minimal flux-system/, the management cluster's
 * Cluster API objects, a deploy key for the one declared external input, a Terraform stack folder.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootstrapProvider, BootstrapTarget, BootstrapVia, cmd } from '../../lib/bootstrap';

const REPO = join(__dirname, '..', '..');

/** A fresh folder with dist/, the mgmt objects and the inputs' files. */
export function fixtureDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'infraflux-bootstrap-'));
  const rel = join(dir, 'dist', 'mgmt', 'releases', 'cilium');
  const fs = join(dir, 'dist', 'mgmt', 'flux-system');
  mkdirSync(rel, { recursive: true });
  mkdirSync(fs, { recursive: true });
  for (const f of ['helmrelease-cilium.yaml', 'configmap-cilium-values.yaml']) copyFileSync(join(REPO, 'dist', 'mgmt', 'releases', 'cilium', f), join(rel, f));
  for (const f of ['helmrepository-cilium.yaml', 'kustomization-flux-system.yaml', 'gitrepository-flux-system.yaml']) copyFileSync(join(REPO, 'dist', 'mgmt', 'flux-system', f), join(fs, f));
  writeFileSync(
    join(dir, 'mgmt-capi.yaml'),
    'apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata:\n  name: mgmt\n  namespace: mgmt\nspec: {}\n',
  );
  mkdirSync(join(dir, 'inputs'));
  writeFileSync(join(dir, 'inputs', 'deploy-key'), 'fake key\n');
  mkdirSync(join(dir, 'tf'), { recursive: true });
  writeFileSync(join(dir, 'tf', 'cdk.tf.json'), '{}');
  return dir;
}

/** The target of `provider` in `dir`, with two workload clusters and the Git credentials input. */
export function fixtureTarget(dir: string, provider: BootstrapProvider, via: BootstrapVia = BootstrapVia.CLUSTER_API, extra: Partial<ConstructorParameters<typeof BootstrapTarget>[0]> = {}): BootstrapTarget {
  const deployKey = join(dir, 'inputs', 'deploy-key');
  return new BootstrapTarget({
    provider,
    via,
    repositoryUrl: 'ssh://git@github.com/infraflux/infraflux.git',
    distDir: join(dir, 'dist'),
    workdir: join(dir, '.infraflux'),
    managementObjects: join(dir, 'mgmt-capi.yaml'),
    workloadClusters: [
      { name: 'prod-aws', namespace: 'prod-aws' },
      { name: 'dev-gcp', namespace: 'dev-gcp' },
    ],
    externalInputs: [{ kind: 'Secret', namespace: 'flux-system', name: 'flux-system', consumer: 'GitRepository flux-system', providedBy: 'the operator', command: 'flux create secret git …' }],
    suppliers: [
      {
        input: 'Secret/flux-system/flux-system',
        files: [deployKey],
        commands: (kc) => [cmd('flux', ['create', 'secret', 'git', 'flux-system', '--kubeconfig', kc, '--url=ssh://git@github.com/infraflux/infraflux.git', `--private-key-file=${deployKey}`])],
      },
    ],
    ...(provider.supportsTerraform ? { terraformStack: { dir: join(dir, 'tf'), kubeconfigOutput: 'mgmt_kubeconfig', talosconfigOutput: 'mgmt_talosconfig' } } : {}),
    ...extra,
  });
}

/** Credentials the fake cloud CLIs accept, for every provider. */
export const GOOD_ENV: NodeJS.ProcessEnv = {
  AWS_REGION: 'eu-central-1',
  AWS_B64ENCODED_CREDENTIALS: 'Zm9v',
  AZURE_SUBSCRIPTION_ID: 's',
  AZURE_TENANT_ID: 't',
  AZURE_CLIENT_ID: 'c',
  GCP_PROJECT: 'infraflux-dev',
  GCP_B64ENCODED_CREDENTIALS: 'Zm9v',
  PROXMOX_URL: 'https://pve1:8006',
  PROXMOX_TOKEN: 'capmox@pve!capi',
  PROXMOX_SECRET: 'good',
  IRONIC_ENDPOINT: 'https://ironic:6385/v1/',
  CLOUDFLARE_API_TOKEN: 'good',
};
