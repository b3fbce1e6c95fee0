import { ErrorCode, InfraFluxError } from '../core/errors';
import { Exec } from './command';
import { assertCreatedByBootstrap, planDestroy } from './destroy';
import { planBootstrap, PlanOptions } from './plan';
import { preflightChecks, PreflightContext, runPreflight } from './preflight';
import { BootstrapProvider, BootstrapVia } from './provider';
import { ProgressRenderer, runPlan } from './runner';
import { formatPlan } from './step';
import { BootstrapTarget } from './target';
import { formatVerifyPlan, formatVerifyTable, runVerify, verifyChecks, VerifyContext, VerifyStatus } from './verify';

/** What the CLI talks to; hack/cli.ts gives the real machine, tests a fake toolchain. */
export interface CliIo extends Omit<PreflightContext, 'exec' | 'bgpPeeringApproved'>, Omit<VerifyContext, 'exec'>, PlanOptions {
  readonly exec: Exec;
  readonly out: (text: string) => void;
  /** The target of a provider (the fleet's management cluster). */
  readonly target: (provider: BootstrapProvider, via: BootstrapVia) => BootstrapTarget;
  /** Verify: the kubeconfig and BGP use of cluster `name`. */
  readonly cluster?: (name: string) => { readonly kubeconfig: string; readonly bgp: boolean };
  /** @default ProgressRenderer.SILENT */
  readonly renderer?: ProgressRenderer;
  /** Waits between retries (tests: none). */
  readonly sleep?: (attempt: number) => Promise<void>;
}

const USAGE = `usage:
  hack/bootstrap.sh --provider aws|azure|gcp|proxmox|metal3 [--via clusterctl|terraform] [--dry-run] [--bgp-peering-approved]
  hack/destroy.sh   --provider aws|azure|gcp|proxmox|metal3 [--via clusterctl|terraform] [--dry-run] [--force]
  hack/verify.sh    --cluster <name> [--kubeconfig <file>] [--no-connectivity-test] [--dry-run]`;

interface Flags {
  readonly values: Map<string, string>;
  readonly switches: Set<string>;
}

function usage(message: string): never {
  throw new InfraFluxError(ErrorCode.BOOTSTRAP_USAGE, 'hack', `${message}\n${USAGE}`);
}

function parse(args: readonly string[], valued: readonly string[], switches: readonly string[]): Flags {
  const values = new Map<string, string>();
  const on = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    if (valued.includes(flag)) {
      const v = inline ?? args[++i];
      if (v === undefined || v.startsWith('--')) usage(`${flag} needs a value`);
      values.set(flag, v);
    } else if (switches.includes(flag) && inline === undefined) {
      on.add(flag);
    } else {
      usage(`unknown argument "${args[i]}"`);
    }
  }
  return { values, switches: on };
}

function providerOf(flags: Flags): { provider: BootstrapProvider; via: BootstrapVia } {
  const name = flags.values.get('--provider');
  if (!name) usage('--provider is required');
  const provider = BootstrapProvider.fromName(name);
  if (!provider) usage(`unknown provider "${name}"; use one of ${BootstrapProvider.all().join(', ')}`);
  const viaName = flags.values.get('--via') ?? BootstrapVia.CLUSTER_API.name;
  const via = BootstrapVia.fromName(viaName);
  if (!via) usage(`unknown --via "${viaName}"; use clusterctl or terraform`);
  return { provider, via };
}

/**
 * The bootstrap/destroy/verify command line (`hack/*.sh` call it through hack/cli.ts).
 * @returns the exit code: 0 done, 1 a check or step failed, 2 bad usage
 */
export async function runCli(command: string, args: readonly string[], io: CliIo): Promise<number> {
  try {
    switch (command) {
      case 'bootstrap': {
        const flags = parse(args, ['--provider', '--via'], ['--dry-run', '--bgp-peering-approved']);
        const { provider, via } = providerOf(flags);
        const target = io.target(provider, via);
        const steps = planBootstrap(target, io);
        const checks = preflightChecks(target);
        if (flags.switches.has('--dry-run')) {
          io.out(`Preflight checks:\n${checks.map((c, i) => `${String(i + 1).padStart(2)}. ${c.id}: ${c.description}`).join('\n')}\n`);
          io.out(formatPlan(`Bootstrap plan: ${target.managementCluster} on ${provider} via ${via} (${steps.length} steps)`, steps));
          return 0;
        }
        await runPreflight(checks, { ...io, bgpPeeringApproved: flags.switches.has('--bgp-peering-approved') });
        await runPlan(steps, { exec: io.exec, plan: `bootstrap ${provider} ${via}`, renderer: io.renderer, stateFile: target.stateFile, ...(io.sleep ? { sleep: io.sleep } : {}) });
        const after = target.suppliers.filter((s) => s.afterBootstrap).map((s) => `  - ${s.afterBootstrap}`);
        io.out(`${target.managementCluster} is up and reconciles ${target.managementDist}/ from ${target.repositoryUrl}; kubeconfig: ${target.managementKubeconfig}${after.length ? `\nStill to do by their owners:\n${after.join('\n')}` : ''}`);
        return 0;
      }
      case 'destroy': {
        const flags = parse(args, ['--provider', '--via'], ['--dry-run', '--force']);
        const { provider, via } = providerOf(flags);
        const target = io.target(provider, via);
        const steps = planDestroy(target);
        if (flags.switches.has('--dry-run')) {
          io.out(formatPlan(`Destroy plan: ${target.managementCluster} on ${provider} via ${via} (${steps.length} steps)`, steps));
          return 0;
        }
        await assertCreatedByBootstrap(target, io.exec, flags.switches.has('--force'));
        await runPlan(steps, { exec: io.exec, plan: `destroy ${provider} ${via}`, renderer: io.renderer, ...(io.sleep ? { sleep: io.sleep } : {}) });
        io.out(`${target.managementCluster}, its workload clusters and the kind cluster are gone`);
        return 0;
      }
      case 'verify': {
        const flags = parse(args, ['--cluster', '--kubeconfig'], ['--dry-run', '--no-connectivity-test']);
        const name = flags.values.get('--cluster');
        if (!name) usage('--cluster is required');
        const known = io.cluster?.(name);
        const kubeconfig = flags.values.get('--kubeconfig') ?? known?.kubeconfig;
        if (!kubeconfig) usage(`no kubeconfig known for cluster "${name}"; pass --kubeconfig`);
        const checks = verifyChecks({ kubeconfig, bgp: known?.bgp ?? false, connectivityTest: !flags.switches.has('--no-connectivity-test') });
        if (flags.switches.has('--dry-run')) {
          io.out(`Verify plan for ${name}:\n${formatVerifyPlan(checks)}`);
          return 0;
        }
        const results = await runVerify(checks, io);
        io.out(formatVerifyTable(results));
        return results.some((r) => r.status === VerifyStatus.FAIL) ? 1 : 0;
      }
      default:
        usage(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof InfraFluxError) {
      io.out(e.message);
      return e.code === ErrorCode.BOOTSTRAP_USAGE ? 2 : 1;
    }
    throw e;
  }
}
