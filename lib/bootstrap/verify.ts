import { promises as dns } from 'node:dns';
import { Command, cmd, Exec, ExecResult, formatCommand } from './command';
import { kubectl } from './plan';

/** Result of one verify check. */
export enum VerifyStatus {
  PASS = 'PASS',
  FAIL = 'FAIL',
  /** Not applicable to this cluster (e.g. no BGP). */
  SKIP = 'SKIP',
}

/** One row of the verify table. */
export interface VerifyResult {
  readonly check: string;
  readonly status: VerifyStatus;
  readonly detail: string;
}

/** What verify reads from. */
export interface VerifyContext {
  readonly exec: Exec;
  /** Resolves a host name to addresses. @default node:dns resolve4 */
  readonly resolve?: (host: string) => Promise<string[]>;
}

/** Options of {@link verifyChecks}. */
export interface VerifyOptions {
  /** Kubeconfig of the cluster to verify. */
  readonly kubeconfig: string;
  /** The cluster runs Cilium BGP (peers and routes are checked). @default false */
  readonly bgp?: boolean;
  /**
   * Run `cilium connectivity test` (it creates its own test namespace and removes it; everything
   * else is read-only).
   * @default true
   */
  readonly connectivityTest?: boolean;
}

/** One check of the second design document's Phase 8 (typed data: the command and how to judge it). */
export interface VerifyCheck {
  readonly id: string;
  readonly description: string;
  readonly command: Command;
  run(ctx: VerifyContext): Promise<VerifyResult>;
}

function firstLine(r: ExecResult): string {
  return (r.stderr.trim() || r.stdout.trim()).split('\n')[0] ?? '';
}

interface K8sList {
  readonly items?: ReadonlyArray<Record<string, any>>;
}

function parseList(stdout: string): K8sList['items'] {
  try {
    return (JSON.parse(stdout) as K8sList).items ?? [];
  } catch {
    return undefined;
  }
}

