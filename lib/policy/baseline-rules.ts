import { OWNER_LABEL } from '../core/owner';

/** One resource a rule matches (a `matchConstraints.resourceRules` entry, with its kind for offline matching). */
export interface RuleResource {
  readonly apiGroup: string;
  readonly apiVersion: string;
  /** Plural resource name, as admission sees it. */
  readonly resource: string;
  readonly kind: string;
}

/** A CEL validation: `expression` must be true, else `message`. */
export interface RuleValidation {
  readonly expression: string;
  readonly message: string;
}

/**
 * One baseline rule of the design's list (issue 15) that upstream `kyverno-policies` has no usable
 * policy for, written once as CEL and emitted as a Kyverno ValidatingPolicy or a Gatekeeper
 * ConstraintTemplate. The offline check (`npm run policy`) evaluates the very same expressions.
 */
export interface BaselineRule {
  /** `metadata.name` of the policy; also the name exemptions refer to. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly resources: readonly RuleResource[];
  /** Pod rules are also applied to the pod templates of Deployments, DaemonSets… (Kyverno autogen). */
  readonly pod: boolean;
  readonly variables: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
  readonly validations: readonly RuleValidation[];
  /**
   * False when admission cannot decide it (the rule looks at other objects): then the rule always
   * audits, in the background scan, whatever the cluster's {@link PolicyAction}.
   */
  readonly enforceable: boolean;
  /** What the offline check can and cannot see of this rule (docs/security.md). */
  readonly offline: string;
}

const POD: RuleResource[] = [{ apiGroup: '', apiVersion: 'v1', resource: 'pods', kind: 'Pod' }];
const WORKLOADS: RuleResource[] = [
  { apiGroup: 'apps', apiVersion: 'v1', resource: 'deployments', kind: 'Deployment' },
  { apiGroup: 'apps', apiVersion: 'v1', resource: 'statefulsets', kind: 'StatefulSet' },
  { apiGroup: 'apps', apiVersion: 'v1', resource: 'daemonsets', kind: 'DaemonSet' },
  { apiGroup: 'batch', apiVersion: 'v1', resource: 'jobs', kind: 'Job' },
  { apiGroup: 'batch', apiVersion: 'v1', resource: 'cronjobs', kind: 'CronJob' },
];

/** Every container of a Pod, without the optional-field syntax (both Kyverno's and the offline evaluator's CEL read it). */
const ALL_CONTAINERS = {
  name: 'allContainers',
  expression:
    'object.spec.containers + (has(object.spec.initContainers) ? object.spec.initContainers : []) + (has(object.spec.ephemeralContainers) ? object.spec.ephemeralContainers : [])',
};

/** `docker.io/` prepended to a reference without a registry host (how the container runtime resolves it). */
const QUALIFIED = (v: string): string =>
  `((${v}.indexOf('/') > 0 && (${v}.substring(0, ${v}.indexOf('/')).contains('.') || ${v}.substring(0, ${v}.indexOf('/')).contains(':') || ${v}.substring(0, ${v}.indexOf('/')) == 'localhost')) ? ${v} : 'docker.io/' + ${v})`;

function celString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Options of {@link baselineRules}. */
export interface BaselineRuleOptions {
  /** Registry prefixes images may come from (`ghcr.io`, `registry.k8s.io`, `quay.io/cilium`). */
  readonly allowedRegistries: readonly string[];
}

