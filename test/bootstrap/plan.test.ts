import { rmSync } from 'node:fs';
import { BootstrapProvider, BootstrapStep, BootstrapVia, Exec, formatCommand, formatPlan, planBootstrap, runPlan, runStep, StepOutcome } from '../../lib/bootstrap';
import { ErrorCode, InfraFluxError } from '../../lib/core/errors';
import { VersionSet } from '../../lib/versions';
import { emptyWorld, fakeExec, FakeWorld, Killed } from './fake/toolchain';
import { fixtureDir, fixtureTarget } from './_fixture';

const noSleep = async (): Promise<void> => undefined;
// One fixture folder and one plan per provider for the whole file (cheap tests); each run gets a
// fresh world and an empty work folder.
let shared: string | undefined;
const plans = new Map<string, BootstrapStep[]>();
afterAll(() => shared && rmSync(shared, { recursive: true, force: true }));

function setup(provider: BootstrapProvider, via = BootstrapVia.CLUSTER_API): { steps: BootstrapStep[]; world: FakeWorld; dir: string } {
  const dir = (shared ??= fixtureDir());
  rmSync(`${dir}/.infraflux`, { recursive: true, force: true });
  const id = `${provider}/${via}`;
  if (!plans.has(id)) plans.set(id, planBootstrap(fixtureTarget(dir, provider, via)));
  return { steps: plans.get(id)!, world: new FakeWorld(emptyWorld()), dir };
}

/** Every side-effecting command of the plan, as the fake logs it. */
function sideEffects(steps: readonly BootstrapStep[]): Set<string> {
  return new Set(steps.filter((s) => s.sideEffects).flatMap((s) => s.commands.map((c) => [c.program, ...c.args].join(' '))));
}

/** The steps in order without the progress renderer (what runPlan does per step; cheaper in loops). */
async function runSteps(steps: readonly BootstrapStep[], exec: Exec): Promise<void> {
  for (const step of steps) await runStep(step, { exec, sleep: noSleep });
}

