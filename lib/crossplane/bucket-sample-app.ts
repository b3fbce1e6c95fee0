/**
 * The sample consumer of a platform API, in the app pattern (decision 0075): its Namespace, its
 * Bucket XR, the workload reading the XR's connection Secret, its Service (routed by the cluster's
 * Gateway) and its Flux Kustomization.
 */
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ErrorCode, InfraFluxError, invalidProp } from '../core/errors';
import { ServiceReference } from '../core/service-reference';
import { UPSTREAM_VERSIONS } from '../core/versions';
import { LayerName } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import { ManifestBackedConstruct } from '../flux/manifest-app';
import { CompositeResource, CrossplaneApis, ICompositeResourceDefinition } from './apis';

export interface BucketSampleAppProps extends ReconcileTiming {
  /** The Bucket API (`addPlatformApis(...).bucket.xrd`). */
  readonly bucketApi: ICompositeResourceDefinition;
  /** The app that defines the API on this cluster: the sample is applied once it is Ready. */
  readonly apis: CrossplaneApis;
  /**
   * App name and namespace.
   * @default 'bucket-sample'
   */
  readonly name?: string;
  /**
   * AWS region of the bucket.
   * @default 'eu-central-1'
   */
  readonly region?: string;
  /**
   * @default 1
   */
  readonly replicas?: number;
}

/**
 * A sample app that stores objects in a bucket it asks the platform for: a namespaced `Bucket` XR
 * (`platform.infraflux.io/v1alpha1`) and a restricted Deployment that reads the connection Secret
 * `<xr>-bucket` (the IAM access key the Composition writes) and the bucket name and region as
 * environment variables. The workload is podinfo (pinned image), standing in for any app with an
 * S3 client. Expose {@link service} through the Gateway (`GatewayStack.exposeService`).
 */
export class BucketSampleApp extends ManifestBackedConstruct {
  public readonly bucket: CompositeResource;
  public readonly deployment: kplus.Deployment;
  public readonly kubeService: kplus.Service;
  /** The app's Service, for a route. */
  public readonly service: ServiceReference;

  public constructor(scope: Construct, id: string, props: BucketSampleAppProps) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) invalidProp(this, `replicas ${replicas} must be a whole number >= 1`);
    if (props.bucketApi.kind !== 'Bucket' || !props.bucketApi.connectionSecretSuffix) invalidProp(this, `bucketApi must be the Bucket API with a connection Secret, got ${props.bucketApi.apiVersion} ${props.bucketApi.kind}`);
    this.createApp({ ...props, name: props.name ?? 'bucket-sample' });
    if (this.app.layer.layerName !== LayerName.APPS) throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, `BucketSampleApp must be created in the apps layer, not "${this.app.layer.layerName}"`);
    this.addDependency(props.apis);
    const ns = this.namespace;
    const region = props.region ?? 'eu-central-1';
    this.bucket = new CompositeResource(this.content, 'Bucket', { api: props.bucketApi, name: 'data', namespace: ns, spec: { region, versioning: true } });
    const labels = { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/part-of': 'infraflux-crossplane-sample' };
    const secret = kplus.Secret.fromSecretName(this, 'ConnectionSecret', this.bucket.connectionSecretName!);
    this.deployment = new kplus.Deployment(this.content, 'Deployment', {
      metadata: { name: this.name, namespace: ns, labels },
      podMetadata: { labels },
      select: false,
      replicas,
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: 10001, group: 10001, fsGroup: 10001 },
      containers: [
        {
          name: 'app',
          image: `ghcr.io/stefanprodan/podinfo:${UPSTREAM_VERSIONS.podinfo}`,
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          command: ['./podinfo', '--port=9898', '--level=info'],
          ports: [{ name: 'http', number: 9898 }],
          envVariables: {
            BUCKET_NAME: kplus.EnvValue.fromValue(`${ns}-${this.bucket.name}`),
            AWS_REGION: kplus.EnvValue.fromValue(region),
          },
          envFrom: [kplus.Env.fromSecret(secret)],
          resources: { cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(200) }, memory: { request: Size.mebibytes(32), limit: Size.mebibytes(128) } },
          liveness: kplus.Probe.fromHttpGet('/healthz', { port: 9898 }),
          readiness: kplus.Probe.fromHttpGet('/readyz', { port: 9898 }),
          securityContext: {
            ensureNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: [kplus.Capability.ALL] },
            seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
          },
        },
      ],
    });
    this.deployment.select(kplus.LabelSelector.of({ labels }));
    this.kubeService = new kplus.Service(this.content, 'Service', {
      metadata: { name: this.name, namespace: ns, labels },
      selector: kplus.Pods.select(this, 'Pods', { labels, namespaces: kplus.Namespaces.select(this, 'Namespaces', { names: [ns] }) }),
      ports: [{ name: 'http', port: 80, targetPort: 9898 }],
    });
    this.service = { namespace: ns, name: this.name, port: 80, deployedBy: this };
  }
}