/** The design's rules that upstream has no policy for, in a stable order. */
export function baselineRules(options: BaselineRuleOptions): BaselineRule[] {
  const registries = `[${[...options.allowedRegistries].sort().map(celString).join(', ')}]`;
  return [
    {
      name: 'require-image-tag-or-digest',
      title: 'Require an image tag or digest, never latest',
      description: 'Every container image names a digest, or a tag other than `latest`: a mutable or missing tag changes what runs without a commit.',
      resources: POD,
      pod: true,
      variables: [ALL_CONTAINERS],
      validations: [
        {
          expression: "variables.allContainers.all(c, c.image.contains('@sha256:') || (c.image.substring(c.image.lastIndexOf('/') + 1).contains(':') && !c.image.endsWith(':latest')))",
          message: 'every image needs a digest (@sha256:…) or a tag other than latest',
        },
      ],
      enforceable: true,
      offline: 'images of every pod template in dist/; for charts, the image repositories and tags of the pinned values.yaml merged with the values InfraFlux sets (an empty tag means the chart\u2019s pinned appVersion). Images a chart computes in its templates are only seen by the engine.',
    },
    {
      name: 'restrict-image-registries',
      title: 'Images only from the allowed registries',
      description: `Every container image comes from one of the platform's registries (a reference without a host is docker.io). Allowed: ${[...options.allowedRegistries].sort().join(', ')}.`,
      resources: POD,
      pod: true,
      variables: [ALL_CONTAINERS, { name: 'registries', expression: registries }],
      validations: [
        {
          expression: `variables.allContainers.all(c, variables.registries.exists(r, ${QUALIFIED('c.image')}.startsWith(r + '/')))`,
          message: `images must come from ${[...options.allowedRegistries].sort().join(', ')}`,
        },
      ],
      enforceable: true,
      offline: 'as require-image-tag-or-digest: dist/ pod templates and the registries/repositories of chart values.',
    },
    {
      name: 'require-owner-label',
      title: `Workloads carry the ${OWNER_LABEL} label`,
      description: `Every workload, or its Namespace, carries ${OWNER_LABEL}: the team alerts are routed to and exemptions are asked from.`,
      resources: [...WORKLOADS, ...POD],
      pod: false,
      variables: [],
      validations: [
        {
          expression: `(has(object.metadata.labels) && '${OWNER_LABEL}' in object.metadata.labels) || (namespaceObject != null && has(namespaceObject.metadata.labels) && '${OWNER_LABEL}' in namespaceObject.metadata.labels)`,
          message: `the workload or its Namespace must carry the label ${OWNER_LABEL}`,
        },
      ],
      enforceable: true,
      offline: 'every workload in dist/ with its Namespace from dist/; a chart-rendered workload is checked through the Namespace its HelmRelease installs into (the chart\u2019s own labels are only seen by the engine).',
    },
    {
      name: 'require-tls-gateway-listeners',
      title: 'Gateway listeners terminate TLS',
      description:
        'Every Gateway has a HTTPS or TLS listener, and a plain HTTP listener accepts routes from the Gateway\u2019s own namespace only (where the platform keeps its redirect to HTTPS), so no application route is ever served in clear text.',
      resources: [{ apiGroup: 'gateway.networking.k8s.io', apiVersion: 'v1', resource: 'gateways', kind: 'Gateway' }],
      pod: false,
      variables: [],
      validations: [
        {
          expression: "object.spec.listeners.exists(l, l.protocol == 'HTTPS' || l.protocol == 'TLS')",
          message: 'a Gateway needs a HTTPS or TLS listener',
        },
        {
          expression:
            "object.spec.listeners.all(l, l.protocol == 'HTTPS' || l.protocol == 'TLS' || (l.protocol == 'HTTP' && has(l.allowedRoutes) && has(l.allowedRoutes.namespaces) && has(l.allowedRoutes.namespaces.from) && l.allowedRoutes.namespaces.from == 'Same'))",
          message: 'a plain HTTP listener must set allowedRoutes.namespaces.from: Same (only the platform\u2019s HTTPS redirect attaches to it)',
        },
      ],
      enforceable: true,
      offline: 'every Gateway in dist/; offline only, every HTTPRoute attached to a HTTP listener must be a redirect to https (no backendRefs): admission of a Gateway cannot see its routes.',
    },
    {
      name: 'require-tls-ingress',
      title: 'Ingresses terminate TLS for every host',
      description: 'Every Ingress has a `tls` entry and each rule host is covered by one.',
      resources: [{ apiGroup: 'networking.k8s.io', apiVersion: 'v1', resource: 'ingresses', kind: 'Ingress' }],
      pod: false,
      variables: [],
      validations: [
        {
          expression: 'has(object.spec.tls) && size(object.spec.tls) > 0 && (!has(object.spec.rules) || object.spec.rules.all(r, !has(r.host) || object.spec.tls.exists(t, has(t.hosts) && r.host in t.hosts)))',
          message: 'an Ingress needs spec.tls covering every rule host',
        },
      ],
      enforceable: true,
      offline: 'every Ingress in dist/ (the fleet uses the Gateway API; Ingresses a chart renders are only seen by the engine).',
    },
    {
      name: 'require-network-policy',
      title: 'A network policy in every namespace that runs pods',
      description: 'Every Namespace with pods has a NetworkPolicy or CiliumNetworkPolicy: without one every pod accepts traffic from anywhere in the cluster.',
      resources: [{ apiGroup: '', apiVersion: 'v1', resource: 'namespaces', kind: 'Namespace' }],
      pod: false,
      variables: [],
      validations: [
        {
          expression:
            "size(resource.List('v1', 'pods', object.metadata.name).items) == 0 || size(resource.List('networking.k8s.io/v1', 'networkpolicies', object.metadata.name).items) > 0 || size(resource.List('cilium.io/v2', 'ciliumnetworkpolicies', object.metadata.name).items) > 0",
          message: 'a namespace with pods needs a NetworkPolicy or CiliumNetworkPolicy',
        },
      ],
      enforceable: false,
      offline:
        'not CEL offline (it reads other objects through Kyverno\u2019s resource library): the check looks for a NetworkPolicy/CiliumNetworkPolicy in dist/ for every Namespace that a workload or HelmRelease of dist/ uses. In the cluster it only audits (background scan): a Namespace is created before its policies.',
    },
  ];
}
