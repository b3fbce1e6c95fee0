/**
 * Entry point of hack/bootstrap.sh, hack/destroy.sh and hack/verify.sh: the reference fleet's
 * targets (stacks/bootstrap.ts) on the real machine (processes, DNS, Docker's disk, ports).
 *   npx tsx hack/cli.ts bootstrap|destroy|verify [flags]
 */
import { join } from 'node:path';
import { rendererFor, runCli, spawnExec } from '../lib/bootstrap';
import { buildReferenceFleet } from '../stacks/fleet';
import { BOOTSTRAP_WORKDIR, referenceBootstrapTarget } from '../stacks/bootstrap';
import { CiliumNetworking } from '../lib/networking';

async function main(): Promise<number> {
  const [command = '', ...args] = process.argv.slice(2);
  const fleet = buildReferenceFleet();
  return runCli(command, args, {
    exec: spawnExec(process.env),
    env: process.env,
    out: (text) => process.stdout.write(`${text}\n`),
    renderer: rendererFor(process.stdout),
    target: (provider, via) => referenceBootstrapTarget(provider, via, fleet),
    cluster: (name) => ({
      kubeconfig: join(BOOTSTRAP_WORKDIR, `${name}.kubeconfig`),
      bgp: fleet.node.findAll().some((c) => c instanceof CiliumNetworking && c.clusterName === name && c.capabilities.some((s) => s.capability === 'bgp' && s.enabled)),
    }),
  });
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
