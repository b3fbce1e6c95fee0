/**
 * Platform APIs with Crossplane v2: `apiextensions.crossplane.io/v2` CompositeResourceDefinitions
 * (namespaced XRs: in v2 they replace claims), Pipeline-mode Compositions, the cluster-wide
 * ProviderConfigs they use, and composite resources (XRs) that consume them (decision 0074).
 * @see https://docs.crossplane.io/latest/composition/composite-resource-definitions/
 */
import Ajv from 'ajv';
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  Composition as CompositionObject,
  CompositionSpecMode,
  CompositeResourceDefinitionV2,
  CompositeResourceDefinitionV2SpecScope,
} from '../../imports/crossplane-apiextensions.crossplane.io';
import { addCodedValidation, ErrorCode, InfraFluxError, invalidProp, validateDnsLabel, validateDnsSubdomain } from '../core/errors';
import { GitOpsCluster, LayerName } from '../flux/gitops-cluster';
import { ReconcileTiming } from '../flux/kustomization';
import { ManifestBackedConstruct } from '../flux/manifest-app';
import { SecretKeyReference } from '../secrets/secret-reference';
import { Validation } from '../validation/exemption';
import { ICrossplane, requireCrossplaneOnCluster } from './crossplane';
import { CrossplaneFunction, CrossplanePackages, CrossplaneProvider } from './packages';

/** An XRD is Established: Crossplane has created the XR's CRD and serves the kind. */
export const XRD_ESTABLISHED_EXPR = "status.conditions.exists(e, e.type == 'Established' && e.status == 'True')";

/** Annotation on an XR naming the connection Secret its Composition writes in the XR's namespace (read by the reconcile model). */
export const CONNECTION_SECRET_ANNOTATION = 'infraflux.io/connection-secret';

export interface CrossplaneApisProps extends ReconcileTiming {
  readonly crossplane: ICrossplane;
  /** The packages (providers, functions) the Compositions and ProviderConfigs use: Healthy first. */
  readonly packages: CrossplanePackages;
  /**
   * App name (Kustomization and release folder) and its namespace (no pods).
   * @default 'crossplane-apis'
   */
  readonly name?: string;
}

/**
 * The platform APIs of a cluster as one Flux app, applied once the packages are Healthy: the
 * cluster-wide ProviderConfigs (their kinds come with the provider packages), the XRDs (health
 * check: Established) and their Compositions. Composite resources that use the APIs depend on it.
 */
export class CrossplaneApis extends ManifestBackedConstruct {
  public readonly crossplane: ICrossplane;
  public readonly packages: CrossplanePackages;
  /** @internal */
  public readonly _xrds: CompositeResourceDefinition[] = [];

  public constructor(scope: Construct, id: string, props: CrossplaneApisProps) {
    super(scope, id);
    requireCrossplaneOnCluster(this, props.crossplane);
    const here = GitOpsCluster.of(this).name;
    if (GitOpsCluster.of(props.packages).name !== here) {
      throw new InfraFluxError(ErrorCode.CROSSPLANE_NOT_INSTALLED, this, `names the packages ${props.packages.node.path} of cluster "${GitOpsCluster.of(props.packages).name}"; the APIs of cluster "${here}" need that cluster's own CrossplanePackages`);
    }
    this.crossplane = props.crossplane;
    this.packages = props.packages;
    this.createApp({
      ...props,
      name: props.name ?? 'crossplane-apis',
      healthCheckExprs: [{ apiVersion: CompositeResourceDefinitionV2.GVK.apiVersion, kind: CompositeResourceDefinitionV2.GVK.kind, current: XRD_ESTABLISHED_EXPR }],
    });
    if (this.app.layer.layerName === LayerName.CRDS) {
      throw new InfraFluxError(ErrorCode.WRONG_LAYER, this, 'CrossplaneApis must be created in the controllers, configs or apps layer, not "crds"');
    }
    this.addDependency(props.packages);
  }

