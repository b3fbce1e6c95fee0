/**
 * Optional public DNS zones in the clouds (Route53, Cloud DNS, Azure DNS), each exporting its name
 * servers so the parent zone (e.g. the Cloudflare zone) can delegate to it. Prebuilt bindings,
 * imported by resource path.
 */
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { DnsZone } from '@cdktf/provider-azurerm/lib/dns-zone';
import { DnsManagedZone } from '@cdktf/provider-google/lib/dns-managed-zone';
import { TerraformOutput } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { invalidProp } from '../core/errors';
import { validateDomainName, validateGcpProjectId } from './_net';

/** A public zone whose name servers a parent zone delegates to. */
export interface IDelegatedZone extends IConstruct {
  /** The zone's domain, without trailing dot, e.g. `aws.example.com`. */
  readonly zoneName: string;
  /** Terraform reference to the zone's name servers (a list). */
  readonly nameServers: string[];
}

export interface CloudDnsZoneBaseProps {
  /** The zone's domain, e.g. `aws.example.com` (no trailing dot). */
  readonly zoneName: string;
  /**
   * Name of the Terraform output holding the name servers.
   * @default '<zoneName with . and - as _>_name_servers'
   */
  readonly outputName?: string;
}

function validateZone(scope: IConstruct, props: CloudDnsZoneBaseProps): string {
  validateDomainName(scope, 'zoneName', props.zoneName, 'aws.example.com');
  const output = props.outputName ?? `${props.zoneName.replace(/[.-]/g, '_')}_name_servers`;
  if (!/^[a-z][a-z0-9_]*$/.test(output)) invalidProp(scope, `outputName "${output}" is not a Terraform output name; use lowercase letters, digits and '_', starting with a letter`);
  return output;
}

export interface Route53HostedZoneProps extends CloudDnsZoneBaseProps {
  /**
   * Comment on the hosted zone.
   * @default 'Managed by InfraFlux'
   */
  readonly comment?: string;
}

/**
 * A public Route53 hosted zone; `<output>` lists its four name servers for delegation.
 * DNSSEC signing needs an asymmetric KMS key in us-east-1 and is left to the caller.
 * @see https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/route53_zone
 */
export class Route53HostedZone extends Construct implements IDelegatedZone {
  public readonly zone: Route53Zone;
  public readonly zoneName: string;
  public readonly nameServers: string[];
  /** Terraform reference to the hosted zone id (for ExternalDNS/cert-manager policies). */
  public readonly zoneId: string;

  public constructor(scope: Construct, id: string, props: Route53HostedZoneProps) {
    super(scope, id);
    const output = validateZone(this, props);
    this.zone = new Route53Zone(this, 'Resource', { name: props.zoneName, comment: props.comment ?? 'Managed by InfraFlux', forceDestroy: false });
    this.zoneName = props.zoneName;
    this.nameServers = this.zone.nameServers;
    this.zoneId = this.zone.zoneId;
    new TerraformOutput(this, 'name-servers', { value: this.zone.nameServers, description: `Name servers of ${props.zoneName} (NS records in the parent zone)` }).overrideLogicalId(output);
  }
}

export interface GoogleCloudDnsZoneProps extends CloudDnsZoneBaseProps {
  /** Project that owns the zone. */
  readonly projectId: string;
  /**
   * Managed zone resource name: 1-63 lowercase letters, digits and `-`, starting with a letter.
   * @default - zoneName with `.` replaced by `-`
   */
  readonly managedZoneName?: string;
  /**
   * Sign the zone with DNSSEC (publish the DS record in the parent zone after creation).
   * @default true
   * @see https://cloud.google.com/dns/docs/dnssec-config
   */
  readonly dnssec?: boolean;
}

/**
 * A public Cloud DNS managed zone (DNSSEC on by default); `<output>` lists its name servers.
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/dns_managed_zone
 */
export class GoogleCloudDnsZone extends Construct implements IDelegatedZone {
  public readonly zone: DnsManagedZone;
  public readonly zoneName: string;
  public readonly nameServers: string[];

  public constructor(scope: Construct, id: string, props: GoogleCloudDnsZoneProps) {
    super(scope, id);
    const output = validateZone(this, props);
    validateGcpProjectId(this, 'projectId', props.projectId);
    const name = props.managedZoneName ?? props.zoneName.replace(/\./g, '-');
    if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) invalidProp(this, `managedZoneName "${name}" is not a Cloud DNS zone name; use 1-63 lowercase letters, digits and '-', starting with a letter`);
    this.zone = new DnsManagedZone(this, 'Resource', {
      project: props.projectId,
      name,
      dnsName: `${props.zoneName}.`,
      visibility: 'public',
      description: 'Managed by InfraFlux',
      dnssecConfig: { state: props.dnssec === false ? 'off' : 'on' },
      forceDestroy: false,
    });
    this.zoneName = props.zoneName;
    this.nameServers = this.zone.nameServers;
    new TerraformOutput(this, 'name-servers', { value: this.zone.nameServers, description: `Name servers of ${props.zoneName} (NS records in the parent zone)` }).overrideLogicalId(output);
  }
}

export interface AzurePublicDnsZoneProps extends CloudDnsZoneBaseProps {
  /** Existing resource group of the zone. */
  readonly resourceGroupName: string;
}

/**
 * A public Azure DNS zone; `<output>` lists its name servers.
 * @see https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/dns_zone
 */
export class AzurePublicDnsZone extends Construct implements IDelegatedZone {
  public readonly zone: DnsZone;
  public readonly zoneName: string;
  public readonly nameServers: string[];

  public constructor(scope: Construct, id: string, props: AzurePublicDnsZoneProps) {
    super(scope, id);
    const output = validateZone(this, props);
    if (props.resourceGroupName === undefined || props.resourceGroupName === '') invalidProp(this, 'resourceGroupName is missing; give the resource group for the DNS zone');
    this.zone = new DnsZone(this, 'Resource', { name: props.zoneName, resourceGroupName: props.resourceGroupName });
    this.zoneName = props.zoneName;
    this.nameServers = this.zone.nameServers;
    new TerraformOutput(this, 'name-servers', { value: this.zone.nameServers, description: `Name servers of ${props.zoneName} (NS records in the parent zone)` }).overrideLogicalId(output);
  }
}
