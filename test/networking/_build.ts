import { Fleet, GatewayApiCrds, GitOpsCluster } from '../../lib';
import { CiliumNetworking, CiliumNetworkingProps } from '../../lib/networking';
import { testCluster } from '../support/fleet';

/** A test cluster with Gateway API CRDs and CiliumNetworking (clusterId 1 unless given). */
export function withCilium(props: CiliumNetworkingProps = {}, name = 'test'): { fleet: Fleet; cluster: GitOpsCluster; cilium: CiliumNetworking } {
  const { fleet, cluster } = testCluster(name);
  const gatewayApi = new GatewayApiCrds(cluster.crds, 'GatewayApi');
  const cilium = new CiliumNetworking(cluster.controllers, 'Cilium', { gatewayApi, clusterId: 1, ...props });
  return { fleet, cluster, cilium };
}
