import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';

/**
 * Bytes as the library returns them: a Node.js Buffer at runtime, typed without Node's type
 * definitions so that the package's declarations compile in a project without @types/node.
 */
export type Bytes = Uint8Array & { toString(encoding?: 'utf8' | 'hex' | 'base64'): string };
import { existsSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { SealedSecret as SealedSecretBinding, type SealedSecretProps as SealedSecretBindingProps } from '../../imports/sealed-secrets-bitnami.com';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { framingProblem, hybridDecrypt, hybridEncrypt } from './_hybrid';

/** Annotation that makes the controller decrypt with the namespace-wide label (upstream `SealedSecretNamespaceWideAnnotation`). */
export const NAMESPACE_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/namespace-wide';
/** Annotation that makes the controller decrypt with the empty, cluster-wide label (upstream `SealedSecretClusterWideAnnotation`). */
export const CLUSTER_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/cluster-wide';

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Minimum RSA modulus we seal to; the controller generates 4096-bit keys by default. */
const MIN_RSA_BITS = 2048;

/**
 * Where a sealed value may be decrypted. The scope is chosen at sealing time: it selects the
 * RSA-OAEP label bound into the ciphertext, and the SealedSecret must carry the matching annotation
 * so the controller decrypts with the same label.
 * @see https://github.com/bitnami-labs/sealed-secrets#scopes
 */
export class SealingScope {
  /** Bound to the name and namespace (label `namespace/name`). The default of kubeseal and of InfraFlux. */
  public static strict(): SealingScope {
    return SealingScope.STRICT;
  }

  /** Bound to the namespace only (label `namespace`): the SealedSecret may be renamed within it. */
  public static namespaceWide(): SealingScope {
    return SealingScope.NAMESPACE_WIDE;
  }

  /** Not bound (empty label): anyone who can create a SealedSecret anywhere in the cluster can decrypt it. */
  public static clusterWide(): SealingScope {
    return SealingScope.CLUSTER_WIDE;
  }

  /** The scope named like kubeseal's `--scope` flag: `strict`, `namespace-wide` or `cluster-wide`. */
  public static fromName(name: string): SealingScope {
    const found = [SealingScope.STRICT, SealingScope.NAMESPACE_WIDE, SealingScope.CLUSTER_WIDE].find((s) => s.name === name);
    if (!found) invalidProp('SealingScope', `scope "${name}" is unknown; use strict, namespace-wide or cluster-wide`);
    return found;
  }

  private static readonly STRICT = new SealingScope('strict', true, true, undefined);
  private static readonly NAMESPACE_WIDE = new SealingScope('namespace-wide', true, false, NAMESPACE_WIDE_ANNOTATION);
  private static readonly CLUSTER_WIDE = new SealingScope('cluster-wide', false, false, CLUSTER_WIDE_ANNOTATION);

  private constructor(
    /** kubeseal's name for the scope. */
    public readonly name: string,
    /** Whether the ciphertext only opens in the namespace it was sealed for. */
    public readonly bindsNamespace: boolean,
    /** Whether the ciphertext only opens under the name it was sealed for. */
    public readonly bindsName: boolean,
    private readonly annotation: string | undefined,
  ) {}

  /** The RSA-OAEP label, as upstream `EncryptionLabel(namespace, name, scope)`. */
  public label(namespace: string, name: string): Bytes {
    if (this.bindsName) return Buffer.from(`${namespace}/${name}`, 'utf8');
    if (this.bindsNamespace) return Buffer.from(namespace, 'utf8');
    return Buffer.alloc(0);
  }

  /** The annotations a SealedSecret of this scope carries (none for strict), as upstream `UpdateScopeAnnotations`. */
  public annotations(): Record<string, string> {
    return this.annotation ? { [this.annotation]: 'true' } : {};
  }

  public toString(): string {
    return this.name;
  }
}

/**
 * A cluster's public sealing certificate (what `kubeseal --fetch-cert` prints, or the certificate of a
 * bring-your-own key pair). Only the public key is used; it must be RSA, like the controller's.
 * The repository convention is `clusters/<cluster>/sealed-secrets.pem` (docs/runbooks/sealed-secrets.md).
 */
export class SealingCertificate {
  /** Reads the first certificate of PEM text. `source` names it in errors (a file path). */
  public static fromPem(pem: string | Uint8Array, source = 'certificate'): SealingCertificate {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch (e) {
      throw new InfraFluxError(ErrorCode.SEALING_CERTIFICATE_INVALID, source, `is not a PEM X.509 certificate (${(e as Error).message}); give the output of \`kubeseal --fetch-cert\` or the tls.crt of the sealing key Secret`);
    }
    return new SealingCertificate(cert, source);
  }

  /** Reads the certificate in the PEM file `path`. */
  public static fromFile(path: string): SealingCertificate {
    let pem: Buffer;
    try {
      pem = readFileSync(path);
    } catch (e) {
      throw new InfraFluxError(ErrorCode.SEALING_CERTIFICATE_INVALID, path, `cannot be read: ${(e as Error).message}`);
    }
    return SealingCertificate.fromPem(pem, path);
  }

  /**
   * The RSA public key of the certificate (a Node.js `KeyObject`).
   * @internal
   */
  public readonly publicKey: KeyObject;
  /** End of the certificate's validity. */
  public readonly notAfter: Date;
  /** SHA-256 fingerprint of the certificate (`AB:CD:…`), to say which key sealed a value. */
  public readonly fingerprintSha256: string;
  /** RSA modulus length in bits. */
  public readonly modulusBits: number;

  private constructor(cert: X509Certificate, public readonly source: string) {
    const key = cert.publicKey;
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (key.asymmetricKeyType !== 'rsa' || bits < MIN_RSA_BITS) {
      const found = key.asymmetricKeyType === 'rsa' ? `a ${bits}-bit RSA key` : `an ${(key.asymmetricKeyType ?? 'unknown').toUpperCase()} key`;
      throw new InfraFluxError(ErrorCode.SEALING_KEY_UNSUPPORTED, source, `holds ${found}; the Sealed Secrets controller only decrypts with RSA-OAEP, use an RSA key of at least ${MIN_RSA_BITS} bits (it generates 4096)`);
    }
    this.publicKey = key;
    this.modulusBits = bits;
    this.notAfter = new Date(cert.validTo);
    this.fingerprintSha256 = cert.fingerprint256;
  }

  /** Whether the certificate has expired at `at`. */
  public isExpired(at: Date = new Date()): boolean {
    return at.getTime() > this.notAfter.getTime();
  }
}

/** Byte or text data to seal: key of the Secret → value. Text is encoded as UTF-8. */
export type SecretData = Readonly<Record<string, string | Uint8Array>>;

export interface SealOptions {
  /** The cluster's public sealing certificate. */
  readonly certificate: SealingCertificate;
  /** `metadata.name` of the SealedSecret and of the Secret the controller creates (DNS-1123 subdomain). */
  readonly name: string;
  /** Namespace of the SealedSecret and of the Secret (DNS-1123 label). */
  readonly namespace: string;
  /**
   * Where the ciphertext may be decrypted.
   * @default SealingScope.strict()
   */
  readonly scope?: SealingScope;
  /** The plaintext: Secret key → value. Never logged; only the ciphertext leaves this function. */
  readonly data: SecretData;
  /**
   * Seal with an expired certificate anyway. kubeseal refuses expired certificates; the controller
   * still decrypts with the key (expiry is not checked on decryption), so this is an explicit,
   * deliberate choice, e.g. while a rotation is under way.
   * @default false
   */
  readonly allowExpiredCertificate?: boolean;
  /**
   * The time the certificate's expiry is checked against.
   * @default - now
   */
  readonly now?: Date;
}

/** Where sealed data may be decrypted: recorded at sealing time, checked by the SealedSecret construct. */
export interface SealingTarget {
  readonly name: string;
  readonly namespace: string;
  readonly scope: SealingScope;
}

/**
 * Type of the Secret the controller creates. The built-in types carry the keys the API server
 * requires of them, so a SealedSecret whose Secret would be rejected is refused at synth.
 * @see https://kubernetes.io/docs/concepts/configuration/secret/#secret-types
 */
export class SecretType {
  /** Arbitrary user data. */
  public static readonly OPAQUE = new SecretType('Opaque', [], false);
  /** `tls.crt` + `tls.key`. */
  public static readonly TLS = new SecretType('kubernetes.io/tls', ['tls.crt', 'tls.key'], true);
  /** `.dockerconfigjson`. */
  public static readonly DOCKER_CONFIG_JSON = new SecretType('kubernetes.io/dockerconfigjson', ['.dockerconfigjson'], true);
  /** `username` and/or `password`. */
  public static readonly BASIC_AUTH = new SecretType('kubernetes.io/basic-auth', ['username', 'password'], false);
  /** `ssh-privatekey`. */
  public static readonly SSH_AUTH = new SecretType('kubernetes.io/ssh-auth', ['ssh-privatekey'], true);

  /** Any other type string (e.g. `helm.sh/release.v1`); its keys are not checked. */
  public static of(type: string): SecretType {
    if (type.trim() === '') invalidProp('SecretType', 'type is empty; give a Secret type such as Opaque');
    const builtIn = [SecretType.OPAQUE, SecretType.TLS, SecretType.DOCKER_CONFIG_JSON, SecretType.BASIC_AUTH, SecretType.SSH_AUTH].find((t) => t.value === type);
    return builtIn ?? new SecretType(type, [], false);
  }

  private constructor(
    /** The `type` string. */
    public readonly value: string,
    private readonly keys: readonly string[],
    private readonly allKeysRequired: boolean,
  ) {}

  /** What the API server would reject in a Secret of this type with `keys`, or undefined. */
  public missingKeys(keys: readonly string[]): string | undefined {
    if (this.keys.length === 0) return undefined;
    if (this.allKeysRequired) {
      const missing = this.keys.filter((k) => !keys.includes(k));
      return missing.length ? `needs the key(s) ${missing.join(', ')}` : undefined;
    }
    return this.keys.some((k) => keys.includes(k)) ? undefined : `needs at least one of the keys ${this.keys.join(', ')}`;
  }
}

/** Metadata and type of the Secret the controller creates from a SealedSecret (`spec.template`). */
export interface SealedSecretTemplate {
  /**
   * Secret type.
   * @default SecretType.OPAQUE
   */
  readonly type?: SecretType;
  /**
   * Labels of the Secret.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations of the Secret. The scope annotations are set from the sealing scope and may not be given.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Make the Secret immutable.
   * @default false
   */
  readonly immutable?: boolean;
}

/** @internal The binding props of a SealedSecret for `data` at `name`/`namespace`; `where` names the caller in errors. */
export function sealedSecretProps(data: SealedData, name: string, namespace: string, template: SealedSecretTemplate, where: string): SealedSecretBindingProps {
  const owned = [NAMESPACE_WIDE_ANNOTATION, CLUSTER_WIDE_ANNOTATION, 'kubectl.kubernetes.io/last-applied-configuration'];
  for (const key of Object.keys(template.annotations ?? {})) {
    if (owned.includes(key)) invalidProp(where, `template annotation "${key}" may not be set by hand; the scope annotations follow the sealing scope (${data.scope}) and last-applied-configuration would copy secrets in clear`);
  }
  const type = template.type ?? SecretType.OPAQUE;
  const missing = type.missingKeys(data.keys);
  if (missing) invalidProp(where, `a ${type.value} Secret ${missing}; the sealed data has ${data.keys.join(', ')}`);
  const scopeAnnotations = data.scope.annotations();
  const annotations = { ...sorted(template.annotations ?? {}), ...scopeAnnotations };
  const labels = sorted(template.labels ?? {});
  return {
    metadata: { name, namespace, ...(Object.keys(scopeAnnotations).length ? { annotations: scopeAnnotations } : {}) },
    spec: {
      encryptedData: { ...data.encryptedData },
      template: {
        metadata: {
          name,
          namespace,
          ...(Object.keys(labels).length ? { labels } : {}),
          ...(Object.keys(annotations).length ? { annotations } : {}),
        },
        type: type.value,
        ...(template.immutable ? { immutable: true } : {}),
      },
    },
  };
}

/**
 * Ciphertext for one SealedSecret and the target it was sealed for (name, namespace, scope): the
 * `SealedSecret` construct refuses a target the controller could not decrypt. Holds no plaintext.
 */
export class SealedData {
  /**
   * Data sealed elsewhere (e.g. `kubeseal --raw` output committed to the repository), with the target
   * it was sealed for. The ciphertext cannot prove its target; the values are checked for the
   * Sealed Secrets framing only.
   */
  public static fromEncrypted(target: SealingTarget, encryptedData: Readonly<Record<string, string>>): SealedData {
    const where = `sealed data ${target.namespace}/${target.name}`;
    checkTarget(where, target.name, target.namespace);
    checkKeys(where, Object.keys(encryptedData));
    for (const [key, value] of Object.entries(encryptedData)) {
      if (!BASE64.test(value)) invalidProp(where, `encryptedData "${key}" is not standard base64; give the value kubeseal printed`);
      const problem = framingProblem(Buffer.from(value, 'base64'));
      if (problem) invalidProp(where, `encryptedData "${key}" is not a Sealed Secrets value: it ${problem}`);
    }
    return new SealedData(target, encryptedData, undefined);
  }

  /**
   * Reads a SealedSecret manifest committed to the repository (what `npm run -s seal -- … --out <path>`
   * writes): the target from `metadata.name`/`namespace` and the scope annotations, the ciphertext
   * from `spec.encryptedData` (checked like {@link fromEncrypted}). Synthesis only reads: it never
   * seals, so its output is deterministic. The file's `spec.template` is not read; give the Secret
   * type to the `SealedSecret` construct.
   * @param options.command the command that creates the file, printed when it is missing
   *   (build it with {@link sealCommand})
   * @throws {@link ErrorCode.SEALED_FILE_MISSING} when the file does not exist,
   *   {@link ErrorCode.SEALED_FILE_INVALID} when it is not one SealedSecret manifest
   */
  public static fromFile(path: string, options: { readonly command?: string } = {}): SealedData {
    if (!existsSync(path)) {
      const how = options.command ? `create it with:\n  ${options.command}` : 'create it with `npm run -s seal -- … --out <file>` (docs/runbooks/sealed-secrets.md)';
      throw new InfraFluxError(ErrorCode.SEALED_FILE_MISSING, path, `sealed file does not exist; synth reads sealed values, it never seals. ${how}`);
    }
    const invalid = (why: string): never => {
      throw new InfraFluxError(ErrorCode.SEALED_FILE_INVALID, path, `${why}; give the SealedSecret that \`npm run -s seal\` prints (not --raw)${options.command ? `, e.g.\n  ${options.command}` : ''}`);
    };
    let docs: unknown[];
    try {
      docs = parseAllDocuments(readFileSync(path, 'utf8')).map((d) => {
        if (d.errors.length) throw new Error(d.errors[0].message);
        return d.toJS() as unknown;
      }).filter((d) => d !== null && d !== undefined);
    } catch (e) {
      return invalid(`is not YAML (${(e as Error).message})`);
    }
    if (docs.length !== 1) return invalid(`holds ${docs.length} YAML documents, not one SealedSecret`);
    const doc = docs[0] as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown; annotations?: Record<string, unknown> }; spec?: { encryptedData?: unknown } };
    if (typeof doc !== 'object' || doc.apiVersion !== SealedSecretBinding.GVK.apiVersion || doc.kind !== SealedSecretBinding.GVK.kind) {
      return invalid(`is not a ${SealedSecretBinding.GVK.apiVersion} SealedSecret`);
    }
    const name = doc.metadata?.name;
    const namespace = doc.metadata?.namespace;
    if (typeof name !== 'string' || typeof namespace !== 'string') return invalid('has no metadata.name and metadata.namespace');
    const annotations = doc.metadata?.annotations ?? {};
    const scope = annotations[CLUSTER_WIDE_ANNOTATION] === 'true' ? SealingScope.clusterWide() : annotations[NAMESPACE_WIDE_ANNOTATION] === 'true' ? SealingScope.namespaceWide() : SealingScope.strict();
    const encrypted = doc.spec?.encryptedData;
    if (typeof encrypted !== 'object' || encrypted === null || Array.isArray(encrypted) || Object.values(encrypted).some((v) => typeof v !== 'string')) {
      return invalid('has no spec.encryptedData map of strings');
    }
    return SealedData.fromEncrypted({ name, namespace, scope }, encrypted as Record<string, string>);
  }

  /** @internal */
  public static sealed(target: SealingTarget, encryptedData: Record<string, string>, fingerprint: string): SealedData {
    return new SealedData(target, encryptedData, fingerprint);
  }

  /** The Secret name the data was sealed for. */
  public readonly name: string;
  /** The namespace the data was sealed for. */
  public readonly namespace: string;
  /** The scope the data was sealed with. */
  public readonly scope: SealingScope;
  /** Secret key → base64 ciphertext (`spec.encryptedData`), keys sorted. */
  public readonly encryptedData: Readonly<Record<string, string>>;

  private constructor(
    target: SealingTarget,
    encryptedData: Readonly<Record<string, string>>,
    /** SHA-256 fingerprint of the certificate used, when sealed by {@link seal}. */
    public readonly certificateFingerprint: string | undefined,
  ) {
    this.name = target.name;
    this.namespace = target.namespace;
    this.scope = target.scope;
    this.encryptedData = Object.freeze(sorted(encryptedData));
  }

  /** The Secret keys. */
  public get keys(): string[] {
    return Object.keys(this.encryptedData);
  }

  /**
   * The SealedSecret object for this data at the target it was sealed for, as kubeseal writes it
   * (scope annotations on the object and on the template).
   */
  public toManifest(template: SealedSecretTemplate = {}): Record<string, unknown> {
    return SealedSecretBinding.manifest(sealedSecretProps(this, this.name, this.namespace, template, `sealed data ${this.namespace}/${this.name}`));
  }
}

