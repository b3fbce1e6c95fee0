/**
 * Alertmanager routes per owner (decision 0083): {@link AlertRouting} writes one
 * `AlertmanagerConfig` (monitoring.coreos.com/v1alpha1) per team declared on the cluster (and the
 * platform team), routing the alerts whose {@link OWNER_LABEL} is that team to the team's
 * {@link AlertReceiver}s. Receivers take their URLs and keys as {@link SecretKeyReference}s, never
 * as strings; the Secrets must be in the AlertmanagerConfig's namespace (the operator reads them
 * only there).
 * @see https://prometheus-operator.dev/docs/developer/alerting/#alertmanagerconfig-resource
 */
import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type { AlertmanagerConfigProps } from '../../../imports/prometheus-operator-monitoring.coreos.com';
import { goDuration } from '../../core/duration';
import { addCodedValidation, ErrorCode, InfraFluxError, invalidProp, validateDnsLabel } from '../../core/errors';
import { declaredOwners, OWNER_LABEL, PLATFORM_OWNER, type Owner } from '../../core/owner';
import { fluxUnitOf, GitOpsCluster } from '../../flux/gitops-cluster';
import type { SecretKeyReference } from '../../secrets/secret-reference';
import type { IClusterMonitoring } from '../../flux/cluster-monitoring';
import { ALERTING_LABEL, MONITORING_NAMESPACE, requireMonitoring } from './_monitoring-api';

/** Key and name suffix of the route of alerts without an owner label. */
const UNOWNED = 'unowned';

/** One label matcher of a route (`matchType` `=`, `!=`, `=~`, `!~`). */
interface RouteMatcher {
  readonly name: string;
  readonly value: string;
  readonly matchType: '=' | '!=' | '=~' | '!~';
}

const ALERTMANAGER_CONFIG_GVK = { apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'AlertmanagerConfig' } as const;

/** The kinds of receiver InfraFlux types. */
export enum AlertReceiverKind {
  SLACK = 'slack',
  PAGERDUTY = 'pagerduty',
  WEBHOOK = 'webhook',
  EMAIL = 'email',
}

export interface SlackReceiverOptions {
  /** The Slack incoming-webhook URL (a secret: anyone with it can post). */
  readonly apiUrl: SecretKeyReference;
  /** Channel to post to, e.g. `#platform-alerts`. */
  readonly channel: string;
}

export interface PagerDutyReceiverOptions {
  /** The PagerDuty Events API v2 integration (routing) key. */
  readonly routingKey: SecretKeyReference;
}

export interface WebhookReceiverOptions {
  /** The webhook URL, read from a Secret (URLs carry tokens). */
  readonly url: SecretKeyReference;
}

export interface EmailReceiverOptions {
  /** Recipient address(es), comma-separated. */
  readonly to: string;
  /** Sender address. */
  readonly from: string;
  /** SMTP server `host:port`. */
  readonly smarthost: string;
  /**
   * SMTP user.
   * @default - no authentication (then `authPassword` must be absent too)
   */
  readonly authUsername?: string;
  /**
   * SMTP password.
   * @default - no authentication
   */
  readonly authPassword?: SecretKeyReference;
}

