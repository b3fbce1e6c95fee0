import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { declareOwner, OWNER_LABEL, PLATFORM_OWNER } from '../core/owner';
import { PodSecurityLevel } from './pod-security';

/**
 * @internal The Namespace of an app, with Pod Security Admission labels (enforce as asked, audit/warn
 * restricted) and the owner label (the platform team's: the policy baseline requires it on every
 * workload or its Namespace, and chart-rendered workloads carry only the Namespace's).
 */
export function appNamespace(scope: Construct, name: string, level: PodSecurityLevel = PodSecurityLevel.RESTRICTED): kplus.Namespace {
  // The label names an owner the cluster knows (alert routes, exemption requests go to it).
  declareOwner(scope, PLATFORM_OWNER);
  return new kplus.Namespace(scope, 'Namespace', {
    metadata: {
      name,
      labels: {
        'pod-security.kubernetes.io/enforce': level.value,
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
        [OWNER_LABEL]: PLATFORM_OWNER.team,
      },
    },
  });
}
