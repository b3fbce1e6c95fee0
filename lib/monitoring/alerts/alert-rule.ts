/**
 * Typed Prometheus alerting rules: {@link AlertRule} (one rule) and {@link AlertRuleGroup} (one
 * `PrometheusRule` of one owner). Every rule carries a severity, the owner label the Alertmanager
 * routes follow ({@link OWNER_LABEL}, decision 0083) and a runbook link; every expression is parsed
 * offline at synth (decision 0082).
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusRule
 */
import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type { PrometheusRuleProps } from '../../../imports/prometheus-operator-monitoring.coreos.com';
import { goDuration } from '../../core/duration';
import { addCodedValidation, ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain } from '../../core/errors';
import { declareOwner, OWNER_LABEL, PLATFORM_OWNER, type Owner } from '../../core/owner';
import { fluxUnitOf, GitOpsCluster } from '../../flux/gitops-cluster';
import type { IClusterMonitoring } from '../../flux/cluster-monitoring';
import { MONITORING_NAMESPACE, requireMonitoring } from './_monitoring-api';
import { labelNameProblem, promqlProblems, templateProblems } from './promql';

/** apiVersion/kind of a PrometheusRule (the binding's GVK, without loading its 6 MB module at runtime). */
const PROMETHEUS_RULE_GVK = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' } as const;

/** Where each alert's runbook section is: docs/runbooks/alerts.md, one `## <AlertName>` per alert. */
export const ALERT_RUNBOOK_URL = 'https://github.com/infraflux/infraflux/blob/main/docs/runbooks/alerts.md';

/** Longest `for` a rule may have: longer waits belong in the expression's range (`max_over_time(...[6h])`). */
const MAX_FOR_HOURS = 24;

/** How urgent an alert is: the `severity` label, which receivers and inhibitions use. */
export class AlertSeverity {
  /** Someone must act now (pages). */
  public static readonly CRITICAL = new AlertSeverity('critical');
  /** Needs attention within working hours. */
  public static readonly WARNING = new AlertSeverity('warning');
  /** Informational: recorded, routed, not urgent. */
  public static readonly INFO = new AlertSeverity('info');

  private constructor(
    /** The `severity` label value. */
    public readonly value: string,
  ) {}

  public toString(): string {
    return this.value;
  }
}

/** One alerting rule. */
export interface AlertRule {
  /** The alert name (`alertname` label), CamelCase: letters and digits, starting with a letter. */
  readonly alert: string;
  /** The PromQL expression; every series it returns is an alert. */
  readonly expr: string;
  /**
   * How long the expression must hold before the alert fires (1 second to 24 hours).
   * @see https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/#defining-alerting-rules
   */
  readonly for: Duration;
  /** How urgent it is. */
  readonly severity: AlertSeverity;
  /** One line: what is wrong (a template: `{{ $labels.name }}`). */
  readonly summary: string;
  /** What it means and what to look at first (a template). */
  readonly description: string;
  /**
   * The runbook of the alert.
   * @default - `ALERT_RUNBOOK_URL#<alert name in lower case>` (its section in docs/runbooks/alerts.md)
   */
  readonly runbookUrl?: string;
  /**
   * Extra labels (classic label names; `severity` and the owner label are set by InfraFlux).
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AlertRuleGroupProps {
  /**
   * The cluster's monitoring stack: the rules need its `monitoring.coreos.com` CRDs.
   * @default - the MonitoringStack of the cluster (`clusterMonitoring()`)
   */
  readonly monitoring?: IClusterMonitoring;
  /** Name of the PrometheusRule and of its rule group (a DNS-1123 subdomain). */
  readonly name: string;
  /**
   * The team the alerts go to: the owner label of every rule, and an Alertmanager route (the owner
   * is declared on the cluster).
   * @default PLATFORM_OWNER
   */
  readonly owner?: Owner;
  /**
   * Namespace of the PrometheusRule (Prometheus selects rules in every namespace).
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /**
   * How often the group is evaluated.
   * @default - Prometheus' global evaluation interval
   */
  readonly interval?: Duration;
  /**
   * Where the runbook sections of rules without their own `runbookUrl` are: `<base>#<alert in lower case>`.
   * @default ALERT_RUNBOOK_URL (docs/runbooks/alerts.md of InfraFlux)
   */
  readonly runbookBaseUrl?: string;
  /**
   * The rules; add more with {@link AlertRuleGroup.addRule}.
   * @default []
   */
  readonly rules?: readonly AlertRule[];
}

/** Labels InfraFlux sets on every rule itself. */
const RESERVED_LABELS = ['severity', OWNER_LABEL, 'alertname'];
const ALERT_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * One `PrometheusRule` (monitoring.coreos.com/v1) with one rule group of one owner, in the
 * `monitoring` namespace. Create it in any layer of a cluster; its Flux unit depends on the
 * monitoring CRDs. Every rule's expression, `for`, labels and templates are checked at synth
 * (codes `INVALID_PROMQL`, `INVALID_DURATION`, `INVALID_ALERT_RULE`), all problems at once.
 */
export class AlertRuleGroup extends Construct {
  /** `metadata.name` of the PrometheusRule (and the group name). */
  public readonly ruleName: string;
  public readonly namespace: string;
  /** The team the alerts are routed to. */
  public readonly owner: Owner;
  /** The PrometheusRule (escape hatch). */
  public readonly resource: ApiObject;
  private readonly ruleList: AlertRule[] = [];
  private readonly runbookBaseUrl: string;

