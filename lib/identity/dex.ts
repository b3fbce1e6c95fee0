import { Construct } from 'constructs';
import { DEX_CHART } from '../../imports/helm/charts';
import { DexValues } from '../../imports/helm/dex';
import { invalidProp } from '../core/errors';
import { ServiceReference } from '../core/service-reference';
import { ChartBackedConstruct } from '../flux/flux-app';
import { ExternalSecret, ExternalSecretDataFrom, TemplateValue } from '../secrets/external-secret';
import { ISecretStore } from '../secrets/secret-store';
import { clientSecretEnv, OidcClient } from './authentik';


/** Dex release the fleet runs with the pinned chart 0.24.0 (upstream/dex/NOTES.md: chart-compatible minor bump). */
export const DEX_IMAGE_TAG = 'v2.45.1';

export interface DexProps {
  /** Dex's issuer, a public `https://` URL: what every client (oauth2-proxy, Pinniped) trusts. */
  readonly issuerUrl: string;
  /** The store the client secrets come from. */
  readonly store: ISecretStore;
  /** Backend key of the client secrets, one property `<SLUG>_CLIENT_SECRET` per client (as for {@link Authentik}). */
  readonly clientSecretsKey: string;
  /** The static OIDC clients (e.g. `fleetSsoClients()` once the fleet's SSO proxies exist). */
  readonly clients: readonly OidcClient[];
  /**
   * Dex connectors (the upstream IdPs users log in with), as Dex's `connectors` config; their
   * secrets must be `$VAR` references, never values.
   * @see https://dexidp.io/docs/connectors/
   */
  readonly connectors: readonly Record<string, unknown>[];
  /** @default 2 */
  readonly replicas?: number;
}

const CONFIG_SECRET = 'dex-config';

/**
 * Dex, the lightweight alternative to {@link Authentik} (decision 0095): the pinned chart with its
 * whole `config.yaml` rendered by an ExternalSecret template (`configSecret.create: false`), so
 * the static clients' secrets come from the store and never sit in the chart values (the chart
 * would otherwise write `config` into a Secret from values in Git). Kubernetes CRD storage, the
 * v2.45 image with an explicit numeric user (its image user is named, which `runAsNonRoot` cannot
 * verify: upstream/dex/NOTES.md), read-only root filesystem, no privilege escalation.
 * @see https://dexidp.io/docs/
 */
export class Dex extends ChartBackedConstruct<DexValues> {
  public readonly issuerUrl: string;
  /** The Dex Service (HTTP 5556). */
  public readonly service: ServiceReference;

  public constructor(scope: Construct, id: string, props: DexProps) {
    super(scope, id);
    if (!/^https:\/\/[^\s]+$/.test(props.issuerUrl)) invalidProp(this, `issuerUrl "${props.issuerUrl}" must be an https:// URL`);
    if (props.connectors.length === 0) invalidProp(this, 'connectors is empty; Dex needs at least one upstream identity provider (e.g. an OIDC or LDAP connector)');
    const replicas = props.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 1) invalidProp(this, `replicas ${replicas} must be a whole number >= 1`);
    this.issuerUrl = props.issuerUrl;
    this.createApp({
      chart: DEX_CHART,
      name: 'dex',
      values: {
        replicaCount: replicas,
        image: { tag: DEX_IMAGE_TAG },
        configSecret: { create: false, name: CONFIG_SECRET },
        podSecurityContext: { runAsNonRoot: true, runAsUser: 1001, runAsGroup: 1001, fsGroup: 1001, seccompProfile: { type: 'RuntimeDefault' } },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      } as DexValues,
    });
    const render = (): string => {
      const all = [...props.clients].sort((a, b) => a.slug.localeCompare(b.slug));
      const config = {
        issuer: this.issuerUrl,
        storage: { type: 'kubernetes', config: { inCluster: true } },
        oauth2: { skipApprovalScreen: true },
        connectors: props.connectors,
        staticClients: all.map((c) => ({ id: c.slug, name: c.slug, redirectURIs: [c.redirectUri], secret: `@@${clientSecretEnv(c.slug)}@@` })),
      };
      // The secrets are template lookups of the fetched data (engine v2), filled in by the operator.
      return JSON.stringify(config, null, 2).replace(/"@@([A-Z0-9_]+)@@"/g, (_m, k: string) => `{{ index . ${JSON.stringify(k)} | toJson }}`);
    };
    ExternalSecret.forApp(this, 'Config', {
      store: props.store,
      targetName: CONFIG_SECRET,
      dataFrom: [ExternalSecretDataFrom.extract(props.clientSecretsKey)],
      // JSON is YAML: config.yaml is the rendered configuration with the secrets inlined by ESO.
      template: { data: { 'config.yaml': TemplateValue.template(render()) } },
    });
    this.service = { namespace: this.namespace, name: 'dex', port: 5556, deployedBy: this };
  }
}
