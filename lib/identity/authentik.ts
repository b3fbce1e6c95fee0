import { Lazy, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct, IConstruct } from 'constructs';
import { AUTHENTIK_CHART, OAUTH2_PROXY_CHART } from '../../imports/helm/charts';
import { AuthentikValues } from '../../imports/helm/authentik';
import { invalidProp, validateDnsSubdomain } from '../core/errors';
import { ServiceReference } from '../core/service-reference';
import { ChartApp, ChartBackedConstruct } from '../flux/flux-app';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { OutputFolder } from '../flux/output-folder';
import { ExternalSecret, ExternalSecretDataFrom, RefreshPolicy, TemplateValue } from '../secrets/external-secret';
import { PasswordGenerator } from '../secrets/password-generator';
import { ISecretStore } from '../secrets/secret-store';

/** One OIDC client authentik serves: an oauth2-proxy (or any relying party) of the fleet. */
export interface OidcClient {
  /** Application slug: the issuer is `https://<host>/application/o/<slug>/`. */
  readonly slug: string;
  /** The client's `redirect_uri` (oauth2-proxy: `https://<host>/oauth2/callback`). */
  readonly redirectUri: string;
  /** Construct path of the consumer, for messages and the blueprint's comment. */
  readonly consumer: string;
}

export interface AuthentikProps {
  /** Public host of the IdP (`auth.<domain>`): the host of every issuer URL it serves. */
  readonly hostname: string;
  /** The store the generated secrets are written through (the cluster's ClusterSecretStore). */
  readonly store: ISecretStore;
  /**
   * Backend key (of `store`) of the client secrets: one property per client, named
   * `<SLUG>_CLIENT_SECRET` ({@link clientSecretEnv}), holding the value the client's own
   * credentials carry as `client-secret`.
   */
  readonly clientSecretsKey: string;
  /**
   * Server and worker replicas.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * The OIDC clients authentik serves; read at synth, so clients added to the fleet after this
   * construct are included.
   * @default - every oauth2-proxy of the fleet whose issuer is on `hostname` ({@link fleetSsoClients})
   */
  readonly clients?: () => readonly OidcClient[];
}

const SECRET_KEY_SECRET = 'authentik-secret-key';
/** The Secret the PostgreSQL subchart writes its generated password to (`<release>-postgresql`). */
const POSTGRES_SECRET = 'authentik-postgresql';
const BLUEPRINTS = 'authentik-blueprints';
const CLIENT_SECRETS = 'authentik-oidc-clients';

/**
 * authentik, the fleet's identity provider (issue 15 point 4), from its pinned chart on the
 * management cluster (decision 0095):
 * - the secret key is generated in the cluster by an External Secrets PasswordGenerator, once
 *   (`refreshPolicy: CreatedOnce`: it must never change); nothing secret is in Git;
 * - PostgreSQL from the chart's subchart (`postgresql.enabled`), which generates its own password
 *   into the Secret `authentik-postgresql`; its volume from the cluster's default StorageClass;
 * - one OAuth2/OIDC provider + application per client, as an authentik blueprint (ConfigMap
 *   `authentik-blueprints`, mounted through `blueprints.configMaps`); each client secret is read by
 *   the worker from the environment (`!Env`), from the Secret `authentik-oidc-clients` delivered by
 *   the store — the same backend values the clients' oauth2-proxies read.
 * Route it through the Gateway with {@link Authentik.service} on `hostname`.
 * @see https://docs.goauthentik.io/customize/blueprints/
 */
export class Authentik extends ChartBackedConstruct<AuthentikValues> {
  public readonly hostname: string;
  /** The authentik server Service (port 80). */
  public readonly service: ServiceReference;
  /** The blueprints ConfigMap. */
  public readonly blueprints: kplus.ConfigMap;
  private readonly clientsOf: () => readonly OidcClient[];

  /** With a monitoring stack on the cluster: the server's and the worker's metrics Services and ServiceMonitors (values.yaml `server.metrics`, `worker.metrics`). */
  protected monitoringValues(): AuthentikValues {
    const on = { metrics: { enabled: true, serviceMonitor: { enabled: true } } };
    return { server: on, worker: on } as AuthentikValues;
  }

