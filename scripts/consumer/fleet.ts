// The consumer program of scripts/consumer-test.sh: what a new user writes, type-checked strictly
// (no skipLibCheck, no @types/node) against the installed tarball.
import { CertManager, CiliumNetworking, Fleet, GatewayApiCrds } from 'infraflux';

/** A one-cluster fleet: Gateway API CRDs, Cilium as CNI, cert-manager. */
export function buildFleet(outdir: string): Fleet {
  const fleet = new Fleet({ source: { url: 'https://github.com/example/fleet.git', branch: 'main' }, outdir });
  const cluster = fleet.addCluster('prod', { name: 'prod' });
  const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
  new CiliumNetworking(cluster.controllers, 'Cilium', { gatewayApi, clusterId: 1 });
  new CertManager(cluster.controllers, 'CertManager');
  return fleet;
}