  /**
   * A cluster-wide ProviderConfig of `provider`'s family (e.g. `aws.m.upbound.io/v1beta1`
   * ClusterProviderConfig) reading its credentials from `credentials` (a key of a Secret the fleet
   * delivers: SealedSecret, ExternalSecret or a declared input).
   */
  public addProviderConfig(id: string, props: ProviderConfigProps): ApiObject {
    const kind = props.provider.providerConfig;
    if (!kind) invalidProp(this, `provider ${props.provider.name} serves no ProviderConfig kind; pass the family provider (its providerConfig prop)`);
    const name = validateDnsSubdomain(this, 'ProviderConfig name', props.name ?? 'default');
    props.credentials.use(this, `${kind.kind} ${name} spec.credentials.secretRef`);
    const obj = new ApiObject(this.content, id, {
      apiVersion: kind.apiVersion,
      kind: kind.kind,
      metadata: { name },
      spec: {
        credentials: {
          source: 'Secret',
          secretRef: { namespace: props.credentials.secret.namespace, name: props.credentials.secret.name, key: props.credentials.key },
        },
      },
    });
    Validation.exempt(
      obj,
      `the ${kind.kind} CRD ships inside the provider package ${props.provider.image}, which the spec pack does not pin; the object follows crossplane-runtime's ProviderConfig credentials selector (source Secret, secretRef namespace/name/key)`,
    );
    return obj;
  }
}

export interface ProviderConfigProps {
  /** The family provider that serves the ProviderConfig kind. */
  readonly provider: CrossplaneProvider;
  /** The credentials file (for AWS: an INI `[default]` profile with an access key). */
  readonly credentials: SecretKeyReference;
  /**
   * Name; Compositions' managed resources name it in `providerConfigRef`.
   * @default 'default'
   */
  readonly name?: string;
}

/** An XRD: a platform API composite resources are made of. */
export interface ICompositeResourceDefinition extends IConstruct {
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  /** `<group>/<version>`. */
  readonly apiVersion: string;
  /** The XRD's `spec` schema (openAPIV3Schema of the XR's `spec`). */
  readonly specSchema: Readonly<Record<string, unknown>>;
  /** Defined by no object of this fleet (installed by a Configuration package or by hand). */
  readonly installedElsewhere: boolean;
  /** Suffix of the connection Secret `<xr-name>-<suffix>` its Compositions write; undefined if none. */
  readonly connectionSecretSuffix?: string;
  /** @internal */
  _addComposition(c: Composition): void;
  /** @internal */
  readonly _compositions: readonly Composition[];
}

export interface CompositeResourceDefinitionProps {
  /** API group, e.g. `platform.infraflux.io`. */
  readonly group: string;
  /** Kind of the XR, e.g. `Bucket`. */
  readonly kind: string;
  /**
   * Plural (the XR CRD's resource name).
   * @default - the kind in lowercase + "s"
   */
  readonly plural?: string;
  /**
   * Served and referenceable version.
   * @default 'v1alpha1'
   */
  readonly version?: string;
  /** OpenAPI v3 schema of the XR's `spec` (`type: object`). */
  readonly specSchema: Readonly<Record<string, unknown>>;
  /**
   * OpenAPI v3 schema of the XR's `status`.
   * @default - none
   */
  readonly statusSchema?: Readonly<Record<string, unknown>>;
  /**
   * The connection Secret `<xr-name>-<suffix>` the Compositions write in the XR's namespace.
   * @default - none
   */
  readonly connectionSecretSuffix?: string;
}

const KIND = /^[A-Z][A-Za-z0-9]*$/;
const VERSION = /^v\d+((alpha|beta)\d+)?$/;

/**
 * An `apiextensions.crossplane.io/v2` CompositeResourceDefinition, scope `Namespaced` (v2's
 * default: XRs live in the consumer's namespace; only `LegacyCluster` XRDs may offer claims, so
 * InfraFlux offers none). Created in a {@link CrossplaneApis}. Primary object: the XRD.
 */
export class CompositeResourceDefinition extends Construct implements ICompositeResourceDefinition {
  /** An XRD that this fleet does not define (a Configuration package's, or applied by hand). */
  public static fromApi(scope: Construct, id: string, api: { readonly group: string; readonly kind: string; readonly version: string; readonly specSchema?: Readonly<Record<string, unknown>> }): ICompositeResourceDefinition {
    return new ImportedXrd(scope, id, api);
  }