  public constructor(scope: Construct, id: string, props: AuthentikProps) {
    super(scope, id);
    this.hostname = validateDnsSubdomain(this, 'hostname', props.hostname);
    if (!props.clientSecretsKey.trim()) invalidProp(this, 'clientSecretsKey is empty; give the backend key holding the OIDC client secrets');
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) invalidProp(this, `replicas ${replicas} must be a whole number >= 1`);
    this.clientsOf = props.clients ?? (() => fleetSsoClients(this, this.hostname));
    const app = this.createApp({
      chart: AUTHENTIK_CHART,
      name: 'authentik',
      values: {
        authentik: {
          existingSecret: { secretName: SECRET_KEY_SECRET },
          error_reporting: { enabled: false },
          postgresql: { host: 'authentik-postgresql', name: 'authentik', user: 'authentik', port: 5432 },
        },
        global: {
          env: [
            { name: 'AUTHENTIK_POSTGRESQL__PASSWORD', valueFrom: { secretKeyRef: { name: POSTGRES_SECRET, key: 'password' } } },
          ],
          // The client secrets the blueprints read with !Env.
          envFrom: [{ secretRef: { name: CLIENT_SECRETS } }],
        },
        server: { replicas },
        worker: { replicas },
        blueprints: { configMaps: [BLUEPRINTS] },
        // The chart's PostgreSQL subchart generates the database password into its own Secret
        // `authentik-postgresql` (key `password`) at install and keeps it on upgrades; the spec
        // pack pins no values of the Bitnami subchart, so only the keys authentik's values.yaml
        // declares are set (decision 0095).
        postgresql: { enabled: true, auth: { username: 'authentik', database: 'authentik' } },
      } as AuthentikValues,
    });
    const folder = OutputFolder.of(app.helmRelease!);
    const generated = (gid: string, name: string, data: Record<string, TemplateValue>, length: number): void => {
      const gen = new PasswordGenerator(folder, `${gid}Generator`, { name, namespace: this.namespace, length, symbols: 0 });
      ExternalSecret.forApp(this, gid, {
        store: props.store,
        targetName: name,
        refreshPolicy: RefreshPolicy.CREATED_ONCE,
        dataFrom: [ExternalSecretDataFrom.generator(gen)],
        template: { data },
      });
    };
    generated('SecretKey', SECRET_KEY_SECRET, { AUTHENTIK_SECRET_KEY: TemplateValue.key('password') }, 64);
    this.blueprints = new kplus.ConfigMap(folder, 'Blueprints', {
      metadata: { name: BLUEPRINTS, namespace: this.namespace },
      data: { 'infraflux-oidc-clients.yaml': Lazy.any({ produce: () => renderBlueprint(this.clients()) }) as unknown as string },
    });
    // Every client secret, one property per client, from the store (the values the proxies read).
    ExternalSecret.forApp(this, 'ClientSecrets', {
      store: props.store,
      targetName: CLIENT_SECRETS,
      dataFrom: [ExternalSecretDataFrom.extract(props.clientSecretsKey)],
    });
    this.service = { namespace: this.namespace, name: 'authentik-server', port: 80, deployedBy: this };
  }

  /** The OIDC clients of the blueprint, sorted by slug. */
  public clients(): OidcClient[] {
    const all = [...this.clientsOf()].sort((a, b) => a.slug.localeCompare(b.slug));
    const dup = all.find((c, i) => all.findIndex((d) => d.slug === c.slug) !== i);
    if (dup) invalidProp(this, `two OIDC clients use the slug "${dup.slug}" (${dup.consumer})`);
    return all;
  }

  /** The issuer URL of a client: what its oauth2-proxy, Pinniped or kube-apiserver must trust. */
  public issuerUrl(slug: string): string {
    return `https://${this.hostname}/application/o/${slug}/`;
  }
}

/** The environment variable holding a client's secret on the worker (from `authentik-oidc-clients`). */
export function clientSecretEnv(slug: string): string {
  return `${slug.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_CLIENT_SECRET`;
}

function renderBlueprint(clients: readonly OidcClient[]): string {
  const entries = clients.flatMap((c) => [
    {
      model: 'authentik_providers_oauth2.oauth2provider',
      id: `provider-${c.slug}`,
      identifiers: { name: c.slug },
      attrs: {
        name: c.slug,
        client_type: 'confidential',
        client_id: c.slug,
        client_secret: `!Env ${clientSecretEnv(c.slug)}`,
        authorization_flow: '!Find [authentik_flows.flow, [slug, default-provider-authorization-implicit-consent]]',
        invalidation_flow: '!Find [authentik_flows.flow, [slug, default-provider-invalidation-flow]]',
        redirect_uris: [{ matching_mode: 'strict', url: c.redirectUri }],
        property_mappings: [
          '!Find [authentik_providers_oauth2.scopemapping, [scope_name, openid]]',
          '!Find [authentik_providers_oauth2.scopemapping, [scope_name, email]]',
          '!Find [authentik_providers_oauth2.scopemapping, [scope_name, profile]]',
        ],
        signing_key: '!Find [authentik_crypto.certificatekeypair, [name, authentik Self-signed Certificate]]',
      },
    },
    {
      model: 'authentik_core.application',
      identifiers: { slug: c.slug },
      attrs: { name: c.slug, slug: c.slug, provider: `!KeyOf provider-${c.slug}` },
    },
  ]);
  const doc = Yaml.stringify({ version: 1, metadata: { name: 'infraflux-oidc-clients', labels: { 'blueprints.goauthentik.io/instantiate': 'true' } }, entries });
  // Blueprint tags (!Env, !Find, !KeyOf) are YAML tags, not strings: unquote them.
  return doc.replace(/(['"])(!(?:Env|Find|KeyOf) [^'"\n]*)\1/g, '$2');
}

/**
 * Every oauth2-proxy of the fleet whose OIDC issuer is on `hostname`
 * (`https://<hostname>/application/o/<slug>/`), as an {@link OidcClient}.
 */
export function fleetSsoClients(scope: IConstruct, hostname: string): OidcClient[] {
  const root = scope.node.root;
  const prefix = `https://${hostname}/application/o/`;
  const out: OidcClient[] = [];
  for (const c of root.node.findAll()) {
    const app = ChartApp.of<{ extraArgs?: Record<string, string> }>(c);
    if (!app || app.chart.name !== OAUTH2_PROXY_CHART.name || !GitOpsCluster.find(c)) continue;
    const args = app.values.extraArgs ?? {};
    const issuer = args['oidc-issuer-url'];
    if (!issuer?.startsWith(prefix)) continue;
    const slug = issuer.slice(prefix.length).replace(/\/$/, '');
    out.push({ slug, redirectUri: args['redirect-url'] ?? '', consumer: c.node.path });
  }
  return out;
}
