import { IConstruct } from 'constructs';
import { TalosConfigPatch } from '../../talos/cilium-machine-config';
import { ClassVariant, ClusterProvider, NodeRole } from '../cluster-class';
import { MachineSize } from '../machine';
import { ObjectRef, ProviderContext, ProviderStrategy } from './_strategy';
import { AwsInputsProps, AwsProviderStrategy } from './aws';
import { AzureInputsProps, AzureProviderStrategy } from './azure';
import { GcpInputsProps, GcpProviderStrategy } from './gcp';
import { Metal3InputsProps, Metal3ProviderStrategy } from './metal3';
import { ProxmoxInputsProps, ProxmoxProviderStrategy } from './proxmox';

/**
 * The provider-specific inputs of a cluster (the "provider variables" of a class): region, zones,
 * network, images, credentials by reference. One static factory per provider; the cluster's class
 * must be for the same provider.
 *
 * Each factory wraps one provider strategy (one file per provider next to this one); this class
 * only delegates, so the provider files do not import it back (no import cycle).
 */
export class InfrastructureInputs {
  /** AWS (CAPA). */
  public static aws(props: AwsInputsProps): InfrastructureInputs {
    return new InfrastructureInputs(new AwsProviderStrategy(props));
  }
  /** Azure (CAPZ). */
  public static azure(props: AzureInputsProps): InfrastructureInputs {
    return new InfrastructureInputs(new AzureProviderStrategy(props));
  }
  /** GCP (CAPG). */
  public static gcp(props: GcpInputsProps): InfrastructureInputs {
    return new InfrastructureInputs(new GcpProviderStrategy(props));
  }
  /** Proxmox VE (CAPMOX) with in-cluster IPAM. */
  public static proxmox(props: ProxmoxInputsProps): InfrastructureInputs {
    return new InfrastructureInputs(new ProxmoxProviderStrategy(props));
  }
  /** Bare metal (CAPM3 + Baremetal Operator). */
  public static metal3(props: Metal3InputsProps): InfrastructureInputs {
    return new InfrastructureInputs(new Metal3ProviderStrategy(props));
  }

  /** The provider these inputs are for; the cluster's class must be for the same one. */
  public readonly provider: ClusterProvider;

  /** @internal Longest cluster name the provider's generated resource names allow. */
  public readonly _maxClusterNameLength: number;

  private constructor(private readonly strategy: ProviderStrategy) {
    this.provider = strategy.provider;
    this._maxClusterNameLength = strategy._maxClusterNameLength;
  }

  /** @internal Checks the inputs for `ctx` (required inputs, addresses inside the node CIDR). */
  public _validate(ctx: ProviderContext): void {
    this.strategy._validate(ctx);
  }

  /**
   * @internal Emits the infrastructure cluster (and identities, pools, hosts); returns its ref.
   * With `template` (a base name), emits the provider's `<Kind>ClusterTemplate` named
   * `<template>-<hash>` instead, for a Cluster API ClusterClass.
   */
  public _renderCluster(ctx: ProviderContext, template?: string): ObjectRef {
    return this.strategy._renderCluster(ctx, template);
  }

  /**
   * @internal JSON-patch paths in the infrastructure cluster template that hold the node CIDR as
   * one string (set by the ClusterClass variable `nodeCidr`); empty when the provider derives more
   * than one value from it (Azure subnets) or has no such field (Proxmox, Metal3).
   */
  public _nodeCidrTemplatePaths(): string[] {
    return this.strategy._nodeCidrTemplatePaths();
  }

  /** @internal Checks the inputs can be expressed as a ClusterClass template (fields the template kind lacks). */
  public _validateForTemplate(ctx: ProviderContext): void {
    this.strategy._validateForTemplate(ctx);
  }

  /** @internal Emits one machine template; returns its ref. */
  public _renderMachineTemplate(ctx: ProviderContext, id: string, baseName: string, role: NodeRole, machine: MachineSize, failureDomain?: string): ObjectRef {
    return this.strategy._renderMachineTemplate(ctx, id, baseName, role, machine, failureDomain);
  }

  /** @internal Default node size per variant and role. */
  public _defaultMachine(variant: ClassVariant, role: NodeRole): MachineSize {
    return this.strategy._defaultMachine(variant, role);
  }

  /** @internal Extra Talos documents for control-plane nodes (e.g. the endpoint VIP). */
  public _controlPlaneDocuments(ctx: ProviderContext): TalosConfigPatch[] {
    return this.strategy._controlPlaneDocuments(ctx);
  }

  /** @internal Checks a machine size is one this provider can use. */
  public _checkMachine(owner: IConstruct, what: string, machine: MachineSize): void {
    this.strategy._checkMachine(owner, what, machine);
  }

  /** @internal Secret producers to wait for (SealedSecret/ExternalSecret constructs). */
  public _secretProducers(): IConstruct[] {
    return this.strategy._secretProducers();
  }

  /** @internal Extra naming rules of the provider (GCE names start with a letter). */
  public _checkName(owner: IConstruct, name: string): void {
    this.strategy._checkName(owner, name);
  }
}
