/**
 * The policy engine of a cluster and how its rules act (decision 0090). Enum-like classes, no unions
 * (docs STYLE: "No TypeScript unions in public props").
 */

/** Which admission policy engine runs the baselines. One per cluster: never both enforcing. */
export class PolicyEngine {
  /**
   * Kyverno (chart 3.9.0, app v1.19.0): CEL `policies.kyverno.io/v1` ValidatingPolicies, the
   * Pod Security Standards from the `kyverno-policies` chart, PolicyExceptions with an expiry.
   * @see https://kyverno.io/docs/policy-types/validating-policy/
   */
  public static readonly KYVERNO = new PolicyEngine('kyverno');
  /**
   * OPA Gatekeeper (chart 3.23.0): the same CEL rules as ConstraintTemplates on the
   * `K8sNativeValidation` engine. No Pod Security Standards library is pinned for it: PSA labels
   * remain the only pod-security control (docs/security.md).
   * @see https://open-policy-agent.github.io/gatekeeper/website/docs/validating-admission-policy
   */
  public static readonly GATEKEEPER = new PolicyEngine('gatekeeper');
  private constructor(public readonly name: string) {}
}

/**
 * What a rule does with a violation: report it (Audit) or refuse the object (Enforce). The staged
 * rollout is Audit first, then Enforce per environment (decision 0091).
 */
export class PolicyAction {
  /** Report in PolicyReports (Kyverno) / audit results (Gatekeeper); the object is admitted. */
  public static readonly AUDIT = new PolicyAction('Audit', ['Audit'], 'dryrun');
  /** Refuse the object at admission; existing objects are reported by the background scan. */
  public static readonly ENFORCE = new PolicyAction('Enforce', ['Deny'], 'deny');
  private constructor(
    /** The `validationFailureAction` of the kyverno-policies chart. */
    public readonly chartValue: string,
    /** `spec.validationActions` of a `policies.kyverno.io/v1` ValidatingPolicy. */
    public readonly validationActions: readonly string[],
    /** `spec.enforcementAction` of a Gatekeeper constraint. */
    public readonly gatekeeperAction: string,
  ) {}

  /** Whether objects are refused. */
  public get enforcing(): boolean {
    return this === PolicyAction.ENFORCE;
  }
}

/**
 * The namespaces no policy and no webhook of the engine may ever see, so a policy can never block
 * the layers that bring the cluster (and the engine itself) up: the control plane and CNI
 * (`kube-system`), Flux (`flux-system`) and the engine's own namespace (added by the engine).
 * Kyverno's chart excludes `kube-system` and its own namespace by default (values
 * `config.webhooks.namespaceSelector`, `config.excludeKyvernoNamespace`); InfraFlux adds
 * `flux-system` and repeats the list in every policy's `matchConditions`, because the
 * ValidatingAdmissionPolicies Kyverno generates (chart 3.9.0 default) are not sent through its webhook.
 */
export const PLATFORM_NAMESPACES: readonly string[] = ['kube-system', 'flux-system'];
