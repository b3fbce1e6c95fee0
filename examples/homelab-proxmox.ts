/**
 * Example: a one-cluster Proxmox homelab. One Talos cluster on Proxmox VE, bootstrapped by hand
 * (`flux bootstrap` once, pointing at this repository's dist/homelab/), running Cilium as CNI
 * with Gateway API, cert-manager with an internal CA, and podinfo behind the Gateway. Storage
 * (`ClusterStorage` with `StoragePlatform.PROXMOX`) and backup follow stacks/storage.ts and
 * stacks/backup.ts of the reference fleet.
 *
 *   npx tsx examples/homelab-proxmox.ts   writes examples/out/homelab/
 */
import { CertManager, CiliumNetworking, Fleet, GatewayApiCrds, InternalCaIssuer, Podinfo } from '../lib';

export function buildHomelab(outdir = 'examples/out/homelab'): Fleet {
  const fleet = new Fleet({ outdir, source: { url: 'https://github.com/example/homelab.git', branch: 'main' } });
  const cluster = fleet.addCluster('homelab', { name: 'homelab' });
  const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
  // One cluster, no mesh: cluster id 1; Cilium replaces kube-proxy and serves the Gateway.
  new CiliumNetworking(cluster.controllers, 'Cilium', { gatewayApi, clusterId: 1 });
  const certManager = new CertManager(cluster.controllers, 'CertManager', { gatewayApi });
  const issuer = new InternalCaIssuer(cluster.configs, 'InternalCa', { certManager });
  new Podinfo(cluster.apps, 'Podinfo', { issuer, hostname: 'podinfo.home.example.com' });
  return fleet;
}

if (require.main === module) console.log(`homelab: ${buildHomelab().synthesize().files} manifests`);
