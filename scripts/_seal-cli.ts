/**
 * The seal command (scripts/seal.ts is its CLI): seals secret values offline for a cluster's Sealed Secrets controller and
 * prints the SealedSecret YAML (or only `encryptedData` with --raw) on stdout. Plaintext is never
 * printed or logged. See docs/runbooks/sealed-secrets.md.
 *
 *   terraform output -raw cloudflare_token | npm run -s seal -- --cluster mgmt \
 *     --name cloudflare-api-token --namespace cert-manager --from-stdin token
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { InfraFluxError } from '../lib/core/errors';
import { seal, SealingCertificate, SealingScope, SecretType } from '../lib/secrets/seal';

const USAGE = `usage: npm run -s seal -- (--cert <pem> | --cluster <name>) --name <name> --namespace <ns>
         [--scope strict|namespace-wide|cluster-wide] [--type <secret type>] [--raw] [--allow-expired-cert] [--out <file>]
         (--from-literal key=value | --from-file key=path | --from-stdin key)...

  --cert <pem>          the cluster's public sealing certificate (kubeseal --fetch-cert)
  --cluster <name>      shorthand for --cert clusters/<name>/sealed-secrets.pem (repository convention)
  --name, --namespace   where the SealedSecret and its Secret live (bound into the ciphertext in strict scope)
  --scope               default strict
  --type                Secret type of the created Secret, default Opaque
  --from-literal k=v    a value on the command line (visible in shell history and ps: prefer the others)
  --from-file k=path    the bytes of a file
  --from-stdin k        the bytes read from stdin, as-is (terraform output -raw …, printf '%s' …)
  --raw                 print only the encryptedData map, not the SealedSecret
  --allow-expired-cert  seal with an expired certificate (only if the controller still holds its key)
  --out <file>          write the output to <file> (created with its folders, replaced only on success)
                        instead of stdout: the sealed files SealedData.fromFile() reads at synth`;

/** A usage error: printed with the usage text. */
class UsageError extends Error {}

function repoRoot(): string {
  return resolve(__dirname, '..');
}

/** Path of the committed public certificate of `cluster`. */
function clusterCertPath(cluster: string): string {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(cluster)) throw new UsageError(`--cluster "${cluster}" is not a cluster name (DNS-1123 label)`);
  return join(repoRoot(), 'clusters', cluster, 'sealed-secrets.pem');
}

function splitPair(flag: string, value: string): [string, string] {
  const at = value.indexOf('=');
  // Never echo the value: it may be the secret itself.
  if (at <= 0) throw new UsageError(`${flag} needs key=${flag === '--from-file' ? 'path' : 'value'} (the key before the first '=')`);
  return [value.slice(0, at), value.slice(at + 1)];
}

/** Reads the piped stdin of the process (the CLI's source for --from-stdin). */
export async function readProcessStdin(): Promise<Buffer> {
  if (process.stdin.isTTY) throw new UsageError('--from-stdin reads the value from a pipe, but stdin is a terminal; pipe the value in (terraform output -raw … | npm run -s seal -- …)');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function run(argv: string[], readStdin: () => Promise<Buffer>): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      cert: { type: 'string' },
      cluster: { type: 'string' },
      name: { type: 'string' },
      namespace: { type: 'string' },
      scope: { type: 'string' },
      type: { type: 'string' },
      'from-literal': { type: 'string', multiple: true },
      'from-file': { type: 'string', multiple: true },
      'from-stdin': { type: 'string' },
      raw: { type: 'boolean' },
      'allow-expired-cert': { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return `${USAGE}\n`;
  if (positionals.length) throw new UsageError(`unexpected argument(s): ${positionals.length} positional value(s); every input needs its flag`);
  if (!values.cert === !values.cluster) throw new UsageError('give exactly one of --cert <pem> or --cluster <name>');
  if (!values.name) throw new UsageError('--name is required');
  if (!values.namespace) throw new UsageError('--namespace is required');

  const data: Record<string, Buffer> = {};
  const add = (key: string, value: Buffer, from: string) => {
    if (key in data) throw new UsageError(`key "${key}" is given twice (again by ${from})`);
    data[key] = value;
  };
  for (const literal of values['from-literal'] ?? []) {
    const [key, value] = splitPair('--from-literal', literal);
    add(key, Buffer.from(value, 'utf8'), '--from-literal');
  }
  for (const file of values['from-file'] ?? []) {
    const [key, path] = splitPair('--from-file', file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new UsageError(`--from-file ${key}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    add(key, bytes, '--from-file');
  }
  const stdinKey = values['from-stdin'];
  if (stdinKey !== undefined) {
    const bytes = await readStdin();
    if (bytes.length === 0) throw new UsageError(`--from-stdin ${stdinKey}: stdin was empty (did the command before the pipe fail?)`);
    add(stdinKey, bytes, '--from-stdin');
  }
  if (Object.keys(data).length === 0) throw new UsageError('nothing to seal; give --from-literal, --from-file or --from-stdin');

  const certificate = SealingCertificate.fromFile(values.cert ?? clusterCertPath(values.cluster as string));
  const sealed = seal({
    certificate,
    name: values.name,
    namespace: values.namespace,
    scope: values.scope === undefined ? SealingScope.strict() : SealingScope.fromName(values.scope),
    data,
    allowExpiredCertificate: values['allow-expired-cert'] ?? false,
  });
  for (const value of Object.values(data)) value.fill(0);
  const out = values.raw ? { ...sealed.encryptedData } : sealed.toManifest(values.type ? { type: SecretType.of(values.type) } : {});
  const text = stringify(out, { lineWidth: 0 });
  if (values.out === undefined) return text;
  // Written next to the target, then renamed: a failed run never leaves a truncated file behind.
  const target = resolve(values.out);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(`${target}.tmp`, text);
  renameSync(`${target}.tmp`, target);
  return '';
}

/** What one `npm run -s seal -- …` run prints and exits with. */
export interface SealCliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * One run of the seal command: its exit status (0, 1 for a sealing error, 2 for bad usage) and its
 * output. Exported so tests run it in-process; scripts/seal.ts is the CLI around it.
 */
export async function sealCli(argv: string[], readStdin: () => Promise<Buffer> = readProcessStdin): Promise<SealCliResult> {
  try {
    return { status: 0, stdout: await run(argv, readStdin), stderr: '' };
  } catch (e) {
    if (e instanceof UsageError) return { status: 2, stdout: '', stderr: `seal: ${e.message}\n\n${USAGE}\n` };
    if (e instanceof InfraFluxError) return { status: 1, stdout: '', stderr: `seal: ${e.message} (${e.code})\n` };
    if (e instanceof Error && 'code' in e && String((e as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) {
      return { status: 2, stdout: '', stderr: `seal: ${e.message}\n\n${USAGE}\n` };
    }
    // Unexpected: print the message only, never an object dump that could hold input bytes.
    return { status: 1, stdout: '', stderr: `seal: unexpected error: ${e instanceof Error ? e.message : 'unknown'}\n` };
  }
}