function repeated(log: readonly string[], effects: Set<string>): string[] {
  const seen = new Map<string, number>();
  for (const l of log) if (effects.has(l)) seen.set(l, (seen.get(l) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([l]) => l);
}

const V = VersionSet.pinned();
const CASES: Array<[string, BootstrapProvider, BootstrapVia, string]> = [
  ['aws', BootstrapProvider.AWS, BootstrapVia.CLUSTER_API, `--infrastructure aws:${V.capa}`],
  ['azure', BootstrapProvider.AZURE, BootstrapVia.CLUSTER_API, `--infrastructure azure:${V.capz}`],
  ['gcp', BootstrapProvider.GCP, BootstrapVia.CLUSTER_API, `--infrastructure gcp:${V.capg}`],
  ['proxmox', BootstrapProvider.PROXMOX, BootstrapVia.CLUSTER_API, `--infrastructure proxmox:${V.capmox} --ipam in-cluster:${V.ipamInCluster}`],
  ['metal3', BootstrapProvider.METAL3, BootstrapVia.CLUSTER_API, `--infrastructure metal3:${V.capm3} --ipam metal3:${V.ipamMetal3}`],
];

describe('planBootstrap', () => {
  test.each(CASES)('%s: the plan is complete and ordered, with the pinned providers', (_name, provider, via, infra) => {
    // GIVEN the target of the provider WHEN planned
    const { steps } = setup(provider, via);
    const ids = steps.map((s) => s.id);
    // THEN the flow of the design, in order: kind → init → objects → control plane → CNI → Flux → move → delete kind
    const order = ['kind-create', 'clusterctl-init', 'management-objects', 'control-plane', 'management-kubeconfig', 'cni', 'flux-install', 'flux-sync', 'providers-ready', 'clusterctl-move', 'kind-delete'];
    expect(order.map((id) => ids.indexOf(id))).toEqual([...order.map((id) => ids.indexOf(id))].sort((a, b) => a - b));
    expect(order.every((id) => ids.includes(id))).toBe(true);
    // AND clusterctl init gets exactly the pinned core, Talos and infrastructure providers
    const init = formatCommand(steps.find((s) => s.id === 'clusterctl-init')!.commands[0]);
    expect(init).toBe(
      `clusterctl init --kubeconfig ${steps[0].commands[0].args[7]} --core cluster-api:${V.capiCore} --bootstrap talos:${V.cabpt} --control-plane talos:${V.cacppt} ${infra} --wait-providers --wait-provider-timeout 600`,
    );
    // AND Flux is the pinned version, on kind and on the management cluster
    expect(steps.filter((s) => s.id.endsWith('flux') || s.id === 'flux-install').map((s) => s.commands[0].args.includes(V.flux))).toEqual([true, true]);
    // AND every step has a timeout and a detection
    for (const s of steps) {
      expect(s.timeoutSeconds).toBeGreaterThan(0);
      expect(s.detect.length).toBeGreaterThan(0);
    }
  });

  test('the Cilium of the management cluster comes from dist/ as a remote HelmRelease Flux adopts', () => {
    // GIVEN the AWS plan WHEN its CNI step is read
    const { steps } = setup(BootstrapProvider.AWS);
    const stdin = steps.find((s) => s.id === 'cni')!.commands[0].stdin!;
    // THEN it is the dist/ release with the management cluster's kubeconfig and the same release name and namespace
    expect(stdin).toContain('kind: HelmRelease');
    expect(stdin).toMatch(/kubeConfig:\n\s+secretRef:\n\s+name: mgmt-kubeconfig/);
    expect(stdin).toContain('targetNamespace: kube-system');
    expect(stdin).toContain('storageNamespace: kube-system');
    expect(stdin).toContain('releaseName: cilium');
    expect(stdin).toContain(`version: ${V.ciliumChart}`);
    expect(stdin).toContain('name: cilium-values');
  });

  test('proxmox --via terraform uses the CDKTF stack and no clusterctl', () => {
    // GIVEN proxmox via terraform WHEN planned
    const { steps, dir } = setup(BootstrapProvider.PROXMOX, BootstrapVia.TERRAFORM);
    const ids = steps.map((s) => s.id);
    // THEN terraform creates the cluster, kind's Flux installs the CNI, and nothing is moved
    expect(ids).toContain('terraform-apply');
    expect(ids).not.toContain('clusterctl-init');
    expect(ids).not.toContain('clusterctl-move');
    expect(steps.flatMap((s) => s.commands).some((c) => c.program === 'clusterctl')).toBe(false);
    expect(formatPlan('t', steps).split(dir).join('<tmp>')).toMatchSnapshot();
  });

  test('fails: --via terraform for a provider without a Terraform stack', () => {
    // GIVEN AWS WHEN asked for terraform THEN a usage error
    const { dir } = setup(BootstrapProvider.AWS);
    expect(() => fixtureTarget(dir, BootstrapProvider.AWS, BootstrapVia.TERRAFORM)).toThrow(/--via terraform is not available for provider "aws"/);
  });

  test('the aws plan as printed by --dry-run', () => {
    // GIVEN the aws plan WHEN formatted THEN the snapshot shows each step, command and wait
    const { steps, dir } = setup(BootstrapProvider.AWS);
    expect(formatPlan('Bootstrap plan', steps).split(dir).join('<tmp>')).toMatchSnapshot();
  });
});

describe('runPlan with the fake toolchain', () => {
  test.each([...CASES, ['proxmox via terraform', BootstrapProvider.PROXMOX, BootstrapVia.TERRAFORM, '']] as Array<[string, BootstrapProvider, BootstrapVia, string]>)(
    '%s: a full run succeeds, a second run changes nothing, a run killed after any step resumes to the same end',
    async (_name, provider, via) => {
      // GIVEN an empty world WHEN the plan runs
      const { steps, world, dir } = setup(provider, via);
      const first = await runPlan(steps, { exec: fakeExec(world), plan: 'p', sleep: noSleep });
      // THEN every step ran, the management cluster runs Cilium and Flux, kind is gone
      // (only pure waits and by-products may find their effect present: the fake's conditions are
      // immediate, and kind create writes its kubeconfig itself)
      const skipped = first.filter((l) => l.outcome === StepOutcome.SKIPPED).map((l) => l.id);
      expect(steps.filter((st) => skipped.includes(st.id) && st.sideEffects).map((st) => st.id)).toEqual([]);
      expect(first.filter((l) => l.outcome === StepOutcome.DONE).length).toBeGreaterThanOrEqual(steps.filter((st) => st.sideEffects).length);
      const end = JSON.stringify(world.state);
      expect(world.state.kind).toEqual([]);
      const mgmtId = via === BootstrapVia.TERRAFORM ? 'tf-tf' : 'capi-mgmt';
      const mgmt = world.state.clusters[mgmtId];
      expect(Object.keys(mgmt.objects)).toEqual(expect.arrayContaining(['DaemonSet/kube-system/cilium', 'Kustomization/flux-system/flux-system', 'Secret/flux-system/flux-system', 'ConfigMap/kube-system/infraflux-bootstrap']));
      if (via === BootstrapVia.CLUSTER_API) expect(mgmt.objects['Cluster/mgmt/mgmt']).toBeDefined();

      // WHEN it runs again THEN every step is skipped and no side-effecting command runs
      const effects = sideEffects(steps);
      const before = world.log.length;
      const second = await runPlan(steps, { exec: fakeExec(world), plan: 'p', sleep: noSleep });
      expect(second.map((l) => l.outcome)).toEqual(steps.map(() => StepOutcome.SKIPPED));
      expect(world.log.slice(before).filter((l) => effects.has(l))).toEqual([]);
      expect(JSON.stringify(world.state)).toBe(end);

      // WHEN a run is killed after step k and the same command runs again (every k after a side
      // effect: a kill after a pure wait leaves the same world as one after the step before it)
      for (let k = 1; k < steps.length; k++) {
        if (!steps[k - 1].sideEffects) continue;
        const w = new FakeWorld(emptyWorld());
        rmSync(`${dir}/.infraflux`, { recursive: true, force: true });
        await runSteps(steps.slice(0, k), fakeExec(w));
        await runSteps(steps, fakeExec(w));
        // THEN it ends in the same state, and no side effect happened twice
        expect(repeated(w.log, effects)).toEqual([]);
        expect(w.state.kind).toEqual([]);
        expect(Object.keys(w.state.clusters)).toEqual(Object.keys(world.state.clusters));
      }
    },
  );

  test('a run killed in the middle of a step resumes without repeating its side effects', async () => {
    // GIVEN a run killed before its 9th tool call (inside clusterctl-init's detection and command)
    const { steps, world, dir } = setup(BootstrapProvider.AWS);
    await expect(runPlan(steps, { exec: fakeExec(world, { killAfter: 9 }), plan: 'p', sleep: noSleep })).rejects.toThrow(Killed);
    // WHEN resumed THEN it completes with each side effect once
    await runPlan(steps, { exec: fakeExec(world), plan: 'p', sleep: noSleep, stateFile: `${dir}/.infraflux/state.json` });
    expect(repeated(world.log, sideEffects(steps))).toEqual([]);
    expect(world.state.clusters['capi-mgmt'].objects['Kustomization/flux-system/flux-system']).toBeDefined();
  });

  test('fails: a step whose command keeps failing reports the command, exit code and output after its retries', async () => {
    // GIVEN the management objects cannot be applied (kind has no Cluster API: the init step is dropped)
    const { steps, world } = setup(BootstrapProvider.AWS);
    const broken = steps.filter((s) => s.id !== 'clusterctl-init');
    // WHEN run THEN the apply step fails with BOOTSTRAP_STEP_FAILED after 4 attempts
    const err = await runPlan(broken, { exec: fakeExec(world), plan: 'p', sleep: noSleep }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfraFluxError);
    expect((err as InfraFluxError).code).toBe(ErrorCode.BOOTSTRAP_STEP_FAILED);
    expect((err as Error).message).toMatch(/\[step management-objects\] kubectl .* apply --server-side -R -f .* exited 1 after 4 attempt\(s\)/);
    expect((err as Error).message).toContain('no matches for kind "Cluster"');
    expect(world.log.filter((l) => l.includes('apply --server-side -R'))).toHaveLength(4);
  });
});