const EMAIL = /^[^\s@,]+@[^\s@,]+$/;
const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/** Where an owner's alerts go: one notification integration. */
export class AlertReceiver {
  /** Slack, through an incoming webhook. */
  public static slack(options: SlackReceiverOptions): AlertReceiver {
    return new AlertReceiver(AlertReceiverKind.SLACK, [['apiUrl', options.apiUrl]], (s) => ({ slackConfigs: [{ apiURL: s.apiUrl, channel: options.channel, sendResolved: true }] }), () => {
      if (!/^[#@]?[A-Za-z0-9._-]+$/.test(options.channel ?? '')) return `Slack channel "${options.channel}" is not a channel name`;
      return undefined;
    });
  }

  /** PagerDuty Events API v2. */
  public static pagerDuty(options: PagerDutyReceiverOptions): AlertReceiver {
    return new AlertReceiver(AlertReceiverKind.PAGERDUTY, [['routingKey', options.routingKey]], (s) => ({ pagerdutyConfigs: [{ routingKey: s.routingKey, sendResolved: true }] }));
  }

  /** A generic webhook (Alertmanager's JSON payload). */
  public static webhook(options: WebhookReceiverOptions): AlertReceiver {
    return new AlertReceiver(AlertReceiverKind.WEBHOOK, [['url', options.url]], (s) => ({ webhookConfigs: [{ urlSecret: s.url, sendResolved: true }] }));
  }

  /** E-mail through an SMTP smarthost (TLS required). */
  public static email(options: EmailReceiverOptions): AlertReceiver {
    const secrets: Array<[string, SecretKeyReference | undefined]> = options.authUsername !== undefined || options.authPassword !== undefined ? [['authPassword', options.authPassword]] : [];
    return new AlertReceiver(
      AlertReceiverKind.EMAIL,
      secrets,
      (s) => ({
        emailConfigs: [
          {
            to: options.to,
            from: options.from,
            smarthost: options.smarthost,
            requireTLS: true,
            sendResolved: true,
            ...(options.authUsername !== undefined ? { authUsername: options.authUsername, authPassword: s.authPassword } : {}),
          },
        ],
      }),
      () => {
        for (const to of (options.to ?? '').split(',')) if (!EMAIL.test(to.trim())) return `e-mail recipient "${to.trim()}" is not an address`;
        if (!EMAIL.test(options.from ?? '')) return `e-mail sender "${options.from}" is not an address`;
        if (!HOST_PORT.test(options.smarthost ?? '')) return `smarthost "${options.smarthost}" is not host:port`;
        if (options.authPassword !== undefined && options.authUsername === undefined) return 'authPassword is given without authUsername';
        return undefined;
      },
    );
  }

  private constructor(
    /** Which integration. */
    public readonly kind: AlertReceiverKind,
    private readonly secrets: ReadonlyArray<readonly [string, SecretKeyReference | undefined]>,
    private readonly config: (selectors: Record<string, { name: string; key: string }>) => Record<string, unknown>,
    private readonly check: () => string | undefined = () => undefined,
  ) {}

  /**
   * @internal The receiver's part of an AlertmanagerConfig `receivers[]` entry. Checks the options
   * and every Secret (present, in `namespace`), recording each use for the reconcile check.
   */
  public _render(scope: Construct, name: string, namespace: string): Record<string, unknown> {
    const problem = this.check();
    if (problem) invalidProp(scope, `receiver ${name} (${this.kind}): ${problem}`);
    const selectors: Record<string, { name: string; key: string }> = {};
    for (const [what, ref] of this.secrets) {
      if (ref === undefined || ref === null) {
        throw new InfraFluxError(
          ErrorCode.ALERT_RECEIVER_SECRET_MISSING,
          scope,
          `receiver ${name} (${this.kind}) has no ${what}; give it as a SecretKeyReference (a Secret in namespace ${namespace}), never as a string`,
        );
      }
      selectors[what] = ref.use(scope, `${name} ${what}`, namespace).toSelector();
    }
    return this.config(selectors);
  }
}

/** An owner's receivers. */
export interface OwnerReceivers {
  /** The team (must be declared on the cluster, or be the platform team). */
  readonly owner: Owner;
  /** Where its alerts go (at least one). */
  readonly receivers: readonly AlertReceiver[];
}

export interface AlertRoutingProps {
  /**
   * The cluster's monitoring stack (the AlertmanagerConfig CRD).
   * @default - the MonitoringStack of the cluster
   */
  readonly monitoring?: IClusterMonitoring;
  /** Receivers of the platform team; also the fallback for every owner without receivers of its own. */
  readonly platformReceivers: readonly AlertReceiver[];
  /**
   * Receivers per team.
   * @default - every declared team's alerts go to the platform receivers
   */
  readonly ownerReceivers?: readonly OwnerReceivers[];
  /**
   * Namespace of the AlertmanagerConfigs and of the receivers' Secrets.
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /**
   * How long to wait to group alerts before the first notification.
   * @default Duration.seconds(30)
   */
  readonly groupWait?: Duration;
  /**
   * How long to wait before sending a notification again for a firing alert.
   * @default Duration.hours(4)
   */
  readonly repeatInterval?: Duration;
}

/**
 * One AlertmanagerConfig per owner: each team declared on the cluster (`declaredOwners`) and the
 * platform team, named `infraflux-<team>`, routing `infraflux.io/owner=<team>` to the team's
 * receivers (or the platform's); `infraflux-unowned` sends alerts without an owner label (the
 * stack's default rules) to the platform's receivers. Labelled `infraflux.io/alerting: "true"`,
 * which the cluster's Alertmanager selects. Create it after the constructs that declare owners (or
 * add late ones with {@link addOwner}): synth fails for a declared team without a route.
 */
export class AlertRouting extends Construct {
  public readonly namespace: string;
  private readonly props: AlertRoutingProps;
  private readonly configs = new Map<string, ApiObject>();
  /** Each team's rendered receiver configs (teams without their own use the platform's). */
  private readonly rendered = new Map<string, readonly Record<string, unknown>[]>();
  private readonly timing: { readonly groupWait: string; readonly repeatInterval: string };

  public constructor(scope: Construct, id: string, props: AlertRoutingProps) {
    super(scope, id);
    this.props = props;
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? MONITORING_NAMESPACE);
    if (!fluxUnitOf(this)) invalidProp(this, 'AlertRouting must be created inside a layer of a cluster (e.g. cluster.apps)');
    this.timing = { groupWait: goDuration(props.groupWait ?? Duration.seconds(30), this), repeatInterval: goDuration(props.repeatInterval ?? Duration.hours(4), this) };
    if (props.platformReceivers.length === 0) {
      throw new InfraFluxError(ErrorCode.ALERT_RECEIVER_SECRET_MISSING, this, 'has no platform receiver; give at least one (it is also the fallback of teams without receivers)');
    }
    const teams = new Set<string>();
    for (const o of props.ownerReceivers ?? []) {
      const team = validateDnsLabel(this, 'owner team', o.owner.team);
      if (teams.has(team)) throw new InfraFluxError(ErrorCode.DUPLICATE, this, `receivers of team "${team}" are given twice`);
      teams.add(team);
      if (o.receivers.length === 0) throw new InfraFluxError(ErrorCode.ALERT_RECEIVER_SECRET_MISSING, this, `team "${team}" has an empty receiver list; give at least one or leave the team out (it then uses the platform receivers)`);
    }
    // Render every receiver once, now: a receiver without its Secret fails here, with nothing written.
    this.rendered.set(PLATFORM_OWNER.team, props.platformReceivers.map((r) => r._render(this, PLATFORM_OWNER.team, this.namespace)));
    for (const o of props.ownerReceivers ?? []) this.rendered.set(o.owner.team, o.receivers.map((r) => r._render(this, o.owner.team, this.namespace)));
    GitOpsCluster.of(this).addDependency(this, requireMonitoring(this, props.monitoring).crds);
    this.addOwner(PLATFORM_OWNER);
    for (const owner of declaredOwners(this)) this.addOwner(owner);
    // Alerts without an owner (kube-prometheus-stack's default rules) go to the platform team too,
    // except the stack's always-firing Watchdog and InfoInhibitor (label absent = empty value).
    this.addConfig(UNOWNED, PLATFORM_OWNER.team, `infraflux-${UNOWNED}`, [
      { name: OWNER_LABEL, value: '', matchType: '=' },
      { name: 'alertname', value: 'Watchdog|InfoInhibitor', matchType: '!~' },
    ]);
    addCodedValidation(this, () => {
      const errors: InfraFluxError[] = [];
      const declared = new Set(declaredOwners(this).map((o) => o.team));
      for (const team of declared) {
        if (!this.configs.has(team)) {
          errors.push(new InfraFluxError(ErrorCode.INVALID_PROP, this, `team "${team}" was declared after AlertRouting was created and has no route; create AlertRouting after the constructs that declare owners, or call addOwner()`));
        }
      }
      for (const o of this.props.ownerReceivers ?? []) {
        if (o.owner.team !== PLATFORM_OWNER.team && !declared.has(o.owner.team)) {
          errors.push(new InfraFluxError(ErrorCode.INVALID_PROP, this, `receivers are given for team "${o.owner.team}", which owns nothing on this cluster; declared: ${[...declared].join(', ') || 'none'}`));
        }
      }
      return errors;
    });
  }

  /** The teams with a route, sorted. */
  public get teams(): readonly string[] {
    return [...this.configs.keys()].filter((k) => k !== UNOWNED).sort();
  }

  /** The AlertmanagerConfig of `team` (escape hatch), if it has one. */
  public configOf(team: string): ApiObject | undefined {
    return this.configs.get(team);
  }

  /** Adds the route of `owner` (idempotent); owners declared before this construct get one automatically. */
  public addOwner(owner: Owner): this {
    const team = validateDnsLabel(this, 'owner team', owner.team);
    if (team === UNOWNED) invalidProp(this, `team name "${UNOWNED}" is reserved for the route of alerts without an owner`);
    this.addConfig(team, team, `infraflux-${team}`, [{ name: OWNER_LABEL, value: team, matchType: '=' }]);
    return this;
  }

  private addConfig(key: string, team: string, name: string, matchers: readonly RouteMatcher[]): void {
    if (this.configs.has(key)) return;
    const spec: AlertmanagerConfigProps['spec'] = Lazy.any({ produce: () => this.renderSpec(team, matchers) });
    this.configs.set(
      key,
      new ApiObject(this, key, {
        ...ALERTMANAGER_CONFIG_GVK,
        metadata: { name, namespace: this.namespace, labels: { [ALERTING_LABEL]: 'true', [OWNER_LABEL]: team } },
        spec,
      }),
    );
  }

  private renderSpec(team: string, matchers: readonly RouteMatcher[]): Record<string, unknown> {
    // One receiver with every integration of the team: Alertmanager notifies each of its configs.
    const merged: Record<string, unknown[]> = {};
    for (const c of this.rendered.get(team) ?? this.rendered.get(PLATFORM_OWNER.team)!) {
      for (const [k, v] of Object.entries(c)) merged[k] = [...(merged[k] ?? []), ...(v as unknown[])];
    }
    return {
      route: {
        receiver: team,
        matchers: matchers.map((m) => ({ ...m })),
        groupBy: ['alertname', 'namespace'],
        groupWait: this.timing.groupWait,
        groupInterval: '5m',
        repeatInterval: this.timing.repeatInterval,
      },
      receivers: [{ name: team, ...merged }],
    };
  }
}
