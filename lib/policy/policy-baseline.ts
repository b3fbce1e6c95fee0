import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ConstraintTemplate } from '../../imports/gatekeeper-templates.gatekeeper.sh';
import { KYVERNO_POLICIES_CHART } from '../../imports/helm/charts';
import { KyvernoPoliciesValues } from '../../imports/helm/kyverno-policies';
import { ValidatingPolicy, ValidatingPolicySpecFailurePolicy, ValidatingPolicySpecValidationActions } from '../../imports/kyverno-policies.kyverno.io';
import { addCodedValidation, ErrorCode, InfraFluxError, invalidProp, validateDnsLabel } from '../core/errors';
import { ChartBackedConstruct } from '../flux/flux-app';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { ManifestBackedConstruct } from '../flux/manifest-app';
import { Validation } from '../validation/exemption';
import { PodSecurityLevel } from '../flux/pod-security';
import { BaselineRule, baselineRules } from './baseline-rules';
import { Gatekeeper } from './gatekeeper';
import { IPolicyEngine, Kyverno } from './kyverno';
import { PolicyAction, PolicyEngine } from './policy-engine';
import { PolicyExemption, PolicyExemptionProps } from './policy-exemption';

/** Namespace of the baseline's objects: PolicyExceptions live here (Kyverno `features.policyExceptions.namespace`). */
export const POLICY_NAMESPACE = 'policies';
/** Release name of the Pod Security Standards chart. */
export const PSS_RELEASE = 'pod-security-standards';

/** The Pod Security Standards policies of the `kyverno-policies` chart (3.9.0) `restricted` profile adds to `baseline`. */
export const PSS_RESTRICTED_ONLY: readonly string[] = [
  'disallow-capabilities-strict',
  'disallow-privilege-escalation',
  'require-run-as-non-root-user',
  'require-run-as-nonroot',
  'restrict-seccomp-strict',
  'restrict-volume-types',
];
/** The `baseline` profile's policies (pinned kyverno-policies `pod-security-vpol/baseline`). */
export const PSS_BASELINE: readonly string[] = [
  'disallow-capabilities',
  'disallow-host-namespaces',
  'disallow-host-path',
  'disallow-host-ports',
  'disallow-host-process',
  'disallow-privileged-containers',
  'disallow-proc-mount',
  'disallow-selinux',
  'restrict-seccomp',
  'restrict-sysctls',
];

/** A namespace the Pod Security Standards policies skip, with the reason (its PSA level). */
export interface NamespaceExemption {
  readonly namespace: string;
  /** The Pod Security level its workloads need: PRIVILEGED skips every PSS policy, BASELINE the restricted ones. */
  readonly level: PodSecurityLevel;
  /** Why (e.g. `Cilium agent: hostNetwork, BPF mounts`). */
  readonly reason: string;
}

export interface PolicyBaselineProps {
  /**
   * The engine; never two enforcing in one cluster (synth error `INFRAFLUX_POLICY_ENGINES_BOTH_ENFORCING`).
   * @default PolicyEngine.KYVERNO
   */
  readonly engine?: PolicyEngine;
  /**
   * Audit (report only) or Enforce (refuse). Staged rollout: every environment starts in Audit;
   * production switches to Enforce once its audit reports are clean and the offline check passes
   * (decision 0091). Rules admission cannot decide (a network policy per namespace) always audit.
   * @default PolicyAction.AUDIT
   */
  readonly action?: PolicyAction;
  /** Registry prefixes images may come from (`ghcr.io`, `registry.k8s.io`, `quay.io/cilium`). */
  readonly allowedRegistries: readonly string[];
  /**
   * The engine's HA shape (Kyverno: 3 admission replicas + PDBs; Gatekeeper: fail-closed webhook + PDB).
   * @default - true when `action` is ENFORCE
   */
  readonly highAvailability?: boolean;
  /**
   * Namespaces the Pod Security Standards skip. Every Namespace of the cluster whose PSA `enforce`
   * level is privileged or baseline must be listed (synth error `INFRAFLUX_POLICY_NAMESPACE_NOT_EXEMPTED`).
   * @default []
   */
  readonly exemptNamespaces?: readonly NamespaceExemption[];
  /**
   * "now" for exemption expiry (tests).
   * @default - the time of synthesis
   */
  readonly now?: Date;
}

/** The engine-specific objects of the rules: a Kyverno ValidatingPolicy per rule, the PSS chart, PolicyExceptions. */
class PolicyRules extends ManifestBackedConstruct {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    this.createApp({ name: POLICY_NAMESPACE, namespace: POLICY_NAMESPACE, podSecurity: PodSecurityLevel.RESTRICTED });
  }
}

