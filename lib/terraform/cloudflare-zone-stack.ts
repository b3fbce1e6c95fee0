import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider';
import { DataCloudflareZone } from '@cdktf/provider-cloudflare/lib/data-cloudflare-zone';
import { TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { addLocalStateBackend } from './_backend';
import { validateDomainName } from './_net';
import {
  CloudflareDnsApiToken,
  CloudflareDnsApiTokenProps,
  CloudflareDnsRecords,
  CloudflareDnsRecordsProps,
  CloudflareTunnel,
  CloudflareTunnelProps,
  ICloudflareZone,
} from './cloudflare-dns';

export interface CloudflareZoneStackProps {
  /** The zone's apex domain, e.g. `example.com`. */
  readonly zoneName: string;
  /**
   * Local state file, relative to the folder Terraform runs in (`cdktf.out/stacks/<stack id>/`).
   * The default puts it in the repository root, outside the throwaway cdktf.out/ (cdktf deletes the
   * folders of stacks that no longer exist); relative, so the synthesized JSON is identical on every
   * machine (cdktf's default is an absolute path). The state holds secrets: keep it out of git
   * (`*.tfstate` is git-ignored) and protected, or use an encrypted remote backend.
   * @default '../../../terraform.<stack id>.tfstate'
   * @see https://developer.hashicorp.com/terraform/language/backend/local
   */
  readonly statePath?: string;
}

/**
 * The Terraform side of the fleet's DNS: looks up the Cloudflare zone the platform's records and
 * scoped API tokens live in. The API token that Terraform itself uses is a sensitive variable
 * (`TF_VAR_cloudflare_api_token`), never a value in the synthesized JSON.
 *
 * All CDKTF code sits under lib/terraform/ behind InfraFlux's own constructs (CDKTF is deprecated
 * upstream; see docs/decisions/0002-cdktf-deprecation.md). Providers are imported by resource
 * path (`@cdktf/provider-cloudflare/lib/<resource>`), not the package root, to keep synth fast.
 */
export class CloudflareZoneStack extends TerraformStack implements ICloudflareZone {
  public readonly zone: DataCloudflareZone;
  public readonly apiToken: TerraformVariable;
  /** Terraform reference to the looked-up zone id. */
  public readonly zoneId: string;
  public readonly zoneName: string;

  public constructor(scope: Construct, id: string, props: CloudflareZoneStackProps) {
    super(scope, id);
    validateDomainName(this, 'zoneName', props.zoneName);
    addLocalStateBackend(this, id, props.statePath);
    this.apiToken = new TerraformVariable(this, 'cloudflare_api_token', {
      type: 'string',
      sensitive: true,
      description: 'Cloudflare API token Terraform runs with: Zone:Read + DNS:Edit on the zone, user-level API Tokens Write (to create the scoped tokens), and account-level Cloudflare Tunnel Write when tunnels are used',
    });
    new CloudflareProvider(this, 'cloudflare', { apiToken: this.apiToken.stringValue });
    this.zone = new DataCloudflareZone(this, 'zone', { filter: { name: props.zoneName } });
    this.zoneId = this.zone.zoneId;
    this.zoneName = props.zoneName;
    new TerraformOutput(this, 'zone_id', { value: this.zone.zoneId, description: `Cloudflare zone id of ${props.zoneName}` });
  }

  /**
   * A Zone:Read + DNS:Edit token on this zone only, for ExternalDNS; value in the sensitive output
   * `external_dns_token`.
   */
  public addExternalDnsToken(options: Omit<CloudflareDnsApiTokenProps, 'zone'> = {}): CloudflareDnsApiToken {
    return new CloudflareDnsApiToken(this, 'external-dns', { ...options, zone: this });
  }

  /**
   * A Zone:Read + DNS:Edit token on this zone only, for cert-manager's DNS-01 solver; value in the
   * sensitive output `cert_manager_token`.
   */
  public addCertManagerToken(options: Omit<CloudflareDnsApiTokenProps, 'zone'> = {}): CloudflareDnsApiToken {
    return new CloudflareDnsApiToken(this, 'cert-manager', { ...options, zone: this });
  }

  /** DNS records in this zone (apex by default, optional wildcard, proxied flag). */
  public addRecords(id: string, options: Omit<CloudflareDnsRecordsProps, 'zone'>): CloudflareDnsRecords {
    return new CloudflareDnsRecords(this, id, { ...options, zone: this });
  }

  /** A remotely managed Zero Trust tunnel (optional; nothing is created unless called). */
  public addTunnel(id: string, props: CloudflareTunnelProps): CloudflareTunnel {
    return new CloudflareTunnel(this, id, props);
  }
}
