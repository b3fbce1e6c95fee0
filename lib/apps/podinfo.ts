import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { Certificate } from '../../imports/cert-manager-cert-manager.io';
import { invalidProp, validateDnsSubdomain } from '../core/errors';
import { UPSTREAM_VERSIONS } from '../core/versions';
import { IClusterIssuer, issueCertificate } from '../certs/cluster-issuer';
import { FluxLayer } from '../flux/gitops-cluster';
import { addClusterMonitor, MonitorKind } from '../flux/cluster-monitoring';
import { FluxManifestApp } from '../flux/manifest-app';

export interface PodinfoProps {
  /** Host name the app is served on (and the certificate's name, when `certificate` is on). */
  readonly hostname: string;
  /**
   * Issue a `podinfo-tls` certificate for `hostname` in the app's namespace. Off by default: a
   * GatewayStack terminates TLS with its own listener certificates, so this one would be unused;
   * turn it on when podinfo terminates TLS itself or a route in its namespace needs the Secret.
   * @default false
   */
  readonly certificate?: boolean;
  /**
   * Issuer of the certificate; required with `certificate: true`.
   * @default - none
   */
  readonly issuer?: IClusterIssuer;
  /**
   * @default 2
   */
  readonly replicas?: number;
}

/**
 * The sample app of the reference fleet: stefanprodan/podinfo as plain manifests (the spec pack
 * pins no podinfo chart, and every HelmRelease must validate against a pinned chart), hardened for
 * the `restricted` Pod Security level; optionally with its own TLS certificate (`certificate`).
 */
export class Podinfo extends Construct {
  public readonly app: FluxManifestApp;
  public readonly deployment: kplus.Deployment;
  public readonly service: kplus.Service;
  /** The `podinfo-tls` certificate; undefined unless `certificate: true`. */
  public readonly certificate?: Certificate;

  public constructor(scope: FluxLayer, id: string, props: PodinfoProps) {
    super(scope, id);
    const replicas = props.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 1) invalidProp(this, `replicas ${replicas} must be a whole number >= 1`);
    validateDnsSubdomain(this, 'hostname', props.hostname);
    if (props.certificate && !props.issuer) invalidProp(this, 'certificate: true needs an issuer; pass issuer (e.g. the cluster\'s AcmeIssuer or InternalCaIssuer)');
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
    // podinfo serves Prometheus metrics on its HTTP port (/metrics): scraped when the cluster has a monitoring stack.
    addClusterMonitor(this, { kind: MonitorKind.SERVICE_MONITOR, name: 'podinfo', namespace: ns, matchLabels: labels, endpoints: [{ port: 'http' }], component: this });
    if (props.certificate && props.issuer) {
      this.certificate = issueCertificate(props.issuer, this.app.content, 'Certificate', {
        name: 'podinfo-tls',
        namespace: ns,
        dnsNames: [props.hostname],
      });
    }
  }
}