/**
 * Seals `data` offline for `namespace`/`name` with a cluster's public certificate, in the format the
 * pinned Sealed Secrets controller (v0.36.6) decrypts: each value separately, like
 * `kubeseal --cert <pem>` (upstream `NewSealedSecret` + `HybridEncrypt`).
 * @see docs/decisions/0060-offline-sealing.md
 */
export function seal(options: SealOptions): SealedData {
  const scope = options.scope ?? SealingScope.strict();
  const where = `seal ${options.namespace}/${options.name}`;
  checkTarget(where, options.name, options.namespace);
  const keys = Object.keys(options.data);
  checkKeys(where, keys);
  const cert = options.certificate;
  const now = options.now ?? new Date();
  if (cert.isExpired(now) && !options.allowExpiredCertificate) {
    throw new InfraFluxError(ErrorCode.SEALING_CERTIFICATE_EXPIRED, where, `certificate ${cert.source} expired on ${cert.notAfter.toISOString()}; fetch the cluster's current certificate (kubeseal --fetch-cert), or pass allowExpiredCertificate (--allow-expired-cert) if the controller still holds this key`);
  }
  const label = scope.label(options.namespace, options.name);
  const encryptedData: Record<string, string> = {};
  for (const key of keys.sort()) {
    const value = options.data[key];
    const plaintext = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
    try {
      encryptedData[key] = hybridEncrypt(cert.publicKey, plaintext, label).toString('base64');
    } finally {
      plaintext.fill(0);
    }
  }
  return SealedData.sealed({ name: options.name, namespace: options.namespace, scope }, encryptedData, cert.fingerprintSha256);
}

