import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  ExternalSecret as ExternalSecretBinding,
  ExternalSecretSpecDataFrom,
  ExternalSecretSpecDataFromSourceRefGeneratorRefKind,
  ExternalSecretSpecRefreshPolicy,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
} from '../../imports/external-secrets-external-secrets.io';
import { goDuration } from '../core/duration';
import { ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { IFluxApp } from '../flux/flux-app';
import { GitOpsCluster } from '../flux/gitops-cluster';
import { OutputFolder } from '../flux/output-folder';
import { SecretReference } from './secret-reference';
import { IPasswordGenerator } from './password-generator';
import { ISecretStore, SecretStoreKind } from './secret-store';
import { SecretKeyReference } from './secret-reference';

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** When the operator re-reads the backend (`spec.refreshPolicy`). */
export enum RefreshPolicy {
  /** Every `refreshInterval` (rotation at the source reaches the cluster within one interval). */
  PERIODIC = 'Periodic',
  /** Once, when the Secret is created; never again (a generated value that must stay stable). */
  CREATED_ONCE = 'CreatedOnce',
  /** Only when the ExternalSecret changes (or is annotated `force-sync`). */
  ON_CHANGE = 'OnChange',
}

/** Who owns the target Secret (`spec.target.creationPolicy`). */
export enum CreationPolicy {
  /** The operator creates the Secret and owns it: deleting the ExternalSecret deletes it. */
  OWNER = 'Owner',
  /** The operator creates the Secret but does not own it. */
  ORPHAN = 'Orphan',
  /** The Secret exists already; the operator merges keys into it. */
  MERGE = 'Merge',
}

/** What happens to the target Secret when the data disappears at the source (`spec.target.deletionPolicy`). */
export enum DeletionPolicy {
  /** Keep the last value (a backend outage or a deleted key does not break the consumer). */
  RETAIN = 'Retain',
  /** Delete the Secret. */
  DELETE = 'Delete',
  /** Remove the keys, keep the Secret. */
  MERGE = 'Merge',
}

/** One key of the target Secret, read from one backend secret (`spec.data[]`). */
export interface ExternalSecretData {
  /** Key in the target Secret. */
  readonly secretKey: string;
  /** Name (path) of the secret in the backend. */
  readonly remoteKey: string;
  /**
   * A property of a JSON/KV secret.
   * @default - the whole value
   */
  readonly property?: string;
  /**
   * Backend version of the secret.
   * @default - the latest
   */
  readonly version?: string;
}

/** Keys read in bulk (`spec.dataFrom[]`). */
export class ExternalSecretDataFrom {
  /** Every property of the JSON/KV secret `remoteKey` becomes a key. */
  public static extract(remoteKey: string): ExternalSecretDataFrom {
    return new ExternalSecretDataFrom({ extract: { key: remoteKey } }, undefined, remoteKey);
  }
  /** The keys a generator produces (a {@link PasswordGenerator}: `password`). Generated again on every refresh. */
  public static generator(generator: IPasswordGenerator): ExternalSecretDataFrom {
    return new ExternalSecretDataFrom(
      { sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: generator.generatorKind as ExternalSecretSpecDataFromSourceRefGeneratorRefKind, name: generator.generatorName } } },
      generator,
      undefined,
    );
  }
  private constructor(
    /** @internal */
    public readonly _spec: ExternalSecretSpecDataFrom,
    /** @internal */
    public readonly _generator: IPasswordGenerator | undefined,
    /** @internal */
    public readonly _remoteKey: string | undefined,
  ) {}
}

