/**
 * Crossplane on a cluster of the reference fleet (issue 13 point 4, decisions 0073-0075): optional
 * and OFF on every reference cluster (`REFERENCE_CROSSPLANE`). When enabled: Crossplane (HA on
 * production clusters), the pinned AWS family providers and function-patch-and-transform, the
 * bucket/database/DNS-record platform APIs with their ClusterProviderConfig, and the bucket
 * sample app (docs/crossplane.md).
 */
import { SecretKeyReference, SecretReference } from '../lib/secrets/secret-reference';
import { addAwsPlatformPackages, addPlatformApis, type AwsPlatformPackages, type PlatformApis } from '../lib/crossplane/platform-apis';
import { BucketSampleApp } from '../lib/crossplane/bucket-sample-app';
import { Crossplane } from '../lib/crossplane/crossplane';
import { CrossplaneApis } from '../lib/crossplane/apis';
import { CrossplanePackages } from '../lib/crossplane/packages';
import { GatewayStack } from '../lib/edge/gateway-stack';
import { FLEET_DOMAIN, MANAGEMENT_CLUSTER, type Baseline } from './config';

/** Whether each reference cluster runs Crossplane: none does (the module is optional; decision 0073). */
export const REFERENCE_CROSSPLANE: Readonly<Record<string, boolean>> = {
  mgmt: false,
  'prod-aws': false,
  'prod-azure': false,
  'dev-gcp': false,
  'dev-proxmox': false,
  'edge-metal3': false,
};

/** Clusters whose Crossplane runs two replicas. */
const PRODUCTION = new Set([MANAGEMENT_CLUSTER, 'prod-aws', 'prod-azure']);

/** The Secret (key `credentials`, an AWS credentials file) the ClusterProviderConfig reads. */
export const CROSSPLANE_AWS_CREDENTIALS = 'crossplane-aws-credentials';

export interface AddCrossplaneOptions {
  /** Install Crossplane on this cluster. */
  readonly enabled: boolean;
  /**
   * The AWS credentials file of the ClusterProviderConfig.
   * @default - Secret `crossplane-aws-credentials` (key `credentials`) in `crossplane-apis`, a declared external input
   */
  readonly credentials?: SecretKeyReference;
  /**
   * Deploy the bucket sample app.
   * @default true
   */
  readonly sampleApp?: boolean;
  /**
   * The cluster's edge: the sample app is routed at `bucket-sample.<cluster>.<domain>`.
   * @default - no route
   */
  readonly edge?: GatewayStack;
  /**
   * Domain of the route.
   * @default FLEET_DOMAIN
   */
  readonly domain?: string;
}

export interface ClusterCrossplane {
  readonly crossplane: Crossplane;
  readonly packages: CrossplanePackages;
  readonly aws: AwsPlatformPackages;
  readonly apis: CrossplaneApis;
  readonly platformApis: PlatformApis;
  readonly sample?: BucketSampleApp;
}

/** Crossplane and its platform APIs on `baseline`'s cluster, or nothing when `enabled` is false. */
export function addCrossplane(baseline: Baseline, options: AddCrossplaneOptions): ClusterCrossplane | undefined {
  if (!options.enabled) return undefined;
  const { cluster } = baseline;
  const crossplane = new Crossplane(cluster.controllers, 'Crossplane', { highAvailability: PRODUCTION.has(cluster.name) });
  const packages = new CrossplanePackages(cluster.configs, 'CrossplanePackages', { crossplane });
  const aws = addAwsPlatformPackages(packages);
  const apis = new CrossplaneApis(cluster.configs, 'CrossplaneApis', { crossplane, packages });
  let credentials = options.credentials;
  if (!credentials) {
    cluster.declareExternalInput({
      kind: 'Secret',
      namespace: apis.namespace,
      name: CROSSPLANE_AWS_CREDENTIALS,
      consumer: `ClusterProviderConfig default (configs/, Kustomization ${apis.name})`,
      providedBy: 'the platform team: an IAM user or role allowed to manage S3, IAM, RDS and Route 53 for the platform APIs',
      command: `kubectl -n ${apis.namespace} create secret generic ${CROSSPLANE_AWS_CREDENTIALS} --from-file=credentials=./aws-credentials.ini`,
    });
    credentials = SecretReference.fromExternalInput(CROSSPLANE_AWS_CREDENTIALS, apis.namespace, ['credentials']).key('credentials');
  }
  apis.addProviderConfig('ProviderConfig', { provider: aws.family, credentials });
  const platformApis = addPlatformApis(apis, { patchAndTransform: aws.patchAndTransform });
  const sample = options.sampleApp === false ? undefined : new BucketSampleApp(cluster.apps, 'BucketSample', { bucketApi: platformApis.bucket.xrd, apis });
  // Its route: on the cluster's Gateway, like podinfo's (routes live with the Gateway, decision 0040).
  if (sample && options.edge) options.edge.exposeService('BucketSample', sample.service, { hostname: `bucket-sample.${cluster.name}.${options.domain ?? FLEET_DOMAIN}` });
  return { crossplane, packages, aws, apis, platformApis, ...(sample ? { sample } : {}) };
}
