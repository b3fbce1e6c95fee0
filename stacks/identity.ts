/**
 * Identity in the reference fleet (issue 15 point 4, decision 0095): authentik on the management
 * cluster, on `auth.<domain>` through mgmt's Gateway, with one OIDC client per SSO-guarded UI of
 * the fleet (every oauth2-proxy whose issuer is on that host). Pinniped, Dex and Headlamp are not
 * wired yet (docs/identity.md).
 */
import { GitOpsCluster } from '../lib/flux/gitops-cluster';
import { GatewayStack } from '../lib/edge/gateway-stack';
import { Authentik } from '../lib/identity';
import { ClusterSecretStore } from '../lib/secrets/secret-store';
import { FLEET_DOMAIN } from './config';

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