/** The kyverno-policies chart (3.9.0) with the restricted Pod Security Standards as ValidatingPolicies. */
class PodSecurityStandards extends ChartBackedConstruct<KyvernoPoliciesValues> {
  public constructor(scope: Construct, id: string, values: KyvernoPoliciesValues) {
    super(scope, id);
    this.createApp({ chart: KYVERNO_POLICIES_CHART, name: PSS_RELEASE, namespace: POLICY_NAMESPACE, createNamespace: false, values });
  }
}

/**
 * The policy engine and the baseline policies of one cluster (issue 15; decisions 0090-0092):
 * the engine in the controllers layer, every policy in the configs layer (after the controllers
 * they would otherwise block; the reconcile model proves the engine's CRDs are served first).
 *
 * - Pod Security Standards `restricted` from the pinned `kyverno-policies` chart as CEL
 *   ValidatingPolicies (Kyverno only), skipping the platform namespaces and the
 *   {@link PolicyBaselineProps.exemptNamespaces}.
 * - The design's rules upstream has no policy for ({@link baselineRules}): image tag or digest,
 *   allowed registries, the owner label, TLS on Gateway listeners and Ingresses, a network policy
 *   per namespace (audit only).
 * - Break-glass with {@link addExemption}: who, why, until when; expired = synth error.
 */
export class PolicyBaseline extends Construct {
  /** The baseline of the cluster `scope` is in, or undefined. */
  public static of(scope: IConstruct): PolicyBaseline | undefined {
    const cluster = GitOpsCluster.of(scope);
    return cluster.node.findAll().find((c): c is PolicyBaseline => c instanceof PolicyBaseline);
  }

  public readonly engineType: PolicyEngine;
  public readonly engine: IPolicyEngine & IConstruct;
  public readonly action: PolicyAction;
  public readonly rules: readonly BaselineRule[];
  /** Names of every policy exemptions may refer to (PSS + rules). */
  public readonly policyNames: readonly string[];
  private readonly exemptedNamespaces: NamespaceExemption[] = [];
  private readonly exemptionList: PolicyExemption[] = [];
  private readonly content: PolicyRules;
  private readonly now: Date;

