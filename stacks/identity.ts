/**
 * Identity in the reference fleet (issue 15 point 4, decision 0095): authentik on the management
 * cluster, on `auth.<domain>` through mgmt's Gateway, with one OIDC client per SSO-guarded UI of
 * the fleet (every oauth2-proxy whose issuer is on that host), and Headlamp on every cluster on
 * `dashboard.<cluster>.<domain>` behind SSO. Pinniped and Dex are not wired yet (docs/identity.md).
 */
import type { Cidr } from '../lib/core/cidr';
import { IFluxApp } from '../lib/flux/flux-app';
import { GitOpsCluster } from '../lib/flux/gitops-cluster';
import { GatewayStack } from '../lib/edge/gateway-stack';
import { exposeHeadlamp, Headlamp, OAuth2ProxySso } from '../lib/edge/platform-ui';
import { SecretReference } from '../lib/secrets/secret-reference';
import { Authentik } from '../lib/identity';
import { ClusterSecretStore } from '../lib/secrets/secret-store';
import { FLEET_DOMAIN } from './config';

/** Namespace of the oauth2-proxy in front of Headlamp (`OAuth2ProxySso` names it after the route id). */
export const HEADLAMP_SSO_NAMESPACE = OAuth2ProxySso.namespaceFor('Headlamp');

/**
 * Headlamp (the maintained successor of the Kubernetes Dashboard) on a cluster, without its
 * cluster-admin binding, routed on `dashboard.<cluster>.<domain>` behind an oauth2-proxy whose
 * client authentik serves (slug `dashboard-<cluster>`).
 */
export function addDashboard(
  cluster: GitOpsCluster,
  edge: GatewayStack,
  opts: { readonly trustedProxyCidrs: readonly Cidr[]; readonly ssoCredentials: (proxy: IFluxApp) => SecretReference },
): Headlamp {
  const headlamp = new Headlamp(cluster.apps, 'Headlamp');
  exposeHeadlamp(edge, headlamp, {
    hostname: `dashboard.${cluster.name}.${FLEET_DOMAIN}`,
    sso: new OAuth2ProxySso({
      issuerUrl: `https://auth.${FLEET_DOMAIN}/application/o/dashboard-${cluster.name}/`,
      credentials: opts.ssoCredentials,
      trustedProxyCidrs: opts.trustedProxyCidrs,
      allowedGroups: ['platform-admins'],
    }),
  });
  return headlamp;
}

/** Namespace of authentik (the store of mgmt serves it). */
export const AUTHENTIK_NAMESPACE = 'authentik';

/** Adds authentik to the management cluster; its edge and secret store must exist already. */
export function addIdentity(mgmt: GitOpsCluster): Authentik {
  const all = mgmt.node.findAll();
  const edge = all.find((c): c is GatewayStack => c instanceof GatewayStack);
  const store = all.find((c): c is ClusterSecretStore => c instanceof ClusterSecretStore);
  if (!edge || !store) throw new Error(`[${mgmt.node.path}] addIdentity needs the cluster's GatewayStack and ClusterSecretStore (stacks/edge.ts, stacks/external-secrets.ts)`);
  const hostname = `auth.${FLEET_DOMAIN}`;
  const authentik = new Authentik(mgmt.apps, 'Authentik', { hostname, store, replicas: 2, clientSecretsKey: `infraflux/${mgmt.name}/authentik-oidc-clients` });
  edge.exposeService('Authentik', authentik.service, { hostname, dedicatedCertificate: true });
  return authentik;
}
