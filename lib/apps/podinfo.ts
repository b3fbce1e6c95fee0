import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { Certificate } from '../../imports/cert-manager-cert-manager.io';
import { invalidProp, validateDnsSubdomain } from '../core/errors';
import { UPSTREAM_VERSIONS } from '../core/versions';
import { IClusterIssuer, issueCertificate } from '../certs/cluster-issuer';
import { FluxLayer } from '../flux/gitops-cluster';
import { FluxManifestApp } from '../flux/manifest-app';

export interface PodinfoProps {
  /** Host name the app is served on; a certificate for it is issued from `issuer`. */
  readonly hostname: string;
  /** Issuer of the app's TLS certificate. */
  readonly issuer: IClusterIssuer;
  /**
   * @default 2
   */
  readonly replicas?: number;
}

/**
 * The sample app of the reference fleet: stefanprodan/podinfo as plain manifests (the spec pack
 * pins no podinfo chart, and every HelmRelease must validate against a pinned chart), hardened for
 * the `restricted` Pod Security level, with a TLS certificate from the cluster's issuer.
 */
export class Podinfo extends Construct {
  public readonly app: FluxManifestApp;
  public readonly deployment: kplus.Deployment;
  public readonly service: kplus.Service;
  public readonly certificate: Certificate;

  public constructor(scope: FluxLayer, id: string, props: PodinfoProps) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 1) invalidProp(this, `replicas ${replicas} must be a whole number >= 1`);
    validateDnsSubdomain(this, 'hostname', props.hostname);
    this.app = new FluxManifestApp(scope, `${id}App`, { name: 'podinfo' });
    const ns = this.app.namespace;
    // Stable, path-independent labels: a Deployment's selector is immutable once applied.
    const labels = { 'app.kubernetes.io/name': 'podinfo', 'app.kubernetes.io/part-of': 'infraflux-reference-fleet' };
    this.deployment = new kplus.Deployment(this.app.content, 'Deployment', {
      metadata: { name: 'podinfo', namespace: ns, labels },
      podMetadata: { labels },
      select: false,
      replicas,
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: 10001, group: 10001, fsGroup: 10001 },
      containers: [
        {
          name: 'podinfo',
          image: `ghcr.io/stefanprodan/podinfo:${UPSTREAM_VERSIONS.podinfo}`,
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          command: ['./podinfo', '--port=9898', '--level=info', '--data-path=/data'],
          ports: [{ name: 'http', number: 9898 }],
          resources: {
            cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(500) },
            memory: { request: Size.mebibytes(32), limit: Size.mebibytes(128) },
          },
          liveness: kplus.Probe.fromHttpGet('/healthz', { port: 9898 }),
          readiness: kplus.Probe.fromHttpGet('/readyz', { port: 9898 }),
          securityContext: {
            ensureNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: [kplus.Capability.ALL] },
            seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
          },
          volumeMounts: [{ path: '/data', volume: kplus.Volume.fromEmptyDir(this, 'Data', 'data') }],
        },
      ],
    });
    this.deployment.select(kplus.LabelSelector.of({ labels }));
    this.service = new kplus.Service(this.app.content, 'Service', {
      metadata: { name: 'podinfo', namespace: ns, labels },
      selector: kplus.Pods.select(this, 'Pods', { labels, namespaces: kplus.Namespaces.select(this, 'Namespace', { names: [ns] }) }),
      ports: [{ name: 'http', port: 80, targetPort: 9898 }],
    });
    this.certificate = issueCertificate(props.issuer, this.app.content, 'Certificate', {
      name: 'podinfo-tls',
      namespace: ns,
      dnsNames: [props.hostname],
    });
  }
}