  public constructor(scope: Construct, id: string, props: AlertRuleGroupProps) {
    super(scope, id);
    this.ruleName = validateDnsSubdomain(this, 'name', props.name);
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? MONITORING_NAMESPACE);
    const team = declareOwner(this, props.owner ?? PLATFORM_OWNER);
    this.owner = { ...(props.owner ?? PLATFORM_OWNER), team };
    if (!fluxUnitOf(this)) invalidProp(this, 'AlertRuleGroup must be created inside a layer of a cluster (e.g. cluster.configs)');
    const interval = props.interval === undefined ? undefined : goDuration(props.interval, this);
    this.runbookBaseUrl = props.runbookBaseUrl ?? ALERT_RUNBOOK_URL;
    if (!/^https?:\/\/[^\s#]+$/.test(this.runbookBaseUrl)) invalidProp(this, `runbookBaseUrl "${this.runbookBaseUrl}" must be an http(s) URL without a fragment`);
    for (const rule of props.rules ?? []) this.addRule(rule);
    const spec: PrometheusRuleProps['spec'] = {
      groups: [
        {
          name: this.ruleName,
          ...(interval ? { interval } : {}),
          rules: Lazy.any({ produce: () => this.ruleList.map((r) => this.render(r)) }),
        },
      ],
    };
    this.resource = new ApiObject(this, 'Resource', {
      ...PROMETHEUS_RULE_GVK,
      metadata: { name: this.ruleName, namespace: this.namespace, labels: { [OWNER_LABEL]: team } },
      spec,
    });
    GitOpsCluster.of(this).addDependency(this, requireMonitoring(this, props.monitoring).crds);
    addCodedValidation(this, () => this.problems());
  }

  /** The rules, in the order they were added. */
  public get rules(): readonly AlertRule[] {
    return [...this.ruleList];
  }

  /** Adds a rule (checked at synth with the others). */
  public addRule(rule: AlertRule): this {
    this.ruleList.push(rule);
    return this;
  }

  private render(rule: AlertRule): Record<string, unknown> {
    const labels: Record<string, string> = { ...(rule.labels ?? {}), severity: rule.severity.value, [OWNER_LABEL]: this.owner.team };
    return {
      alert: rule.alert,
      expr: rule.expr,
      for: safeDuration(rule.for),
      labels: Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))),
      annotations: {
        summary: rule.summary,
        description: rule.description,
        runbook_url: rule.runbookUrl ?? `${this.runbookBaseUrl}#${rule.alert.toLowerCase()}`,
      },
    };
  }

  private problems(): InfraFluxError[] {
    const errors: InfraFluxError[] = [];
    const fail = (code: ErrorCode, message: string) => errors.push(new InfraFluxError(code, this, message));
    if (this.ruleList.length === 0) fail(ErrorCode.INVALID_ALERT_RULE, `PrometheusRule ${this.ruleName} has no rule; add at least one`);
    for (const rule of this.ruleList) {
      const name = rule.alert;
      if (!ALERT_NAME.test(name)) fail(ErrorCode.INVALID_ALERT_RULE, `alert name "${name}" is not allowed; use CamelCase letters and digits, starting with a letter`);
      for (const p of promqlProblems(rule.expr)) fail(ErrorCode.INVALID_PROMQL, `rule ${name}: expression ${JSON.stringify(rule.expr)} is not valid PromQL: ${p.message}`);
      const seconds = rule.for.toMilliseconds() / 1000;
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_FOR_HOURS * 3600) {
        fail(ErrorCode.INVALID_DURATION, `rule ${name}: for ${seconds}s is out of range; use a whole number of seconds from 1s to ${MAX_FOR_HOURS}h (longer waits go in the expression's range)`);
      }
      for (const [key, value] of Object.entries(rule.labels ?? {})) {
        if (RESERVED_LABELS.includes(key)) fail(ErrorCode.INVALID_ALERT_RULE, `rule ${name}: label "${key}" is set by InfraFlux (severity, owner); use the severity and owner props`);
        const problem = labelNameProblem(key);
        if (problem) fail(ErrorCode.INVALID_ALERT_RULE, `rule ${name}: ${problem}`);
        for (const p of templateProblems(value)) fail(ErrorCode.INVALID_ALERT_RULE, `rule ${name}: label ${key}: ${p.message}`);
      }
      if (rule.summary.trim() === '') fail(ErrorCode.INVALID_ALERT_RULE, `rule ${name}: summary is empty; say in one line what is wrong`);
      for (const [what, text] of [['summary', rule.summary], ['description', rule.description]] as const) {
        for (const p of templateProblems(text)) fail(ErrorCode.INVALID_ALERT_RULE, `rule ${name}: ${what}: ${p.message}`);
      }
    }
    return errors;
  }
}

/** `for` as a Prometheus duration (`15m`, `1h30m`); a bad one is reported by the synth check with its rule. */
function safeDuration(d: Duration): string {
  const seconds = d.toMilliseconds() / 1000;
  return Number.isInteger(seconds) && seconds > 0 ? goDuration(d) : `${seconds}s`;
}