function notReady(items: ReadonlyArray<Record<string, any>>): string[] {
  return items
    .filter((o) => !(o.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'))
    .map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`);
}

/**
 * The read-only checks of a live cluster (the second design document's Phase 8): Cilium status
 * and connectivity, transparent encryption, BGP peers and routes, LoadBalancer addresses, DNS
 * records of the routes resolving, certificates Ready, Flux Kustomizations Ready, and a privileged
 * pod that the admission policy must deny (server-side dry run: nothing is created).
 */
export function verifyChecks(options: VerifyOptions): VerifyCheck[] {
  const kc = options.kubeconfig;
  const simple = (id: string, description: string, command: Command, judge: (r: ExecResult) => VerifyResult): VerifyCheck => ({
    id,
    description,
    command,
    async run(ctx) {
      return judge(await ctx.exec.run(command, { timeoutSeconds: 900 }));
    },
  });
  const byExit = (id: string) => (r: ExecResult): VerifyResult => ({ check: id, status: r.code === 0 ? VerifyStatus.PASS : VerifyStatus.FAIL, detail: r.code === 0 ? 'ok' : `exit ${r.code}: ${firstLine(r)}` });
  const checks: VerifyCheck[] = [
    simple('cilium-status', 'Cilium agents and operator healthy', cmd('cilium', ['status', '--kubeconfig', kc, '--wait', '--wait-duration', '5m']), byExit('cilium-status')),
  ];
  if (options.connectivityTest ?? true) {
    checks.push(simple('cilium-connectivity', 'cilium connectivity test', cmd('cilium', ['connectivity', 'test', '--kubeconfig', kc]), byExit('cilium-connectivity')));
  }
  checks.push(
    simple('encryption', 'transparent encryption on (WireGuard or IPsec)', kubectl(kc, ['-n', 'kube-system', 'exec', 'ds/cilium', '-c', 'cilium-agent', '--', 'cilium-dbg', 'encrypt', 'status']), (r) => {
      const m = /Encryption:\s*(Wireguard|IPsec)/i.exec(r.stdout);
      return { check: 'encryption', status: r.code === 0 && m ? VerifyStatus.PASS : VerifyStatus.FAIL, detail: m ? m[1] : r.code === 0 ? `not encrypted: ${firstLine(r)}` : `exit ${r.code}: ${firstLine(r)}` };
    }),
  );
  if (options.bgp) {
    checks.push(
      simple('bgp-peers', 'every BGP session established', cmd('cilium', ['bgp', 'peers', '--kubeconfig', kc]), (r) => {
        const rows = r.stdout.split('\n').slice(1).filter((l) => l.trim());
        const down = rows.filter((l) => !/established/i.test(l));
        return { check: 'bgp-peers', status: r.code === 0 && rows.length > 0 && down.length === 0 ? VerifyStatus.PASS : VerifyStatus.FAIL, detail: r.code !== 0 ? `exit ${r.code}: ${firstLine(r)}` : rows.length === 0 ? 'no peers' : down.length ? `${down.length} of ${rows.length} not established` : `${rows.length} established` };
      }),
      simple('bgp-routes', 'routes advertised', cmd('cilium', ['bgp', 'routes', 'advertised', 'ipv4', 'unicast', '--kubeconfig', kc]), (r) => {
        const rows = r.stdout.split('\n').slice(1).filter((l) => l.trim());
        return { check: 'bgp-routes', status: r.code === 0 && rows.length > 0 ? VerifyStatus.PASS : VerifyStatus.FAIL, detail: r.code !== 0 ? `exit ${r.code}: ${firstLine(r)}` : `${rows.length} advertised` };
      }),
    );
  } else {
    checks.push({ id: 'bgp', description: 'BGP', command: cmd('true', []), run: async () => ({ check: 'bgp', status: VerifyStatus.SKIP, detail: 'the cluster runs no BGP' }) });
  }
  checks.push(
    simple('loadbalancers', 'every LoadBalancer Service has an address', kubectl(kc, ['get', 'services', '-A', '-o', 'json']), (r) => {
      const items = parseList(r.stdout);
      if (r.code !== 0 || !items) return { check: 'loadbalancers', status: VerifyStatus.FAIL, detail: `exit ${r.code}: ${firstLine(r)}` };
      const lbs = items.filter((s) => s.spec?.type === 'LoadBalancer');
      const pending = lbs.filter((s) => !(s.status?.loadBalancer?.ingress ?? []).length).map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
      return { check: 'loadbalancers', status: pending.length ? VerifyStatus.FAIL : VerifyStatus.PASS, detail: pending.length ? `no address: ${pending.join(', ')}` : `${lbs.length} with addresses` };
    }),
  );
  const routes = kubectl(kc, ['get', 'httproutes.gateway.networking.k8s.io', '-A', '-o', 'json']);
  checks.push({
    id: 'dns-records',
    description: 'the host names of every HTTPRoute resolve',
    command: routes,
    async run(ctx) {
      const r = await ctx.exec.run(routes, { timeoutSeconds: 60 });
      const items = parseList(r.stdout);
      if (r.code !== 0 || !items) return { check: 'dns-records', status: VerifyStatus.FAIL, detail: `exit ${r.code}: ${firstLine(r)}` };
      const hosts = [...new Set(items.flatMap((i) => (i.spec?.hostnames ?? []) as string[]))].filter((h) => !h.startsWith('*')).sort();
      const resolve = ctx.resolve ?? ((h: string) => dns.resolve4(h));
      const failed: string[] = [];
      for (const h of hosts) {
        try {
          if ((await resolve(h)).length === 0) failed.push(h);
        } catch {
          failed.push(h);
        }
      }
      return { check: 'dns-records', status: failed.length ? VerifyStatus.FAIL : VerifyStatus.PASS, detail: failed.length ? `unresolved: ${failed.join(', ')}` : `${hosts.length} resolve` };
    },
  });
  checks.push(
    simple('certificates', 'every cert-manager Certificate Ready', kubectl(kc, ['get', 'certificates.cert-manager.io', '-A', '-o', 'json']), (r) => {
      const items = parseList(r.stdout);
      if (r.code !== 0 || !items) return { check: 'certificates', status: VerifyStatus.FAIL, detail: `exit ${r.code}: ${firstLine(r)}` };
      const bad = notReady(items);
      return { check: 'certificates', status: bad.length ? VerifyStatus.FAIL : VerifyStatus.PASS, detail: bad.length ? `not Ready: ${bad.join(', ')}` : `${items.length} Ready` };
    }),
    simple('flux', 'every Flux Kustomization Ready', kubectl(kc, ['get', 'kustomizations.kustomize.toolkit.fluxcd.io', '-A', '-o', 'json']), (r) => {
      const items = parseList(r.stdout);
      if (r.code !== 0 || !items) return { check: 'flux', status: VerifyStatus.FAIL, detail: `exit ${r.code}: ${firstLine(r)}` };
      const bad = notReady(items);
      return { check: 'flux', status: bad.length ? VerifyStatus.FAIL : VerifyStatus.PASS, detail: bad.length ? `not Ready: ${bad.join(', ')}` : `${items.length} Ready` };
    }),
    simple(
      'policy-denies',
      'a privileged pod is denied at admission (server-side dry run)',
      kubectl(kc, ['run', 'infraflux-verify-privileged', '-n', 'default', '--image=busybox:1.37.0', '--privileged', '--restart=Never', '--dry-run=server', '--', 'true']),
      (r) =>
        r.code !== 0 && /denied|forbidden|violates/i.test(r.stderr)
          ? { check: 'policy-denies', status: VerifyStatus.PASS, detail: `denied: ${firstLine(r)}` }
          : { check: 'policy-denies', status: VerifyStatus.FAIL, detail: r.code === 0 ? 'a privileged pod was admitted' : `exit ${r.code}: ${firstLine(r)}` },
    ),
  );
  return checks;
}

/** Runs every check (all, even after failures). */
export async function runVerify(checks: readonly VerifyCheck[], ctx: VerifyContext): Promise<VerifyResult[]> {
  const results: VerifyResult[] = [];
  for (const c of checks) results.push(await c.run(ctx));
  return results;
}

/** The summary table (plain text, fixed-width columns). */
export function formatVerifyTable(results: readonly VerifyResult[]): string {
  const w = Math.max(5, ...results.map((r) => r.check.length));
  const lines = [`${'CHECK'.padEnd(w)}  STATUS  DETAIL`, `${'-'.repeat(w)}  ------  ------`];
  for (const r of results) lines.push(`${r.check.padEnd(w)}  ${r.status.padEnd(6)}  ${r.detail}`);
  const failed = results.filter((r) => r.status === VerifyStatus.FAIL).length;
  lines.push('', failed ? `${failed} of ${results.length} checks failed` : `all ${results.filter((r) => r.status === VerifyStatus.PASS).length} checks passed${results.some((r) => r.status === VerifyStatus.SKIP) ? ' (some skipped)' : ''}`);
  return lines.join('\n');
}

/** The commands verify runs, for `--dry-run`. */
export function formatVerifyPlan(checks: readonly VerifyCheck[]): string {
  return checks.map((c, i) => `${String(i + 1).padStart(2)}. ${c.id}: ${c.description}\n      $ ${formatCommand(c.command)}`).join('\n');
}
