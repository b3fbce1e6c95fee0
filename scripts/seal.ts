/**
 * `npm run -s seal -- …`: seals secret values offline for a cluster's Sealed Secrets controller and
 * prints the SealedSecret YAML (or only `encryptedData` with --raw) on stdout, or writes it with
 * --out. Plaintext is never printed or logged. The command itself is scripts/_seal-cli.ts; see
 * docs/runbooks/sealed-secrets.md.
 *
 *   terraform output -raw cloudflare_token | npm run -s seal -- --cluster mgmt \
 *     --name cloudflare-api-token --namespace cert-manager --from-stdin token
 */
import { sealCli } from './_seal-cli';

// `npm run seal` without -s echoes the command line (with any --from-literal value) on stdout,
// before this script starts: say so, so nobody commits that banner or pipes it on.
if (process.env.npm_lifecycle_event === 'seal' && process.env.npm_config_loglevel !== 'silent') {
  process.stderr.write('seal: warning: npm printed the command line on stdout above the YAML; use `npm run -s seal -- …`, and prefer --from-stdin/--from-file to --from-literal\n');
}

void sealCli(process.argv.slice(2)).then(({ status, stdout, stderr }) => {
  process.stdout.write(stdout);
  process.stderr.write(stderr);
  process.exitCode = status;
});
