import { IConstruct } from 'constructs';
import { validateDnsLabel } from './errors';

/**
 * The label every workload, namespace and alert of the fleet carries to say which team owns it.
 * Policies require it (issue 15), alert routes follow it (issue 14).
 */
export const OWNER_LABEL = 'infraflux.io/owner';

/** The team that owns the platform's own components unless a construct says otherwise. */
export const PLATFORM_OWNER: Owner = { team: 'platform' };

/**
 * A team that owns workloads. Owners are declared on the cluster their workloads run in
 * ({@link declareOwner}); the monitoring stack generates one Alertmanager route per declared owner,
 * and the policy engine requires {@link OWNER_LABEL} on every workload.
 */
export interface Owner {
  /** The team's name: a DNS-1123 label, the value of {@link OWNER_LABEL}. */
  readonly team: string;
  /**
   * A human contact (e-mail address or chat handle), for the generated cluster README.
   * @default - none
   */
  readonly contact?: string;
}

const OWNERS = Symbol.for('infraflux.owners');

interface OwnerHost {
  [OWNERS]?: Map<string, Owner>;
}

/**
 * Marks `host` (a cluster) as the place owners below it are recorded. Called by the cluster
 * construct itself; library users call {@link declareOwner}.
 */
export function hostOwners(host: IConstruct): void {
  const h = host as IConstruct & OwnerHost;
  if (!h[OWNERS]) h[OWNERS] = new Map<string, Owner>();
}

function ownerHost(scope: IConstruct): (IConstruct & OwnerHost) | undefined {
  return [scope, ...scope.node.scopes.slice().reverse()].find((s): s is IConstruct & OwnerHost => (s as OwnerHost)[OWNERS] !== undefined);
}

/**
 * Records that `owner` owns something at or below `scope` on the nearest enclosing cluster.
 * Declaring the same team twice is fine; the first contact given wins. Returns the team name.
 * Scopes outside any cluster are ignored (nothing routes alerts there).
 */
export function declareOwner(scope: IConstruct, owner: Owner): string {
  const team = validateDnsLabel(scope, 'owner team', owner.team);
  const host = ownerHost(scope);
  const owners = host?.[OWNERS];
  if (owners && !owners.has(team)) owners.set(team, { ...owner, team });
  return team;
}

/** Every owner declared on the cluster `scope` is in, sorted by team (deterministic output). */
export function declaredOwners(scope: IConstruct): readonly Owner[] {
  const owners = ownerHost(scope)?.[OWNERS];
  if (!owners) return [];
  return [...owners.values()].sort((a, b) => a.team.localeCompare(b.team));
}
