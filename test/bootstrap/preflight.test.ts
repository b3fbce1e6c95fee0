import { rmSync } from 'node:fs';
import { BootstrapProvider, Command, Exec, ExecResult, preflightChecks, PreflightContext, runPreflight, VersionConstraint } from '../../lib/bootstrap';
import { ErrorCode, InfraFluxError } from '../../lib/core/errors';
import { emptyWorld, fakeExec, FakeWorld } from './fake/toolchain';
import { fixtureDir, fixtureTarget, GOOD_ENV } from './_fixture';

let dir: string;
beforeAll(() => (dir = fixtureDir()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A good machine: every tool at a supported version, credentials, delegation, disk, port, ack. */
function context(over: Partial<PreflightContext> & { readonly versions?: Record<string, string>; readonly missing?: readonly string[] } = {}): PreflightContext {
  const env = over.env ?? GOOD_ENV;
  const world = new FakeWorld(emptyWorld(over.versions), env);
  const inner = fakeExec(world);
  const exec: Exec = {
    run: (c: Command): Promise<ExecResult> => (over.missing?.includes(c.program) ? Promise.resolve({ code: 127, stdout: '', stderr: 'not found' }) : inner.run(c)),
  };
  return {
    exec,
    env,
    resolveNs: async () => ['ada.ns.cloudflare.com', 'bob.ns.cloudflare.com'],
    diskFreeBytes: () => 50 * 1024 ** 3,
    portFree: async () => true,
    bgpPeeringApproved: true,
    ...over,
  };
}

const target = (provider = BootstrapProvider.AWS) => fixtureTarget(dir, provider, undefined, { bgp: true, dnsZone: 'example.com' });

async function problems(ctx: PreflightContext, provider = BootstrapProvider.AWS): Promise<string[]> {
  const err = await runPreflight(preflightChecks(target(provider)), ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err === undefined) return [];
  expect(err).toBeInstanceOf(InfraFluxError);
  expect((err as InfraFluxError).code).toBe(ErrorCode.BOOTSTRAP_PREFLIGHT_FAILED);
  return (err as InfraFluxError).problems.map((p) => p.message);
}

describe('preflight', () => {
  test.each(BootstrapProvider.all().map((p) => [p.name, p] as const))('%s: a good machine passes every check', async (_n, provider) => {
    // GIVEN every tool, credential, delegation and input WHEN the preflight runs THEN nothing fails
    expect(await problems(context(), provider)).toEqual([]);
  });

  test('fails: a missing CLI, a wrong version, a missing credential and an undelegated zone are reported together', async () => {
    // GIVEN talosctl absent, clusterctl of another minor, no AWS credentials, a zone delegated elsewhere,
    // no BGP acknowledgement, the kind port taken and too little disk
    const env = { ...GOOD_ENV, AWS_B64ENCODED_CREDENTIALS: undefined };
    const ctx = context({
      env,
      missing: ['talosctl'],
      versions: { clusterctl: 'v1.11.3' },
      resolveNs: async () => ['ns1.registrar.example.net'],
      bgpPeeringApproved: false,
      portFree: async () => false,
      diskFreeBytes: () => 2 * 1024 ** 3,
    });
    // WHEN the preflight runs THEN one error lists every problem with its fix
    const found = await problems(ctx);
    expect(found).toEqual([
      expect.stringMatching(/^\[preflight\/tools\] clusterctl 1\.11\.3 is not supported \(needs v1\.12\.x\); fix: install clusterctl v1\.12\.x/),
      expect.stringMatching(/^\[preflight\/tools\] talosctl is not on PATH; fix: install talosctl v1\.12\.x/),
      expect.stringMatching(/^\[preflight\/credentials\] AWS_B64ENCODED_CREDENTIALS is not set .*fix: export AWS_B64ENCODED_CREDENTIALS=\$\(clusterawsadm/),
      expect.stringMatching(/^\[preflight\/dns\] example\.com is delegated to ns1\.registrar\.example\.net, not to Cloudflare; fix: set example\.com's nameservers/),
      expect.stringMatching(/^\[preflight\/bgp\] .*fix: .*--bgp-peering-approved/),
      expect.stringMatching(/^\[preflight\/kind\] only 2\.0 GiB free/),
      expect.stringMatching(/^\[preflight\/kind\] port 127\.0\.0\.1:46443 .* is in use/),
    ]);
  });

  test('fails: credentials that the provider rejects (the read-only call fails)', async () => {
    // GIVEN AWS credentials the fake STS refuses WHEN checked THEN the call and the variables are named
    expect(await problems(context({ env: { ...GOOD_ENV, AWS_B64ENCODED_CREDENTIALS: 'bad' } }))).toEqual([
      expect.stringMatching(/\[preflight\/credentials\] the read-only call aws sts get-caller-identity --output json failed \(exit 254: An error occurred \(InvalidClientTokenId\)\)/),
    ]);
  });

  test('fails: a Proxmox token the API refuses, checked without the token in argv', async () => {
    // GIVEN a bad Proxmox secret WHEN checked THEN curl fails, and the secret is never an argument
    const calls: Command[] = [];
    const ctx = context({ env: { ...GOOD_ENV, PROXMOX_SECRET: 'bad' } });
    const spy: Exec = { run: (c) => (calls.push(c), ctx.exec.run(c)) };
    expect(await problems({ ...ctx, exec: spy }, BootstrapProvider.PROXMOX)).toEqual([expect.stringMatching(/\[preflight\/credentials\] the read-only call curl .*\/api2\/json\/version <<EOF … EOF failed/)]);
    expect(calls.flatMap((c) => c.args).some((a) => a.includes('bad'))).toBe(false);
  });

  test('fails: a Cloudflare token that is not active', async () => {
    // GIVEN a token Cloudflare rejects WHEN checked THEN the DNS-01 token check fails with its fix
    expect(await problems(context({ env: { ...GOOD_ENV, CLOUDFLARE_API_TOKEN: 'revoked' } }))).toEqual([
      expect.stringMatching(/\[preflight\/dns-token\] Cloudflare does not accept CLOUDFLARE_API_TOKEN as an active token; fix: create an API token with Zone:Read and DNS:Edit/),
    ]);
  });

  test('fails: a declared external input without its file, or without any supplier', async () => {
    // GIVEN the deploy key missing and a second declared input nothing supplies
    const t = fixtureTarget(dir, BootstrapProvider.AWS, undefined, {
      suppliers: [{ input: 'Secret/flux-system/flux-system', files: [`${dir}/inputs/absent-key`], commands: () => [] }],
      externalInputs: [
        { kind: 'Secret', namespace: 'flux-system', name: 'flux-system', consumer: 'GitRepository', providedBy: 'the operator', command: 'flux create secret git …' },
        { kind: 'ConfigMap', namespace: 'x', name: 'y', consumer: 'z', providedBy: 'the site', command: 'kubectl create configmap y' },
      ],
    });
    // WHEN checked THEN both are reported, with the declared command as the fix
    const err = (await runPreflight(preflightChecks(t), context()).catch((e: unknown) => e)) as InfraFluxError;
    expect(err.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/\[preflight\/external-inputs\] .*absent-key does not exist \(needed for Secret flux-system\/flux-system/),
      expect.stringMatching(/\[preflight\/external-inputs\] nothing in this bootstrap provides the declared external input ConfigMap x\/y .*fix: .*kubectl create configmap y/),
    ]);
  });
});

describe('VersionConstraint', () => {
  test('same minor, minimum and skew windows', () => {
    // GIVEN the three kinds of constraint WHEN versions are tested THEN only the supported ones pass
    expect(['v1.12.0', 'v1.12.11', '1.12.30'].map((v) => VersionConstraint.sameMinor('v1.12.11').allows(v))).toEqual([true, true, true]);
    expect(['v1.11.9', 'v1.13.0', 'garbage'].map((v) => VersionConstraint.sameMinor('v1.12.11').allows(v))).toEqual([false, false, false]);
    expect(['1.33.9', '1.34.0', '1.36.2', '1.37.0'].map((v) => VersionConstraint.minorSkew('1.35.4', 1).allows(v))).toEqual([false, true, true, false]);
    expect(['v0.26.0', 'v0.27.0', 'v1.0.0'].map((v) => VersionConstraint.atLeast('v0.27.0').allows(v))).toEqual([false, true, true]);
    expect(`${VersionConstraint.minorSkew('1.35.4', 1)} ${VersionConstraint.sameMinor('v1.12.11')} ${VersionConstraint.atLeast('v0.27.0')}`).toBe('1.34-1.36 v1.12.x >= v0.27.0');
  });
});
