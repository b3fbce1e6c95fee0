import { createHash } from 'node:crypto';
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { invalidProp } from '../../core/errors';
import { TalosConfigPatch } from '../../talos/cilium-machine-config';
import { Cidr, ParsedCidr } from '../cidr';
import { CiliumDatapath } from '../cilium-datapath';
import { ClassVariant, ClusterProvider, NodeRole } from '../cluster-class';
import { MachineSize } from '../machine';

/** A typed reference to an emitted object (Cluster API v1beta2 refs use `apiGroup`). */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly apiGroup: string;
  readonly kind: string;
  readonly name: string;
}

/** @internal What a provider needs to render a cluster's infrastructure. */
export interface ProviderContext {
  /** Scope the objects are created in (the cluster's manifest folder). */
  readonly scope: Construct;
  /** The TalosCluster, for error paths. */
  readonly owner: IConstruct;
  readonly clusterName: string;
  readonly namespace: string;
  readonly nodeCidr: ParsedCidr;
  readonly nodeCidrText: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly variant: ClassVariant;
  readonly controlPlaneCount: number;
  /** Worker replicas per pool name (max when autoscaled), for host-inventory checks. */
  readonly workerCounts: ReadonlyMap<string, number>;
  /** The cluster's Cilium datapath (what node-to-node traffic the firewall must allow). */
  readonly datapath: CiliumDatapath;
  /** Name of a template of `kind`: base + hash of its spec and of the class patches for the kind. */
  readonly templateName: (kind: string, baseName: string, spec: unknown) => string;
}

/** @internal Group of every infrastructure kind emitted here. */
export const INFRA_GROUP = 'infrastructure.cluster.x-k8s.io';

/** @internal The reference to an emitted object. */
export function refOf(obj: ApiObject): ObjectRef {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  return { apiVersion: obj.apiVersion, apiGroup: group, kind: obj.kind, name: obj.name };
}

/**
 * @internal `<base>-<hash>`: templates are immutable in Cluster API, so a changed spec gets a new
 * name and the owner (TalosControlPlane, MachineDeployment) rolls its machines to it.
 */
export function rotatingName(base: string, spec: unknown): string {
  const hash = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 8);
  return `${base}-${hash}`;
}

/** @internal Fails when a required provider input is missing or blank. */
export function requireText(owner: IConstruct, provider: string, what: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') {
    invalidProp(owner, `${provider} input "${what}" is missing; the ${provider} provider needs it`);
  }
  return value;
}

/** @internal Fails when a machine size is not of the kind the provider uses. */
export function requireKind(owner: IConstruct, provider: string, machine: MachineSize, kind: MachineSize['_kind'], what: string, hint: string): void {
  if (machine._kind !== kind) {
    invalidProp(owner, `${what} is a ${machine.toString()}, which ${provider} cannot use; use ${hint}`);
  }
}

/** @internal Fails when `address` is not an IP address inside the node CIDR. */
export function addressInside(owner: IConstruct, what: string, address: string, cidr: ParsedCidr, cidrText: string): void {
  const parsed = Cidr._address(address);
  if (!parsed) invalidProp(owner, `${what} "${address}" is not an IP address`);
  const asCidr: ParsedCidr = { family: parsed.family, network: parsed.value, prefix: parsed.family === 4 ? 32 : 128 };
  if (!Cidr._contains(cidr, asCidr)) {
    invalidProp(owner, `${what} "${address}" is outside the node CIDR ${cidrText}; use an address inside it`);
  }
}

/** @internal Splits a CIDR into its two halves (prefix + 1). */
export function halves(cidr: ParsedCidr): [string, string] {
  const bits = cidr.family === 4 ? 32 : 128;
  const next = cidr.prefix + 1;
  const upper: ParsedCidr = { ...cidr, prefix: next, network: cidr.network | (1n << BigInt(bits - next)) };
  return [Cidr._canonical({ ...cidr, prefix: next }), Cidr._canonical(upper)];
}

/**
 * @internal One provider strategy (AWS, Azure, GCP, Proxmox, Metal3): how the provider-specific
 * inputs are checked and rendered. `InfrastructureInputs` is the public face; each provider file
 * holds one subclass.
 */
export abstract class ProviderStrategy {
  public abstract readonly provider: ClusterProvider;

  /** Longest cluster name the provider's generated resource names allow. */
  public abstract readonly _maxClusterNameLength: number;

  /** Checks the inputs for `ctx` (required inputs, addresses inside the node CIDR). */
  public abstract _validate(ctx: ProviderContext): void;

  /**
   * Emits the infrastructure cluster (and identities, pools, hosts); returns its ref.
   * With `template` (a base name), emits the provider's `<Kind>ClusterTemplate` named
   * `<template>-<hash>` instead, for a Cluster API ClusterClass.
   */
  public abstract _renderCluster(ctx: ProviderContext, template?: string): ObjectRef;

  /**
   * JSON-patch paths in the infrastructure cluster template that hold the node CIDR as
   * one string (set by the ClusterClass variable `nodeCidr`); empty when the provider derives more
   * than one value from it (Azure subnets) or has no such field (Proxmox, Metal3).
   */
  public _nodeCidrTemplatePaths(): string[] {
    return [];
  }

  /** Checks the inputs can be expressed as a ClusterClass template (fields the template kind lacks). */
  public _validateForTemplate(_ctx: ProviderContext): void {}

  /** Emits one machine template; returns its ref. */
  public abstract _renderMachineTemplate(ctx: ProviderContext, id: string, baseName: string, role: NodeRole, machine: MachineSize, failureDomain?: string): ObjectRef;

  /** Default node size per variant and role. */
  public abstract _defaultMachine(variant: ClassVariant, role: NodeRole): MachineSize;

  /** Extra Talos documents for control-plane nodes (e.g. the endpoint VIP). */
  public _controlPlaneDocuments(_ctx: ProviderContext): TalosConfigPatch[] {
    return [];
  }

  /** Checks a machine size is one this provider can use. */
  public abstract _checkMachine(owner: IConstruct, what: string, machine: MachineSize): void;

  /** Secret producers to wait for (SealedSecret/ExternalSecret constructs). */
  public abstract _secretProducers(): IConstruct[];

  /** Extra naming rules of the provider (GCE names start with a letter). */
  public _checkName(_owner: IConstruct, _name: string): void {}
}