  public readonly group: string;
  public readonly kind: string;
  public readonly version: string;
  public readonly plural: string;
  public readonly specSchema: Readonly<Record<string, unknown>>;
  public readonly installedElsewhere = false;
  public readonly connectionSecretSuffix?: string;
  public readonly resource: CompositeResourceDefinitionV2;
  public readonly apis: CrossplaneApis;
  private readonly compositions: Composition[] = [];

  public constructor(apis: CrossplaneApis, id: string, props: CompositeResourceDefinitionProps) {
    super(apis.content, id);
    this.apis = apis;
    this.group = validateDnsSubdomain(this, 'group', props.group);
    if (!this.group.includes('.')) invalidProp(this, `group "${props.group}" must contain a dot (e.g. platform.example.com)`);
    if (!KIND.test(props.kind)) invalidProp(this, `kind "${props.kind}" must be UpperCamelCase (e.g. Bucket)`);
    this.kind = props.kind;
    this.version = props.version ?? 'v1alpha1';
    if (!VERSION.test(this.version)) invalidProp(this, `version "${this.version}" must look like v1, v1beta1 or v1alpha1`);
    this.plural = validateDnsLabel(this, 'plural', props.plural ?? `${props.kind.toLowerCase()}s`);
    if (props.specSchema.type !== 'object') invalidProp(this, 'specSchema must be an object schema (type: object)');
    this.specSchema = props.specSchema;
    if (props.connectionSecretSuffix !== undefined) validateDnsLabel(this, 'connectionSecretSuffix', props.connectionSecretSuffix);
    this.connectionSecretSuffix = props.connectionSecretSuffix;
    const properties: Record<string, unknown> = { spec: props.specSchema };
    if (props.statusSchema) properties.status = props.statusSchema;
    this.resource = new CompositeResourceDefinitionV2(this, 'Resource', {
      metadata: { name: `${this.plural}.${this.group}` },
      spec: {
        group: this.group,
        names: { kind: this.kind, plural: this.plural },
        scope: CompositeResourceDefinitionV2SpecScope.NAMESPACED,
        versions: [{ name: this.version, served: true, referenceable: true, schema: { openApiv3Schema: { type: 'object', properties } } }],
      },
    });
    this.node.defaultChild = this.resource;
    apis._xrds.push(this);
  }

  public get apiVersion(): string {
    return `${this.group}/${this.version}`;
  }

  public _addComposition(c: Composition): void {
    this.compositions.push(c);
  }

  public get _compositions(): readonly Composition[] {
    return [...this.compositions];
  }
}

class ImportedXrd extends Construct implements ICompositeResourceDefinition {
  public readonly group: string;
  public readonly kind: string;
  public readonly version: string;
  public readonly specSchema: Readonly<Record<string, unknown>>;
  public readonly installedElsewhere = true;
  public readonly connectionSecretSuffix = undefined;
  private readonly compositions: Composition[] = [];

  public constructor(scope: Construct, id: string, api: { readonly group: string; readonly kind: string; readonly version: string; readonly specSchema?: Readonly<Record<string, unknown>> }) {
    super(scope, id);
    this.group = validateDnsSubdomain(this, 'group', api.group);
    if (!KIND.test(api.kind)) invalidProp(this, `kind "${api.kind}" must be UpperCamelCase`);
    this.kind = api.kind;
    this.version = api.version;
    this.specSchema = api.specSchema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }

  public get apiVersion(): string {
    return `${this.group}/${this.version}`;
  }

  public _addComposition(c: Composition): void {
    this.compositions.push(c);
  }

  public get _compositions(): readonly Composition[] {
    return [...this.compositions];
  }
}

/** One step of a Pipeline Composition. */
export interface CompositionStep {
  /** Step name (unique in the pipeline). */
  readonly step: string;
  /** The function package it runs. */
  readonly function: CrossplaneFunction;
  /** The function's input (for function-patch-and-transform: see {@link patchAndTransform}). */
  readonly input: Readonly<Record<string, unknown>>;
}