export interface UnsealOptions {
  /**
   * The cluster's PRIVATE sealing key (PEM, e.g. `tls.key` of the sealing key Secret). Only for tests,
   * recovery and key-rotation runbooks; synthesis never needs or sees it.
   */
  readonly privateKey: string | Uint8Array;
  /** `spec.encryptedData` of the SealedSecret. */
  readonly encryptedData: Readonly<Record<string, string>>;
  /** `metadata.name` of the SealedSecret (part of the label in strict scope). */
  readonly name: string;
  /** `metadata.namespace` of the SealedSecret. */
  readonly namespace: string;
  /** The scope the SealedSecret is annotated with. */
  readonly scope: SealingScope;
}

/**
 * Decrypts a SealedSecret's values like the controller does (label from the SealedSecret's own
 * name, namespace and scope), e.g. to re-seal after a key rotation or to check a leaked value.
 * NEEDS THE CLUSTER'S PRIVATE KEY: never call it from synthesis.
 */
export function unseal(options: UnsealOptions): Record<string, Bytes> {
  const where = `unseal ${options.namespace}/${options.name}`;
  let key: KeyObject;
  try {
    key = createPrivateKey(typeof options.privateKey === 'string' ? options.privateKey : Buffer.from(options.privateKey));
  } catch (e) {
    throw new InfraFluxError(ErrorCode.UNSEAL_FAILED, where, `the private key cannot be read (${(e as Error).message}); give the PEM tls.key of the sealing key Secret`);
  }
  const label = options.scope.label(options.namespace, options.name);
  const out: Record<string, Bytes> = {};
  for (const key_ of Object.keys(options.encryptedData).sort()) {
    try {
      out[key_] = hybridDecrypt(key, Buffer.from(options.encryptedData[key_], 'base64'), label);
    } catch (e) {
      throw new InfraFluxError(ErrorCode.UNSEAL_FAILED, where, `"${key_}" cannot be decrypted with this key as ${options.scope} scope (${(e as Error).message}); the value was sealed with another key, or for another name, namespace or scope`);
    }
  }
  return out;
}

