import { CertManager, Fleet, GitOpsCluster } from '../../../lib';
import { MonitoringStack } from '../../../lib/monitoring/monitoring-stack';
import { SecretReference } from '../../../lib/secrets/secret-reference';
import { testCluster } from '../../support/fleet';

/** A test cluster with cert-manager and a MonitoringStack (apps layer), as the alerting constructs need. */
export function monitoredCluster(name = 'test'): { fleet: Fleet; cluster: GitOpsCluster; monitoring: MonitoringStack } {
  const { fleet, cluster } = testCluster(name);
  const certManager = new CertManager(cluster.controllers, 'CertManager');
  const monitoring = new MonitoringStack(cluster.apps, 'Monitoring', { certManager });
  return { fleet, cluster, monitoring };
}

/** A Secret in `monitoring` that a declared external input provides (no store needed in unit tests). */
export function receiverSecret(cluster: GitOpsCluster, keys: readonly string[] = ['url', 'key']): SecretReference {
  cluster.declareExternalInput({
    kind: 'Secret',
    namespace: 'monitoring',
    name: 'receivers',
    consumer: 'AlertRouting',
    providedBy: 'the test',
    command: 'kubectl -n monitoring create secret generic receivers',
  });
  return SecretReference.fromExternalInput('receivers', 'monitoring', keys);
}