/** One composed resource of function-patch-and-transform's `Resources` input. */
export interface ComposedResource {
  readonly name: string;
  readonly base: Readonly<Record<string, unknown>>;
  readonly patches?: readonly Readonly<Record<string, unknown>>[];
}

/**
 * The input of a function-patch-and-transform step (`pt.fn.crossplane.io/v1beta1` Resources).
 * @see https://github.com/crossplane-contrib/function-patch-and-transform#readme
 */
export function patchAndTransform(resources: readonly ComposedResource[]): Record<string, unknown> {
  return {
    apiVersion: 'pt.fn.crossplane.io/v1beta1',
    kind: 'Resources',
    resources: resources.map((r) => ({ name: r.name, base: r.base, ...(r.patches?.length ? { patches: r.patches } : {}) })),
  };
}

export interface CompositionProps {
  /** The XRD whose XRs it composes. Must be defined on the same cluster (or imported). */
  readonly xrd: ICompositeResourceDefinition;
  /**
   * Object name.
   * @default - `<plural-or-kind lowercase>.<group>` of the XRD, e.g. `buckets.platform.infraflux.io`
   */
  readonly name?: string;
  /** The function pipeline (Crossplane v2 has no `mode: Resources`). */
  readonly pipeline: readonly CompositionStep[];
}

/**
 * An `apiextensions.crossplane.io/v1` Composition in Pipeline mode (the only mode in v2). Checks
 * at synth that its XRD and every function it runs are on its cluster. Primary object: the Composition.
 */
export class Composition extends Construct {
  public readonly name: string;
  public readonly xrd: ICompositeResourceDefinition;
  public readonly resource: CompositionObject;

  public constructor(apis: CrossplaneApis, id: string, props: CompositionProps) {
    super(apis.content, id);
    this.xrd = props.xrd;
    this.name = validateDnsSubdomain(this, 'name', props.name ?? `${props.xrd.kind.toLowerCase()}s.${props.xrd.group}`);
    if (props.pipeline.length === 0) invalidProp(this, 'pipeline has no steps; a Pipeline Composition runs at least one function');
    const steps = new Set<string>();
    for (const s of props.pipeline) {
      validateDnsLabel(this, 'pipeline step', s.step);
      if (steps.has(s.step)) invalidProp(this, `pipeline step "${s.step}" appears twice`);
      steps.add(s.step);
    }
    this.resource = new CompositionObject(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        compositeTypeRef: { apiVersion: props.xrd.apiVersion, kind: props.xrd.kind },
        mode: CompositionSpecMode.PIPELINE,
        pipeline: props.pipeline.map((s) => ({ step: s.step, functionRef: { name: s.function.name }, input: s.input })),
      },
    });
    this.node.defaultChild = this.resource;
    props.xrd._addComposition(this);
    const cluster = GitOpsCluster.of(this).name;
    addCodedValidation(this, () => {
      const errors: InfraFluxError[] = [];
      if (!props.xrd.installedElsewhere && GitOpsCluster.of(props.xrd).name !== cluster) {
        errors.push(new InfraFluxError(ErrorCode.CROSSPLANE_XRD_NOT_ON_CLUSTER, this, `composes ${props.xrd.apiVersion} ${props.xrd.kind}, whose XRD (${props.xrd.node.path}) is defined on cluster "${GitOpsCluster.of(props.xrd).name}", not "${cluster}"; define the XRD on this cluster or import it with CompositeResourceDefinition.fromApi()`));
      }
      for (const s of props.pipeline) {
        if (GitOpsCluster.of(s.function).name !== cluster) {
          errors.push(new InfraFluxError(ErrorCode.CROSSPLANE_NOT_INSTALLED, this, `step "${s.step}" runs function ${s.function.name}, which is installed on cluster "${GitOpsCluster.of(s.function).name}", not "${cluster}"`));
        }
      }
      return errors;
    });
  }
}

export interface CompositeResourceProps {
  /** The platform API (XRD). */
  readonly api: ICompositeResourceDefinition;
  /** Name of the XR. */
  readonly name: string;
  /** Namespace of the XR (v2 XRs are namespaced: the consumer's namespace). */
  readonly namespace: string;
  /** The XR's `spec`, checked against the XRD's schema at synth. */
  readonly spec: Readonly<Record<string, unknown>>;
}

