/**
 * Example: a cloud fleet. Three clusters (a management cluster and two regions) with the same
 * baseline: Gateway API CRDs, Cilium (each with its own cluster id, as a mesh needs), cert-manager
 * and an internal CA. The reference fleet (stacks/fleet.ts) adds Cluster API, the edge, DNS,
 * secrets, storage and backup on the same pattern.
 *
 *   npx tsx examples/cloud-fleet.ts   writes examples/out/cloud/
 */
import { CertManager, CiliumNetworking, Fleet, GatewayApiCrds, InternalCaIssuer } from '../lib';

export const CLOUD_CLUSTERS = [
  { name: 'mgmt', clusterId: 1 },
  { name: 'eu-west', clusterId: 2 },
  { name: 'us-east', clusterId: 3 },
] as const;

export function buildCloudFleet(outdir = 'examples/out/cloud'): Fleet {
  const fleet = new Fleet({ outdir, source: { url: 'https://github.com/example/fleet.git', branch: 'main' } });
  for (const spec of CLOUD_CLUSTERS) {
    const cluster = fleet.addCluster(spec.name, { name: spec.name });
    const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
    new CiliumNetworking(cluster.controllers, 'Cilium', { gatewayApi, clusterId: spec.clusterId });
    const certManager = new CertManager(cluster.controllers, 'CertManager', { gatewayApi, replicas: 2 });
    new InternalCaIssuer(cluster.configs, 'InternalCa', { certManager });
  }
  return fleet;
}

if (require.main === module) console.log(`cloud: ${buildCloudFleet().synthesize().files} manifests`);
