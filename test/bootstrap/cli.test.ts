import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BootstrapProvider, BootstrapVia, Exec, planBootstrap, ProgressRenderer, rendererFor, runCli, runStep, spawnExec } from '../../lib/bootstrap';
import { VersionSet } from '../../lib/versions';
import { referenceBootstrapTarget } from '../../stacks/bootstrap';
import { referenceFleet } from '../support/reference-fleet';
import { emptyWorld, fakeExec, FakeWorld, installFakeBin } from './fake/toolchain';
import { fixtureDir, fixtureTarget, GOOD_ENV } from './_fixture';

let dir: string;
beforeAll(() => (dir = fixtureDir()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An Exec that fails the test if any tool is called (a dry run must need none). */
const noTools: Exec = {
  run: (c) => {
    throw new Error(`dry run called ${c.program}`);
  },
};

describe('hack/bootstrap.sh --dry-run (the reference fleet)', () => {
  test.each(BootstrapProvider.all().map((p) => [p.name, p] as const))('%s: prints the complete ordered plan without any tool', async (_n, provider) => {
    // GIVEN the reference fleet's target, no tool on the machine
    const { fleet } = referenceFleet();
    let out = '';
    // WHEN the dry run is asked for
    const code = await runCli('bootstrap', ['--provider', provider.name, '--dry-run'], { exec: noTools, out: (t) => (out += `${t}\n`), target: (p, v) => referenceBootstrapTarget(p, v, fleet) });
    // THEN it exits 0 with the preflight list and every step with its command and wait
    expect(code).toBe(0);
    expect(out).toContain(`Bootstrap plan: mgmt on ${provider.name} via clusterctl`);
    const v = VersionSet.pinned();
    expect(out).toContain(`clusterctl init --kubeconfig .infraflux/kind.kubeconfig --core cluster-api:${v.capiCore} --bootstrap talos:${v.cabpt} --control-plane talos:${v.cacppt} --infrastructure ${provider.infrastructure.name}:${provider.infrastructure.version(v)}`);
    for (const id of ['kind-create', 'clusterctl-init', 'management-objects', 'control-plane', 'input-kube-system-cilium-ca', 'cni', 'flux-install', 'flux-sync', 'providers-ready', 'clusterctl-move', 'kind-delete']) expect(out).toMatch(new RegExp(`^ *\\d+\\. ${id}: `, 'm'));
    expect(out.match(/waits for:/g)?.length).toBe(out.match(/^ *\d+\. [a-z0-9-]+: /gm)!.length - 8);
  });

  test('the reference target reads the fleet: versions, workload clusters, BGP, the declared inputs', () => {
    // GIVEN the reference fleet WHEN its proxmox target is read
    const t = referenceBootstrapTarget(BootstrapProvider.PROXMOX, BootstrapVia.TERRAFORM, referenceFleet().fleet);
    // THEN it carries the fleet's facts and a supplier (or an after-bootstrap note) for each declared input of mgmt
    expect(t.workloadClusters.map((w) => w.name)).toEqual(['prod-aws', 'prod-azure', 'dev-gcp', 'dev-proxmox', 'edge-metal3']);
    expect(t.bgp).toBe(true);
    expect(t.repositoryUrl).toBe('ssh://git@github.com/infraflux/infraflux.git');
    const keys = t.externalInputs.map((i) => `${i.kind}/${i.namespace ?? ''}/${i.name}`);
    expect(keys.filter((k) => !t.suppliers.some((s) => s.input === k))).toEqual([]);
    expect(t.terraformStack?.dir).toBe('cdktf.out/stacks/proxmox-mgmt');
  });

  test('on AWS the management cluster\'s own Cluster API objects are rendered from a TalosCluster with mgmt\'s networks', () => {
    // GIVEN the reference fleet WHEN the AWS target is read
    const t = referenceBootstrapTarget(BootstrapProvider.AWS, BootstrapVia.CLUSTER_API, referenceFleet().fleet);
    const step = planBootstrap(t).find((s) => s.id === 'management-objects')!;
    // THEN the step writes them to the work folder and applies that file: Cluster, TalosControlPlane,
    // AWSCluster in namespace mgmt, with the controller identity (no Secret needed on kind)
    expect(step.writes?.[0].path).toBe('.infraflux/mgmt-capi.yaml');
    const yaml = step.writes![0].content;
    for (const kind of ['Namespace', 'Cluster', 'TalosControlPlane', 'AWSCluster', 'AWSMachineTemplate']) expect(yaml).toMatch(new RegExp(`^kind: ${kind}$`, 'm'));
    expect(yaml).not.toMatch(/AWSClusterStaticIdentity/);
    expect(step.commands[0].args).toEqual(expect.arrayContaining(['-f', '.infraflux/mgmt-capi.yaml']));
  });

  test('fails: an unknown provider or flag is a usage error (exit 2)', async () => {
    // GIVEN bad arguments WHEN run THEN exit 2 with the usage
    let out = '';
    const io = { exec: noTools, out: (t: string) => (out += t), target: () => fixtureTarget(dir, BootstrapProvider.AWS) };
    expect(await runCli('bootstrap', ['--provider', 'openstack'], io)).toBe(2);
    expect(out).toContain('unknown provider "openstack"; use one of aws, azure, gcp, proxmox, metal3');
    expect(await runCli('destroy', ['--provider', 'aws', '--yes'], io)).toBe(2);
    expect(out).toContain('unknown argument "--yes"');
  });
});

describe('hack/verify.sh', () => {
  async function verify(admitPrivileged: boolean, broken = false): Promise<{ code: number; out: string }> {
    rmSync(`${dir}/.infraflux`, { recursive: true, force: true });
    const target = fixtureTarget(dir, BootstrapProvider.AWS);
    const world = new FakeWorld({ ...emptyWorld(), admitPrivileged });
    for (const s of planBootstrap(target)) await runStep(s, { exec: fakeExec(world), sleep: async () => undefined });
    // A Gateway Service with its address, a route and its certificate (broken: no address, not Ready).
    const objects = world.state.clusters['capi-mgmt'].objects;
    objects['Service/gateway/edge'] = { kind: 'Service', namespace: 'gateway', name: 'edge', spec: { type: 'LoadBalancer' }, status: broken ? {} : { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } } };
    objects['HTTPRoute/podinfo/podinfo'] = { kind: 'HTTPRoute', namespace: 'podinfo', name: 'podinfo', spec: { hostnames: [broken ? 'missing.example.com' : 'podinfo.example.com'] } };
    objects['Certificate/gateway/edge-tls'] = { kind: 'Certificate', namespace: 'gateway', name: 'edge-tls', conditions: { Ready: broken ? 'False' : 'True' } };
    let out = '';
    const code = await runCli('verify', ['--cluster', 'mgmt'], {
      exec: fakeExec(world),
      out: (t) => (out += t),
      target: () => target,
      cluster: () => ({ kubeconfig: target.managementKubeconfig, bgp: true }),
      resolve: async (h: string) => (h.startsWith('missing') ? [] : ['192.0.2.10']),
    });
    return { code, out };
  }

  test('a healthy cluster passes every check and prints the summary table', async () => {
    // GIVEN a bootstrapped cluster whose admission denies privileged pods WHEN verified
    const { code, out } = await verify(false);
    // THEN exit 0 and the table lists each check
    expect(code).toBe(0);
    expect(out).toMatchSnapshot();
  });

  test('fails: a LoadBalancer without an address, an unresolved route host, a certificate not Ready', async () => {
    // GIVEN those three broken WHEN verified THEN each row fails with what is wrong, exit code 1
    const { code, out } = await verify(false, true);
    expect(code).toBe(1);
    expect(out).toMatch(/loadbalancers +FAIL +no address: gateway\/edge/);
    expect(out).toMatch(/dns-records +FAIL +unresolved: missing\.example\.com/);
    expect(out).toMatch(/certificates +FAIL +not Ready: gateway\/edge-tls/);
    expect(out).toContain('3 of 10 checks failed');
  });

  test('fails: a policy that must deny admits a privileged pod', async () => {
    // GIVEN admission lets a privileged pod in WHEN verified THEN that row fails and the exit code is 1
    const { code, out } = await verify(true);
    expect(code).toBe(1);
    expect(out).toMatch(/policy-denies +FAIL +a privileged pod was admitted/);
    expect(out).toContain('1 of 10 checks failed');
  });
});

describe('the fake toolchain as executables on PATH', () => {
  test('spawnExec runs the recorded fake kind: create, detect, kubeconfig file', async () => {
    // GIVEN fake executables on PATH and an empty world
    const bin = join(dir, 'bin');
    const state = join(dir, 'world.json');
    const log = join(dir, 'calls.log');
    installFakeBin(bin, state, log, ['kind', 'kubectl']);
    writeFileSync(state, JSON.stringify(emptyWorld()));
    writeFileSync(log, '');
    mkdirSync(join(dir, '.infraflux'), { recursive: true });
    const exec = spawnExec({ ...process.env, ...GOOD_ENV, NODE_OPTIONS: '', PATH: `${bin}:${process.env.PATH}` });
    const step = planBootstrap(fixtureTarget(dir, BootstrapProvider.AWS))[0];
    // WHEN the kind step runs through real processes
    const log1 = await runStep(step, { exec });
    // THEN the tool was called with the planned argv, the world holds the cluster, and a re-run detects it
    expect(log1.outcome).toBe('done');
    expect(readFileSync(log, 'utf8')).toContain('kind create cluster --name infraflux-bootstrap --config');
    expect((JSON.parse(readFileSync(state, 'utf8')) as { kind: string[] }).kind).toEqual(['infraflux-bootstrap']);
    expect((await runStep(step, { exec })).outcome).toBe('skipped');
    // AND a tool that is not installed is exit code 127 (what the preflight reports as "not on PATH")
    expect((await exec.run({ program: 'infraflux-no-such-tool', args: [] })).code).toBe(127);
  });

  test('progress is live only on a TTY', () => {
    // GIVEN a TTY and a pipe WHEN the renderer is chosen THEN live only for the TTY
    expect(rendererFor({ isTTY: true })).toBe(ProgressRenderer.LIVE);
    expect(rendererFor({})).toBe(ProgressRenderer.LINES);
  });
});