/**
 * A namespaced composite resource (XR) of a platform API: Crossplane v2's replacement for a claim.
 * Its spec is checked against the XRD's schema when it is created (the XR's CRD is generated by
 * Crossplane from the XRD at runtime, so no pinned schema exists for it); it must be on a cluster
 * that defines the XRD (or imports it) and has a Composition for it. Primary object: the XR.
 */
export class CompositeResource extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly api: ICompositeResourceDefinition;
  public readonly resource: ApiObject;
  /** The connection Secret its Composition writes; undefined when the API has none. */
  public readonly connectionSecretName?: string;

  public constructor(scope: Construct, id: string, props: CompositeResourceProps) {
    super(scope, id);
    this.api = props.api;
    this.name = validateDnsLabel(this, 'name', props.name);
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace);
    checkSpec(this, props.api, props.spec);
    this.connectionSecretName = props.api.connectionSecretSuffix ? `${this.name}-${props.api.connectionSecretSuffix}` : undefined;
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: props.api.apiVersion,
      kind: props.api.kind,
      metadata: {
        name: this.name,
        namespace: this.namespace,
        ...(this.connectionSecretName ? { annotations: { [CONNECTION_SECRET_ANNOTATION]: this.connectionSecretName } } : {}),
      },
      spec: props.spec,
    });
    this.node.defaultChild = this.resource;
    Validation.exempt(this.resource, `an XR of ${props.api.apiVersion} ${props.api.kind}: Crossplane generates its CRD from the XRD at runtime; its spec was checked against the XRD's schema by CompositeResource (INFRAFLUX_CROSSPLANE_XR_SPEC)`);
    const cluster = GitOpsCluster.of(this).name;
    // Derived dependsOn: the XR's Kustomization starts once the XRD's (Established) is Ready.
    if (!props.api.installedElsewhere && GitOpsCluster.of(props.api).name === cluster) GitOpsCluster.of(this).addDependency(this, props.api);
    addCodedValidation(this, () => {
      const errors: InfraFluxError[] = [];
      if (!props.api.installedElsewhere && GitOpsCluster.of(props.api).name !== cluster) {
        errors.push(new InfraFluxError(ErrorCode.CROSSPLANE_XRD_NOT_ON_CLUSTER, this, `is a ${props.api.kind} of ${props.api.apiVersion}, whose XRD (${props.api.node.path}) is defined on cluster "${GitOpsCluster.of(props.api).name}", not "${cluster}"; the kind is never served here`));
      } else if (!props.api.installedElsewhere && !props.api._compositions.some((c) => GitOpsCluster.of(c).name === cluster)) {
        errors.push(new InfraFluxError(ErrorCode.CROSSPLANE_NO_COMPOSITION, this, `is a ${props.api.kind} of ${props.api.apiVersion}, which has no Composition on cluster "${cluster}"; Crossplane would never compose it (add a Composition for the XRD)`));
      }
      return errors;
    });
  }
}

/** Makes an XRD schema strict the way Kubernetes structural schemas are: unknown fields are errors unless preserved. */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith('x-kubernetes-')) continue;
    out[k] = k === 'properties' && typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).map(([p, ps]) => [p, strict(ps)])) : k === 'items' ? strict(v) : v;
  }
  if (s.type === 'object' && s.properties && s.additionalProperties === undefined && s['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false });

function checkSpec(scope: Construct, api: ICompositeResourceDefinition, spec: Readonly<Record<string, unknown>>): void {
  const validate = ajv.compile(strict(api.specSchema) as object);
  if (validate(spec)) return;
  const problems = (validate.errors ?? []).map((e) => {
    const at = e.instancePath || '/';
    if (e.keyword === 'additionalProperties') return `${at}: unknown field "${String((e.params as { additionalProperty: string }).additionalProperty)}"`;
    return `${at}: ${e.message ?? e.keyword}`;
  });
  throw new InfraFluxError(ErrorCode.CROSSPLANE_XR_SPEC, scope, `spec does not fit the ${api.kind} API (${api.apiVersion}): ${problems.join('; ')}`);
}
