/**
 * @internal What the alerting constructs need from the cluster's monitoring stack (the shared
 * contract of issue 14): the cluster-level monitoring capability (its CRD app, which every
 * `monitoring.coreos.com` object depends on), the namespace and the Alertmanager Service.
 */
import { IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError } from '../../core/errors';
import { clusterMonitoring, type IClusterMonitoring } from '../../flux/cluster-monitoring';

export { MONITORING_NAMESPACE } from '../prometheus-operator-crds';
export { ALERTING_LABEL, ALERTMANAGER_URL } from '../monitoring-stack';

/** `given`, else the monitoring stack of `scope`'s cluster; a synth error when there is none. */
export function requireMonitoring(scope: IConstruct, given: IClusterMonitoring | undefined): IClusterMonitoring {
  const monitoring = given ?? clusterMonitoring(scope);
  if (!monitoring) {
    throw new InfraFluxError(
      ErrorCode.NOT_IN_CLUSTER,
      scope,
      'needs the monitoring CRDs, but its cluster has no MonitoringStack; create one (lib/monitoring) before the alerting constructs, or pass `monitoring`',
    );
  }
  return monitoring;
}