  public constructor(scope: Construct, id: string, props: PolicyBaselineProps) {
    super(scope, id);
    const cluster = GitOpsCluster.of(this);
    this.engineType = props.engine ?? PolicyEngine.KYVERNO;
    this.action = props.action ?? PolicyAction.AUDIT;
    this.now = props.now ?? new Date();
    if (props.allowedRegistries.length === 0) invalidProp(this, 'allowedRegistries is empty; name the registries images may come from');
    for (const r of props.allowedRegistries) {
      if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9._-]+)*$/.test(r)) invalidProp(this, `allowedRegistries entry "${r}" is not a registry host or host/path prefix (e.g. ghcr.io, quay.io/cilium)`);
    }
    this.rules = baselineRules({ allowedRegistries: props.allowedRegistries });
    const ha = props.highAvailability ?? this.action.enforcing;
    const kyverno = this.engineType === PolicyEngine.KYVERNO;
    this.engine = kyverno
      ? new Kyverno(cluster.controllers, 'Kyverno', { highAvailability: ha, policyExceptionNamespace: POLICY_NAMESPACE })
      : new Gatekeeper(cluster.controllers, 'Gatekeeper', { highAvailability: ha });
    this.policyNames = [...(kyverno ? [...PSS_BASELINE, ...PSS_RESTRICTED_ONLY] : []), ...this.rules.filter((r) => kyverno || r.name !== 'require-network-policy').map((r) => r.name)].sort();
    for (const e of props.exemptNamespaces ?? []) this.exemptNamespace(e);

    this.content = new PolicyRules(cluster.configs, 'Policies');
    // Needs: the engine Ready (its CRDs served, its webhooks up) before any policy object.
    this.content.addDependency(this.engine);
    if (kyverno) {
      for (const rule of this.rules) this.kyvernoPolicy(rule);
      // Values read at synth (lazy ConfigMap), so namespaces exempted after construction count.
      const self = this;
      const lazy = {
        policyType: 'ValidatingPolicy',
        podSecurityStandard: 'restricted',
        validationFailureAction: this.action.chartValue,
        failurePolicy: this.action.enforcing ? 'Fail' : 'Ignore',
        background: true,
        get vpolExclude() {
          return { excludeNamespaces: self.pssSkipped(PodSecurityLevel.PRIVILEGED) };
        },
        get vpolExcludeByPolicy() {
          const restricted = self.pssSkipped(PodSecurityLevel.BASELINE);
          return Object.fromEntries(PSS_RESTRICTED_ONLY.map((p) => [p, { excludeNamespaces: [...restricted] }]));
        },
      } as KyvernoPoliciesValues;
      const pss = new PodSecurityStandards(cluster.configs, 'PodSecurityStandards', lazy);
      pss.addDependency(this.engine);
    } else {
      for (const rule of this.rules) if (rule.name !== 'require-network-policy') this.gatekeeperTemplate(rule);
    }

    addCodedValidation(this, () => this.validateCluster());
  }

  /** The exemptions, sorted by id. */
  public get exemptions(): readonly PolicyExemption[] {
    return [...this.exemptionList].sort((a, b) => a.node.id.localeCompare(b.node.id));
  }

  /** The namespaces the PSS policies skip, with reasons, sorted. */
  public get namespaceExemptions(): readonly NamespaceExemption[] {
    return [...this.exemptedNamespaces].sort((a, b) => a.namespace.localeCompare(b.namespace));
  }

  /** Lets the Pod Security Standards skip a namespace whose workloads need `level`. */
  public exemptNamespace(exemption: NamespaceExemption): void {
    validateDnsLabel(this, 'exempted namespace', exemption.namespace);
    if (exemption.level === PodSecurityLevel.RESTRICTED) invalidProp(this, `namespace "${exemption.namespace}" exempted at level restricted: exempt only privileged or baseline namespaces`);
    if (!exemption.reason.trim()) invalidProp(this, `namespace "${exemption.namespace}" exempted without a reason`);
    if (this.exemptedNamespaces.some((e) => e.namespace === exemption.namespace)) throw new InfraFluxError(ErrorCode.DUPLICATE, this, `namespace "${exemption.namespace}" is exempted twice`);
    this.exemptedNamespaces.push(exemption);
  }

  /** Break-glass: exempts `namespaces` from `policies` until `expires`, recording who and why. */
  public addExemption(id: string, props: PolicyExemptionProps): PolicyExemption {
    const e = new PolicyExemption(this.content.content, id, props, {
      now: this.now,
      knownPolicies: this.policyNames,
      ...(this.engineType === PolicyEngine.KYVERNO ? { namespace: POLICY_NAMESPACE } : {}),
    });
    this.exemptionList.push(e);
    return e;
  }

  /** Namespaces a PSS policy skips: the engine's, and those exempted at `level` or more permissive. */
  private pssSkipped(level: PodSecurityLevel): string[] {
    const levels = level === PodSecurityLevel.PRIVILEGED ? [PodSecurityLevel.PRIVILEGED] : [PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE];
    return [...new Set([...this.engine.excludedNamespaces, ...this.exemptedNamespaces.filter((e) => levels.includes(e.level)).map((e) => e.namespace)])].sort();
  }

  private ruleAction(rule: BaselineRule): PolicyAction {
    return rule.enforceable ? this.action : PolicyAction.AUDIT;
  }

  private exemptedFrom(rule: string): string[] {
    return [...new Set(this.exemptionList.filter((e) => e.policies.includes(rule)).flatMap((e) => e.namespaces))].sort();
  }

  private kyvernoPolicy(rule: BaselineRule): void {
    const action = this.ruleAction(rule);
    const excluded = this.engine.excludedNamespaces.map((n) => `'${n}'`).join(', ');
    new ValidatingPolicy(this.content.content, `Rule-${rule.name}`, {
      metadata: {
        name: rule.name,
        annotations: { 'policies.kyverno.io/title': rule.title, 'policies.kyverno.io/description': rule.description, 'infraflux.io/offline-check': rule.offline },
      },
      spec: {
        validationActions: action.validationActions.map((a) => a as ValidatingPolicySpecValidationActions),
        failurePolicy: action.enforcing ? ValidatingPolicySpecFailurePolicy.FAIL : ValidatingPolicySpecFailurePolicy.IGNORE,
        evaluation: { background: { enabled: true } },
        matchConstraints: {
          resourceRules: groupResources(rule).map((r) => ({ apiGroups: [r.apiGroup], apiVersions: [r.apiVersion], operations: ['CREATE', 'UPDATE'], resources: r.resources })),
        },
        matchConditions: [{ name: 'not-platform-namespace', expression: `!((has(object.metadata.namespace) ? object.metadata.namespace : object.metadata.name) in [${excluded}])` }],
        ...(rule.pod ? { autogen: { podControllers: { controllers: ['cronjobs', 'daemonsets', 'deployments', 'jobs', 'statefulsets'] } } } : {}),
        ...(rule.variables.length ? { variables: rule.variables.map((v) => ({ ...v })) } : {}),
        validations: rule.validations.map((v) => ({ ...v })),
      },
    });
  }

  private gatekeeperTemplate(rule: BaselineRule): void {
    const kind = `Infraflux${rule.name.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('')}`;
    new ConstraintTemplate(this.content.content, `Template-${rule.name}`, {
      metadata: { name: kind.toLowerCase(), annotations: { description: rule.description } },
      spec: {
        crd: { spec: { names: { kind } } },
        targets: [{ target: 'admission.k8s.gatekeeper.sh', code: [{ engine: 'K8sNativeValidation', source: { variables: rule.variables.map((v) => ({ ...v })), validations: rule.validations.map((v) => ({ ...v })) } }] }],
      },
    });
    const self = this;
    const constraint = new ApiObject(this.content.content, `Constraint-${rule.name}`, {
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind,
      metadata: { name: rule.name },
      spec: {
        enforcementAction: this.ruleAction(rule).gatekeeperAction,
        match: {
          kinds: groupResources(rule).map((r) => ({ apiGroups: [r.apiGroup], kinds: rule.resources.filter((x) => x.apiGroup === r.apiGroup).map((x) => x.kind) })),
          get excludedNamespaces() {
            return [...new Set([...self.engine.excludedNamespaces, ...self.exemptedFrom(rule.name)])].sort();
          },
        },
      },
    });
    Validation.exempt(constraint, `its CRD is created by Gatekeeper from ConstraintTemplate ${kind.toLowerCase()} at runtime; no pinned schema exists`);
  }

  private validateCluster(): InfraFluxError[] {
    const errors: InfraFluxError[] = [];
    const cluster = GitOpsCluster.of(this);
    // Every Namespace whose PSA level is below restricted is exempted explicitly, with a reason.
    const exempted = new Map(this.exemptedNamespaces.map((e) => [e.namespace, e.level]));
    for (const ns of cluster.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Namespace')) {
      const labels = (ns.toJson() as { metadata?: { name?: string; labels?: Record<string, string> } }).metadata ?? {};
      const level = labels.labels?.['pod-security.kubernetes.io/enforce'];
      const name = labels.name ?? '';
      if (this.engine.excludedNamespaces.includes(name) || (level !== 'privileged' && level !== 'baseline')) continue;
      const have = exempted.get(name);
      if (!have || (level === 'privileged' && have !== PodSecurityLevel.PRIVILEGED)) {
        errors.push(
          new InfraFluxError(
            ErrorCode.POLICY_NAMESPACE_NOT_EXEMPTED,
            ns,
            `Namespace "${name}" enforces Pod Security "${level}" but the policy baseline of ${cluster.name} does not exempt it at that level; call exemptNamespace({ namespace: '${name}', level: PodSecurityLevel.${level.toUpperCase()}, reason }) or harden its workloads`,
          ),
        );
      }
    }
    // Never two engines enforcing in one cluster.
    const engines = [...new Set(cluster.node.findAll().filter((c): c is PolicyBaseline => c instanceof PolicyBaseline && c.action.enforcing).map((b) => b.engineType.name))];
    const others = cluster.node.findAll().filter((c) => (c instanceof Kyverno || c instanceof Gatekeeper) && c !== this.engine);
    if (engines.length > 1 || (this.action.enforcing && others.some((o) => o instanceof Kyverno !== (this.engine instanceof Kyverno)))) {
      errors.push(new InfraFluxError(ErrorCode.POLICY_ENGINES_BOTH_ENFORCING, this, `cluster ${cluster.name} runs Kyverno and Gatekeeper beside an enforcing baseline: two admission engines enforcing the same rules deadlock and contradict each other; keep one (engine prop) or set the other to PolicyAction.AUDIT`));
    }
    return errors;
  }
}

function groupResources(rule: BaselineRule): Array<{ apiGroup: string; apiVersion: string; resources: string[] }> {
  const out = new Map<string, { apiGroup: string; apiVersion: string; resources: string[] }>();
  for (const r of rule.resources) {
    const key = `${r.apiGroup}/${r.apiVersion}`;
    const g = out.get(key) ?? { apiGroup: r.apiGroup, apiVersion: r.apiVersion, resources: [] };
    g.resources.push(r.resource);
    out.set(key, g);
  }
  return [...out.values()];
}