/** A value of the target Secret's template: a key of the fetched data, or text. */
export class TemplateValue {
  /** The fetched key `key` (`{{ index . "key" }}`); must be a `data` key of the ExternalSecret. */
  public static key(key: string): TemplateValue {
    return new TemplateValue(`{{ index . ${JSON.stringify(key)} }}`, [key]);
  }
  /** Literal text (not a secret), template delimiters escaped. */
  public static literal(text: string): TemplateValue {
    return new TemplateValue(text.replace(/\{\{/g, '{{ "{{" }}'), []);
  }
  /**
   * A Go template (engine v2, sprig functions), e.g. a config file embedding several keys.
   * @param usesKeys the fetched keys it reads, checked against `data`
   * @see https://external-secrets.io/latest/guides/templating/
   */
  public static template(text: string, usesKeys: readonly string[] = []): TemplateValue {
    return new TemplateValue(text, [...usesKeys]);
  }
  private constructor(
    /** The template text. */
    public readonly text: string,
    /** Fetched keys the value reads. */
    public readonly keys: readonly string[],
  ) {}
}

/** The target Secret's shape (`spec.target.template`). */
export interface ExternalSecretTemplate {
  /**
   * Secret type.
   * @default 'Opaque'
   */
  readonly type?: string;
  /** Keys of the target Secret and their values. Without it, the fetched keys are copied as they are. */
  readonly data?: Readonly<Record<string, TemplateValue>>;
  /** @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ExternalSecretProps {
  /** The store the values come from; the ExternalSecret waits for it. */
  readonly store: ISecretStore;
  /**
   * Namespace of the ExternalSecret and of its Secret.
   * @default - the namespace of the app, with {@link ExternalSecret.forApp}; required otherwise
   */
  readonly namespace?: string;
  /**
   * `metadata.name` of the ExternalSecret.
   * @default - the target name
   */
  readonly name?: string;
  /** Name of the Secret the operator writes (`spec.target.name`), a DNS-1123 subdomain. */
  readonly targetName: string;
  /**
   * How often the backend is read again.
   * @default Duration.hours(1)
   */
  readonly refreshInterval?: Duration;
  /** @default RefreshPolicy.PERIODIC */
  readonly refreshPolicy?: RefreshPolicy;
  /** @default CreationPolicy.OWNER */
  readonly creationPolicy?: CreationPolicy;
  /** @default DeletionPolicy.RETAIN */
  readonly deletionPolicy?: DeletionPolicy;
  /** @default [] */
  readonly data?: readonly ExternalSecretData[];
  /** @default [] */
  readonly dataFrom?: readonly ExternalSecretDataFrom[];
  /** @default - the fetched keys, in an Opaque Secret */
  readonly template?: ExternalSecretTemplate;
}

/**
 * An `ExternalSecret` (`external-secrets.io/v1`): the operator reads the named backend secrets
 * through `store` and writes the Secret `targetName`, re-read every `refreshInterval`. The Secret
 * is exposed as {@link secretRef} (provenance: external). Never carries a value.
 * Place it where its consumer is applied: {@link ExternalSecret.forApp} puts it in the app's own
 * folder (same Kustomization, same namespace), after the store's layer.
 * @see https://external-secrets.io/latest/api/externalsecret/
 */
export class ExternalSecret extends Construct {
  /**
   * An ExternalSecret applied with `app` (in its release folder and namespace), so the Secret
   * exists before the app's Kustomization is Ready and the app waits for the store.
   */
  public static forApp(app: IFluxApp, id: string, props: ExternalSecretProps): ExternalSecret {
    if (!app.helmRelease) invalidProp(app, 'is installed elsewhere; an ExternalSecret for it must be created in the tree that installs it');
    if (props.namespace !== undefined && props.namespace !== app.namespace) {
      invalidProp(app, `ExternalSecret ${id} namespace "${props.namespace}" differs from the app's namespace "${app.namespace}"`);
    }
    // In the app's folder, the ExternalSecret's Flux unit is the app: its dependency on the store is the app's.
    return new ExternalSecret(OutputFolder.of(app.helmRelease), id, { ...props, namespace: app.namespace });
  }

  /** `metadata.name` of the ExternalSecret. */
  public readonly name: string;
  public readonly namespace: string;
  /** Name of the Secret the operator writes. */
  public readonly targetName: string;
  /** The Secret the operator writes (provenance: ExternalSecret). */
  public readonly secretRef: SecretReference;
  /** Keys of the target Secret, when known at synth (template keys, else `data` keys; undefined with dataFrom only). */
  public readonly keys: readonly string[] | undefined;
  /** The generated ExternalSecret (escape hatch). */
  public readonly resource: ExternalSecretBinding;

  public constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    this.targetName = validateDnsSubdomain(this, 'targetName', props.targetName);
    this.name = validateDnsSubdomain(this, 'name', props.name ?? props.targetName);
    if (props.namespace === undefined) invalidProp(this, 'namespace is required (or create it with ExternalSecret.forApp(app, ...))');
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace);
    const refreshInterval = goDuration(props.refreshInterval ?? Duration.hours(1), this);
    const store = props.store;
    if (store.storeKind === SecretStoreKind.SECRET_STORE && store.storeNamespace !== this.namespace) {
      invalidProp(this, `SecretStore ${store.storeNamespace}/${store.storeName} serves namespace "${store.storeNamespace}" only, not "${this.namespace}"; use a ClusterSecretStore`);
    }
    const data = props.data ?? [];
    const dataFrom = props.dataFrom ?? [];
    if (data.length === 0 && dataFrom.length === 0) invalidProp(this, 'has neither data nor dataFrom; give at least one backend secret to read');
    const seen = new Set<string>();
    for (const d of data) {
      checkSecretKey(this, 'data secretKey', d.secretKey);
      if (seen.has(d.secretKey)) throw new InfraFluxError(ErrorCode.DUPLICATE, this, `data secretKey "${d.secretKey}" appears twice`);
      seen.add(d.secretKey);
      if (d.remoteKey.trim() === '') invalidProp(this, `data "${d.secretKey}" has an empty remoteKey`);
    }
    for (const f of dataFrom) {
      if (f._remoteKey !== undefined && f._remoteKey.trim() === '') invalidProp(this, 'dataFrom extract has an empty remoteKey');
      if (f._generator && f._generator.namespace !== this.namespace) {
        invalidProp(this, `generator ${f._generator.namespace}/${f._generator.generatorName} is in another namespace; a Password generator serves ExternalSecrets of its own namespace ("${this.namespace}")`);
      }
    }
    const template = props.template;
    for (const [key, value] of Object.entries(template?.data ?? {})) {
      checkSecretKey(this, 'template key', key);
      // Keys from dataFrom are known only at runtime: the check is possible with data alone.
      if (dataFrom.length === 0) {
        for (const k of value.keys) if (!seen.has(k)) invalidProp(this, `template key "${key}" reads "${k}", which is not a data secretKey (${[...seen].join(', ')})`);
      }
    }
    this.keys = template?.data ? Object.keys(template.data).sort() : dataFrom.length === 0 ? [...seen].sort() : undefined;

    this.resource = new ExternalSecretBinding(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        secretStoreRef: {
          kind: store.storeKind === SecretStoreKind.CLUSTER_SECRET_STORE ? ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE : ExternalSecretSpecSecretStoreRefKind.SECRET_STORE,
          name: store.storeName,
        },
        refreshInterval,
        refreshPolicy: (props.refreshPolicy ?? RefreshPolicy.PERIODIC) as unknown as ExternalSecretSpecRefreshPolicy,
        target: {
          name: this.targetName,
          creationPolicy: (props.creationPolicy ?? CreationPolicy.OWNER) as unknown as ExternalSecretSpecTargetCreationPolicy,
          deletionPolicy: (props.deletionPolicy ?? DeletionPolicy.RETAIN) as unknown as ExternalSecretSpecTargetDeletionPolicy,
          ...(template
            ? {
                template: {
                  engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
                  type: template.type ?? 'Opaque',
                  ...(template.labels || template.annotations
                    ? { metadata: { ...(template.labels ? { labels: { ...template.labels } } : {}), ...(template.annotations ? { annotations: { ...template.annotations } } : {}) } }
                    : {}),
                  ...(template.data ? { data: Object.fromEntries(Object.entries(template.data).map(([k, v]) => [k, v.text])) } : {}),
                },
              }
            : {}),
        },
        ...(data.length
          ? {
              data: data.map((d) => ({
                secretKey: d.secretKey,
                remoteRef: { key: d.remoteKey, ...(d.property ? { property: d.property } : {}), ...(d.version ? { version: d.version } : {}) },
              })),
            }
          : {}),
        ...(dataFrom.length ? { dataFrom: dataFrom.map((f) => f._spec) } : {}),
      },
    });
    this.node.defaultChild = this.resource;
    const cluster = GitOpsCluster.of(this);
    cluster.addDependency(this, store);
    for (const f of dataFrom) if (f._generator) cluster.addDependency(this, f._generator);
    this.secretRef = SecretReference.fromExternalSecret(this.targetName, this.namespace, this, this.keys);
  }

  /** The key `key` of the target Secret; refuses a key it will not have (when the keys are known). */
  public key(key: string): SecretKeyReference {
    return this.secretRef.key(key);
  }
}

function checkSecretKey(scope: IConstruct, what: string, key: string): void {
  if (!SECRET_KEY.test(key) || key.length > 253) invalidProp(scope, `${what} "${key}" is not a valid Secret key; use letters, digits, '-', '_' and '.'`);
}