function checkTarget(where: string, name: string, namespace: string): void {
  validateDnsSubdomain(where, 'name', name);
  validateDnsLabel(where, 'namespace', namespace);
}

function checkKeys(where: string, keys: readonly string[]): void {
  if (keys.length === 0) invalidProp(where, 'no data to seal; give at least one key');
  for (const key of keys) {
    if (key.length === 0 || key.length > 253 || !SECRET_KEY.test(key)) {
      invalidProp(where, `Secret key "${key}" is not valid; use 1-253 letters, digits, '-', '_' and '.'`);
    }
  }
}

function sorted<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]]));
}

/**
 * Where one key of a Secret comes from when it is sealed with `npm run seal`: the operator's side
 * of a sealed file, so an error (or a runbook) can print the exact command. Holds no value.
 */
export class SealInput {
  /** The output of a command, piped in as-is (`<command> | npm run -s seal -- … --from-stdin <key>`); at most one per Secret. */
  public static fromCommand(key: string, command: string): SealInput {
    return new SealInput(key, command, undefined);
  }

  /** A Terraform output: `terraform -chdir=<stackDir> output -raw <output>`, piped in. */
  public static terraformOutput(key: string, stackDir: string, output: string): SealInput {
    return new SealInput(key, `terraform -chdir=${stackDir} output -raw ${output}`, undefined);
  }

