import { existsSync, statfsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promises as dns } from 'node:dns';
import { ErrorCode, InfraFluxError } from '../core/errors';
import { cmd, Environment, Exec, formatCommand } from './command';
import { BootstrapVia } from './provider';
import { BootstrapTarget, externalInputKey } from './target';
import { BootstrapTools, ToolRequirement, toolVersion, VersionConstraint } from './tools';

/** One failed preflight check: what is wrong and how to fix it. */
export interface PreflightProblem {
  /** The check's id (`tools`, `credentials`, `dns`, …). */
  readonly check: string;
  readonly message: string;
  readonly fix: string;
}

/** What the checks ask the machine; every part is injectable so tests need no network or Docker. */
export interface PreflightContext {
  readonly exec: Exec;
  /** @default process.env */
  readonly env?: Environment;
  /** The nameservers of a zone. @default node:dns resolveNs */
  readonly resolveNs?: (zone: string) => Promise<string[]>;
  /** Free bytes of the file system holding `path`. @default fs.statfsSync */
  readonly diskFreeBytes?: (path: string) => number;
  /** Whether a TCP port on 127.0.0.1 can be bound. @default a listen test */
  readonly portFree?: (port: number) => Promise<boolean>;
  /** Whether a local file exists. @default fs.existsSync */
  readonly fileExists?: (path: string) => boolean;
  /** The operator confirmed the network team approved the BGP peering (`--bgp-peering-approved`). @default false */
  readonly bgpPeeringApproved?: boolean;
}

/** One preflight check (typed data: the list is printed by `--dry-run`). */
export interface PreflightCheck {
  readonly id: string;
  readonly description: string;
  run(ctx: PreflightContext): Promise<PreflightProblem[]>;
}

/** Free disk kind needs for its node image and the providers' images. */
export const KIND_MIN_FREE_BYTES = 10 * 1024 ** 3;

/** The variable holding the Cloudflare API token the DNS-01 and ExternalDNS tokens are checked with. */
export const CLOUDFLARE_TOKEN_ENV = 'CLOUDFLARE_API_TOKEN';

const CURL: ToolRequirement = {
  name: 'curl',
  versionCommand: cmd('curl', ['--version']),
  versionPattern: /curl (\d+\.\d+\.\d+)/,
  supported: VersionConstraint.atLeast('7.76.0'),
  installUrl: 'https://curl.se/download.html (or your distribution\'s package)',
};

