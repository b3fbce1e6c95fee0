import { rmSync } from 'node:fs';
import { assertCreatedByBootstrap, BootstrapProvider, BootstrapStep, BootstrapVia, cmd, Exec, planBootstrap, planDestroy, runStep, StepOutcome } from '../../lib/bootstrap';
import { ErrorCode, InfraFluxError } from '../../lib/core/errors';
import { emptyWorld, fakeExec, FakeWorld } from './fake/toolchain';
import { fixtureDir, fixtureTarget } from './_fixture';

let dir: string;
beforeAll(() => (dir = fixtureDir()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const noSleep = async (): Promise<void> => undefined;

async function run(steps: readonly BootstrapStep[], exec: Exec): Promise<StepOutcome[]> {
  const out: StepOutcome[] = [];
  for (const s of steps) out.push((await runStep(s, { exec, sleep: noSleep })).outcome);
  return out;
}

/** A bootstrapped world whose management cluster also created the two workload clusters. */
async function bootstrapped(provider: BootstrapProvider, via: BootstrapVia): Promise<FakeWorld> {
  rmSync(`${dir}/.infraflux`, { recursive: true, force: true });
  const target = fixtureTarget(dir, provider, via);
  const world = new FakeWorld(emptyWorld());
  await run(planBootstrap(target), fakeExec(world));
  for (const w of target.workloadClusters) {
    const r = world.run(cmd('kubectl', ['--kubeconfig', target.managementKubeconfig, 'apply', '-f', '-'], { stdin: `apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata:\n  name: ${w.name}\n  namespace: ${w.namespace}\n` }));
    expect(r.code).toBe(0);
  }
  return world;
}

const effects = (steps: readonly BootstrapStep[]): string[] => steps.filter((s) => s.sideEffects).flatMap((s) => s.commands.map((c) => [c.program, ...c.args].join(' ')));

describe('planDestroy', () => {
  test.each([
    ['aws', BootstrapProvider.AWS, BootstrapVia.CLUSTER_API],
    ['proxmox via terraform', BootstrapProvider.PROXMOX, BootstrapVia.TERRAFORM],
  ] as const)('%s: removes everything bootstrap created, in reverse dependency order, and is idempotent', async (_n, provider, via) => {
    // GIVEN a bootstrapped management cluster with two workload clusters
    const world = await bootstrapped(provider, via);
    const target = fixtureTarget(dir, provider, via);
    const steps = planDestroy(target);
    // WHEN destroy runs (after the marker check)
    await assertCreatedByBootstrap(target, fakeExec(world));
    const start = world.log.length;
    await run(steps, fakeExec(world));
    // THEN nothing is left: no kind cluster, no machine cluster, no Terraform state
    expect(world.state.kind).toEqual([]);
    expect(world.state.clusters).toEqual({});
    expect(world.state.terraform).toEqual({});
    // AND the order is: Flux suspended → workloads deleted and gone → (move back to kind) → mgmt → kind
    const log = world.log.slice(start);
    const at = (re: RegExp): number => log.findIndex((l) => re.test(l));
    const order =
      via === BootstrapVia.CLUSTER_API
        ? [/^flux suspend kustomization --all/, /delete clusters\.cluster\.x-k8s\.io prod-aws/, /wait --for=delete clusters\.cluster\.x-k8s\.io\/dev-gcp/, /^kind create cluster/, /^clusterctl init/, /^clusterctl move .*--to-kubeconfig .*kind\.kubeconfig/, /delete clusters\.cluster\.x-k8s\.io mgmt/, /^kind delete cluster/]
        : [/^flux suspend kustomization --all/, /delete clusters\.cluster\.x-k8s\.io prod-aws/, /^terraform -chdir=.* destroy/];
    const positions = order.map(at);
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // WHEN it runs again THEN every step is skipped and no side-effecting command runs
    const again = world.log.length;
    expect(await run(steps, fakeExec(world))).toEqual(steps.map(() => StepOutcome.SKIPPED));
    const e = new Set(effects(steps));
    expect(world.log.slice(again).filter((l) => e.has(l))).toEqual([]);
  });

  test('fails: refuses a cluster it did not create, unless --force', async () => {
    // GIVEN a management kubeconfig pointing at a cluster without the bootstrap marker
    const world = await bootstrapped(BootstrapProvider.AWS, BootstrapVia.CLUSTER_API);
    const target = fixtureTarget(dir, BootstrapProvider.AWS);
    world.run(cmd('kubectl', ['--kubeconfig', target.managementKubeconfig, 'delete', 'configmap', 'infraflux-bootstrap', '-n', 'kube-system']));
    // WHEN destroy checks it THEN it refuses, naming the cluster and the override
    const err = await assertCreatedByBootstrap(target, fakeExec(world)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfraFluxError);
    expect((err as InfraFluxError).code).toBe(ErrorCode.BOOTSTRAP_NOT_CREATED_HERE);
    expect((err as Error).message).toMatch(/management cluster mgmt .* has no ConfigMap kube-system\/infraflux-bootstrap .* pass --force/);
    // AND with --force it proceeds
    await expect(assertCreatedByBootstrap(target, fakeExec(world), true)).resolves.toBeUndefined();
  });
});