  /** A file on the operator's workstation (`--from-file <key>=<path>`). */
  public static fromFile(key: string, path: string): SealInput {
    return new SealInput(key, undefined, path);
  }

  private constructor(
    /** The Secret key. */
    public readonly key: string,
    /** Command whose stdout is the value. */
    public readonly command: string | undefined,
    /** File whose bytes are the value. */
    public readonly path: string | undefined,
  ) {}
}

/** What {@link sealCommand} writes the command for. */
export interface SealCommandOptions {
  /** The cluster whose committed certificate seals (`--cluster`, `clusters/<cluster>/sealed-secrets.pem`). */
  readonly cluster: string;
  readonly name: string;
  readonly namespace: string;
  /** @default SealingScope.strict() */
  readonly scope?: SealingScope;
  /** @default SecretType.OPAQUE */
  readonly type?: SecretType;
  /** Where each key comes from. */
  readonly inputs: readonly SealInput[];
  /** The file to write (`--out`), relative to the repository root. */
  readonly out: string;
}

/** The `npm run -s seal -- …` command line that writes a sealed file (for errors and runbooks). */
export function sealCommand(options: SealCommandOptions): string {
  const piped = options.inputs.filter((i) => i.command !== undefined);
  if (piped.length > 1) invalidProp(`seal command ${options.namespace}/${options.name}`, `${piped.length} inputs read stdin (${piped.map((i) => i.key).join(', ')}); at most one can be piped in, give the others as files`);
  const args = [`--cluster ${options.cluster}`, `--name ${options.name}`, `--namespace ${options.namespace}`];
  const scope = options.scope ?? SealingScope.strict();
  if (scope !== SealingScope.strict()) args.push(`--scope ${scope.name}`);
  const type = options.type ?? SecretType.OPAQUE;
  if (type !== SecretType.OPAQUE) args.push(`--type ${type.value}`);
  for (const i of options.inputs) args.push(i.path !== undefined ? `--from-file ${i.key}=${i.path}` : `--from-stdin ${i.key}`);
  args.push(`--out ${options.out}`);
  const seal = `npm run -s seal -- ${args.join(' ')}`;
  return piped.length ? `${piped[0].command} | ${seal}` : seal;
}