function portFreeDefault(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The tools the target needs: the design's list, the provider's CLI, Terraform for `--via terraform`. */
export function requiredTools(target: BootstrapTarget): ToolRequirement[] {
  const tools = BootstrapTools.of(target.versions);
  const list = [...tools.core];
  if (target.provider.cli) list.push(target.provider.cli);
  if (!target.provider.cli || target.dnsZone) list.push(CURL);
  if (target.via === BootstrapVia.TERRAFORM) list.push(tools.terraform);
  return list;
}

/**
 * The preflight checks of the design (§8.4) for the target: CLIs at supported versions, provider
 * credentials present and usable, DNS zone delegated to Cloudflare, the Cloudflare token, the BGP
 * acknowledgement, kind's Docker/disk/port needs, dist/ synthesized, and every declared external
 * input of the management cluster suppliable.
 */
export function preflightChecks(target: BootstrapTarget): PreflightCheck[] {
  const checks: PreflightCheck[] = [];
  const tools = requiredTools(target);
  checks.push({
    id: 'tools',
    description: `CLIs on PATH at supported versions: ${tools.map((t) => `${t.name} ${t.supported}`).join(', ')}`,
    async run(ctx) {
      const problems: PreflightProblem[] = [];
      for (const tool of tools) {
        const r = await ctx.exec.run(tool.versionCommand, { timeoutSeconds: 30 });
        if (r.code === 127) {
          problems.push({ check: 'tools', message: `${tool.name} is not on PATH`, fix: `install ${tool.name} ${tool.supported} (${tool.installUrl})` });
          continue;
        }
        const found = toolVersion(tool, r.stdout);
        if (r.code !== 0 || !found) {
          problems.push({
            check: 'tools',
            message: `${formatCommand(tool.versionCommand)} exited ${r.code} without a version${r.stderr ? `: ${r.stderr.trim().split('\n')[0]}` : ''}`,
            fix: tool.name === 'docker' ? 'start the Docker daemon and make sure your user may use it (docker info)' : `reinstall ${tool.name} ${tool.supported} (${tool.installUrl})`,
          });
          continue;
        }
        if (!tool.supported.allows(found)) {
          problems.push({ check: 'tools', message: `${tool.name} ${found} is not supported (needs ${tool.supported})`, fix: `install ${tool.name} ${tool.supported} (${tool.installUrl})` });
        }
      }
      return problems;
    },
  });
  checks.push({
    id: 'credentials',
    description: `${target.provider.name} credentials present (${target.provider.credentials.map((c) => c.name).join(', ')}) and usable (a read-only call)`,
    async run(ctx) {
      const env = ctx.env ?? process.env;
      const missing = target.provider.credentials.filter((c) => !env[c.name]);
      const problems: PreflightProblem[] = missing.map((c) => ({
        check: 'credentials',
        message: `${c.name} is not set (${target.provider.name} credentials)`,
        fix: `${c.howTo} (see ${target.provider.credentialDocs})`,
      }));
      if (missing.length > 0) return problems;
      const check = target.provider.credentialCheck(env);
      const r = await ctx.exec.run(check, { timeoutSeconds: 60 });
      if (r.code !== 0) {
        problems.push({
          check: 'credentials',
          message: `the read-only call ${formatCommand(check)} failed (exit ${r.code}${r.stderr ? `: ${r.stderr.trim().split('\n')[0]}` : ''}): the ${target.provider.name} credentials are not usable`,
          fix: `check ${target.provider.credentials.map((c) => c.name).join(', ')} and their permissions (${target.provider.credentialDocs})`,
        });
      }
      return problems;
    },
  });
  if (target.dnsZone) {
    const zone = target.dnsZone;
    checks.push({
      id: 'dns',
      description: `zone ${zone} delegated to Cloudflare (NS records *.ns.cloudflare.com)`,
      async run(ctx) {
        let ns: string[];
        try {
          ns = await (ctx.resolveNs ?? ((z: string) => dns.resolveNs(z)))(zone);
        } catch (e) {
          return [{ check: 'dns', message: `the NS records of ${zone} cannot be resolved (${(e as Error).message})`, fix: `delegate ${zone} to Cloudflare: set the two nameservers Cloudflare assigned at your registrar` }];
        }
        const foreign = ns.filter((n) => !/\.ns\.cloudflare\.com\.?$/i.test(n));
        return ns.length === 0 || foreign.length > 0
          ? [{ check: 'dns', message: `${zone} is delegated to ${ns.join(', ') || 'no nameserver'}, not to Cloudflare`, fix: `set ${zone}'s nameservers at your registrar to the two *.ns.cloudflare.com names shown in the Cloudflare dashboard (DNS → Records)` }]
          : [];
      },
    });
    checks.push({
      id: 'dns-token',
      description: `${CLOUDFLARE_TOKEN_ENV} active and able to read zone ${zone} (ExternalDNS and cert-manager DNS-01)`,
      async run(ctx) {
        const env = ctx.env ?? process.env;
        const token = env[CLOUDFLARE_TOKEN_ENV];
        const fix = `create an API token with Zone:Read and DNS:Edit on ${zone} only (the cloudflare-dns Terraform stack creates the per-controller ones) and export ${CLOUDFLARE_TOKEN_ENV}`;
        if (!token) return [{ check: 'dns-token', message: `${CLOUDFLARE_TOKEN_ENV} is not set`, fix }];
        // The token travels on stdin (curl --config -), never in argv.
        const auth = { stdin: `header = "Authorization: Bearer ${token}"\n` };
        const verify = await ctx.exec.run(cmd('curl', ['--fail', '--silent', '--show-error', '--config', '-', 'https://api.cloudflare.com/client/v4/user/tokens/verify'], auth), { timeoutSeconds: 30 });
        if (verify.code !== 0 || !/"status"\s*:\s*"active"/.test(verify.stdout)) {
          return [{ check: 'dns-token', message: `Cloudflare does not accept ${CLOUDFLARE_TOKEN_ENV} as an active token`, fix }];
        }
        const zones = await ctx.exec.run(cmd('curl', ['--fail', '--silent', '--show-error', '--config', '-', `https://api.cloudflare.com/client/v4/zones?name=${zone}`], auth), { timeoutSeconds: 30 });
        if (zones.code !== 0 || !zones.stdout.includes(`"name":"${zone}"`)) {
          return [{ check: 'dns-token', message: `${CLOUDFLARE_TOKEN_ENV} cannot read zone ${zone} (Zone:Read missing or another account)`, fix }];
        }
        return [];
      },
    });
  }
  if (target.bgp) {
    checks.push({
      id: 'bgp',
      description: 'BGP peering approved by the network team (the fleet runs Cilium BGP)',
      async run(ctx) {
        return ctx.bgpPeeringApproved
          ? []
          : [{ check: 'bgp', message: 'the fleet peers with your routers over BGP (CiliumBGPClusterConfig), and nobody confirmed the peering is approved', fix: 'ask the network team to approve the peers and ASNs in dist/*/configs/ciliumbgp*.yaml, then pass --bgp-peering-approved' }];
      },
    });
  }
  checks.push({
    id: 'kind',
    description: `kind needs: ${KIND_MIN_FREE_BYTES / 1024 ** 3} GiB free for ${target.workdir} and Docker, 127.0.0.1:${target.kindApiServerPort} free`,
    async run(ctx) {
      const problems: PreflightProblem[] = [];
      const free = (ctx.diskFreeBytes ?? ((p: string) => { const s = statfsSync(existsSync(p) ? p : '.'); return s.bavail * s.bsize; }))(target.workdir);
      if (free < KIND_MIN_FREE_BYTES) {
        problems.push({ check: 'kind', message: `only ${(free / 1024 ** 3).toFixed(1)} GiB free where kind and Docker write`, fix: `free at least ${KIND_MIN_FREE_BYTES / 1024 ** 3} GiB (docker system prune removes unused images)` });
      }
      if (!(await (ctx.portFree ?? portFreeDefault)(target.kindApiServerPort))) {
        problems.push({ check: 'kind', message: `port 127.0.0.1:${target.kindApiServerPort} (the kind API server) is in use`, fix: `stop what listens there (ss -ltnp | grep ${target.kindApiServerPort}) or delete a left-over kind cluster (kind get clusters)` });
      }
      return problems;
    },
  });
  checks.push({
    id: 'dist',
    description: `dist/ synthesized: ${target.managementDist}/flux-system, the Cilium release${target.via === BootstrapVia.CLUSTER_API ? `, ${target.managementObjects}` : `, ${target.terraformStack?.dir}`}`,
    async run(ctx) {
      const has = ctx.fileExists ?? existsSync;
      const needed = [
        join(target.managementDist, 'flux-system'),
        join(target.managementDist, 'releases', 'cilium', 'helmrelease-cilium.yaml'),
        ...(target.via === BootstrapVia.TERRAFORM ? [join(target.terraformStack?.dir ?? '', 'cdk.tf.json')] : target.managementObjectsYaml === undefined ? [target.managementObjects] : []),
      ];
      return needed
        .filter((f) => !has(f))
        .map((f) => ({ check: 'dist', message: `${f} does not exist`, fix: 'run `npm run synth` (it writes dist/ and cdktf.out/)' }));
    },
  });
  checks.push({
    id: 'external-inputs',
    description: `the declared external inputs of ${target.managementCluster} (its bootstrap roots) can be provided`,
    async run(ctx) {
      const env = ctx.env ?? process.env;
      const has = ctx.fileExists ?? existsSync;
      const problems: PreflightProblem[] = [];
      for (const input of target.externalInputs) {
        const key = externalInputKey(input);
        const what = `${input.kind} ${input.namespace ? `${input.namespace}/` : ''}${input.name} (${input.consumer})`;
        const supplier = target.suppliers.find((s) => s.input === key);
        if (!supplier) {
          problems.push({ check: 'external-inputs', message: `nothing in this bootstrap provides the declared external input ${what}`, fix: `add an ExternalInputSupplier for ${key}, or provide it yourself: ${input.command}` });
          continue;
        }
        for (const f of supplier.files ?? []) {
          if (!has(f)) problems.push({ check: 'external-inputs', message: `${f} does not exist (needed for ${what})`, fix: `create it: see ${input.providedBy}` });
        }
        for (const v of supplier.env ?? []) {
          if (!env[v]) problems.push({ check: 'external-inputs', message: `${v} is not set (needed for ${what})`, fix: `export ${v}=… (${input.providedBy})` });
        }
      }
      return problems;
    },
  });
  return checks;
}

/**
 * Runs every check (all of them, even after a failure) and reports every problem at once.
 * @throws InfraFluxError BOOTSTRAP_PREFLIGHT_FAILED listing each problem with its fix
 */
export async function runPreflight(checks: readonly PreflightCheck[], ctx: PreflightContext): Promise<void> {
  const problems: PreflightProblem[] = [];
  for (const check of checks) problems.push(...(await check.run(ctx)));
  if (problems.length > 0) {
    throw new InfraFluxError(
      ErrorCode.BOOTSTRAP_PREFLIGHT_FAILED,
      'preflight',
      `${problems.length} preflight check(s) failed:\n${problems.map((p, i) => `  ${i + 1}. [${p.check}] ${p.message}\n     fix: ${p.fix}`).join('\n')}`,
      problems.map((p) => ({ code: ErrorCode.BOOTSTRAP_PREFLIGHT_FAILED, constructPath: `preflight/${p.check}`, message: `[preflight/${p.check}] ${p.message}; fix: ${p.fix}` })),
    );
  }
}
