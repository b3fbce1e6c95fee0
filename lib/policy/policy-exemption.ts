import { Construct } from 'constructs';
import { PolicyException } from '../../imports/kyverno-policies.kyverno.io';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel } from '../core/errors';

/** Props of a {@link PolicyExemption} (break-glass, decision 0092). */
export interface PolicyExemptionProps {
  /** Names of the policies exempted (`require-owner-label`, `disallow-host-path`, …). */
  readonly policies: readonly string[];
  /** The namespaces whose objects are exempted (for a Namespace rule, the Namespaces themselves). */
  readonly namespaces: readonly string[];
  /** Who asked for it and answers for it (a person or team, e.g. `platform` or `alice@example.com`). */
  readonly requestedBy: string;
  /** Why the rule cannot hold yet, and what ends the exemption. */
  readonly reason: string;
  /**
   * Last day the exemption holds, `YYYY-MM-DD` (UTC). From the next day synth fails with
   * `INFRAFLUX_POLICY_EXEMPTION_EXPIRED`, and Kyverno stops applying it (`spec.expiresAt`).
   */
  readonly expires: string;
}

/** Parses `YYYY-MM-DD`; the instant the exemption ends (the next day, 00:00 UTC). */
function endOf(scope: Construct, expires: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expires);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]) - 1, Number(m[3])] : [0, 0, 0];
  const day = new Date(Date.UTC(y, mo, d));
  if (!m || day.getUTCMonth() !== mo || day.getUTCDate() !== d) invalidProp(scope, `expires "${expires}" is not a date YYYY-MM-DD`);
  return new Date(Date.UTC(y, mo, d + 1));
}

/**
 * A break-glass exemption from baseline policies: who asked, why, until when. Emitted as a Kyverno
 * `policies.kyverno.io/v1` PolicyException (with `expiresAt` and the who/why in `properties`) or,
 * with Gatekeeper, as `excludedNamespaces` of the constraints; listed in the cluster README.
 * Create it with `PolicyBaseline.addExemption()`.
 */
export class PolicyExemption extends Construct {
  public readonly policies: readonly string[];
  public readonly namespaces: readonly string[];
  public readonly requestedBy: string;
  public readonly reason: string;
  public readonly expires: string;
  /** The PolicyException (Kyverno engine only). */
  public readonly resource?: PolicyException;

  /** Use {@link PolicyBaseline.addExemption}, which passes the baseline's clock and policy names. */
  public constructor(scope: Construct, id: string, props: PolicyExemptionProps, options: { readonly now: Date; readonly knownPolicies: readonly string[]; readonly namespace?: string }) {
    super(scope, id);
    const name = validateDnsLabel(this, 'exemption id', id.toLowerCase());
    if (props.policies.length === 0) invalidProp(this, 'policies is empty; name the policies the exemption is from');
    for (const p of props.policies) {
      if (!options.knownPolicies.includes(p)) invalidProp(this, `policy "${p}" is not a baseline policy of this cluster; known: ${options.knownPolicies.join(', ')}`);
    }
    if (props.namespaces.length === 0) invalidProp(this, 'namespaces is empty; an exemption names the namespaces it applies to');
    for (const ns of props.namespaces) validateDnsLabel(this, 'namespace', ns);
    if (!props.requestedBy.trim()) invalidProp(this, 'requestedBy is empty; an exemption records who asked for it');
    if (!props.reason.trim()) invalidProp(this, 'reason is empty; an exemption records why');
    const end = endOf(this, props.expires);
    if (end.getTime() <= options.now.getTime()) {
      throw new InfraFluxError(
        ErrorCode.POLICY_EXEMPTION_EXPIRED,
        this,
        `expired on ${props.expires} (requested by ${props.requestedBy}: ${props.reason}); fix the violations and remove the exemption, or renew it with a new date`,
      );
    }
    this.policies = [...props.policies].sort();
    this.namespaces = [...props.namespaces].sort();
    this.requestedBy = props.requestedBy;
    this.reason = props.reason;
    this.expires = props.expires;
    if (options.namespace) {
      const list = this.namespaces.map((n) => `'${n}'`).join(', ');
      this.resource = new PolicyException(this, 'Resource', {
        metadata: { name, namespace: options.namespace },
        spec: {
          policyRefs: this.policies.map((p) => ({ name: p, kind: 'ValidatingPolicy' })),
          matchConditions: [{ name: 'exempted-namespaces', expression: `(has(object.metadata.namespace) ? object.metadata.namespace : object.metadata.name) in [${list}]` }],
          // The binding turns the Date into RFC 3339 with toISOString(); cdk8s cannot resolve a Date object itself.
          expiresAt: { toISOString: () => end.toISOString().replace('.000Z', 'Z') } as unknown as Date,
          properties: { 'requested-by': this.requestedBy, reason: this.reason, expires: this.expires },
        },
      });
    }
  }
}
