import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider';
import { DataCloudflareZone } from '@cdktf/provider-cloudflare/lib/data-cloudflare-zone';
import { LocalBackend, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { invalidProp } from '../core/errors';

export interface CloudflareZoneStackProps {
  /** The zone's apex domain, e.g. `example.com`. */
  readonly zoneName: string;
  /**
   * Local state file, relative to the stack's folder in cdktf.out/. A relative path keeps the
   * synthesized JSON identical on every machine (cdktf's default is an absolute path).
   * @default 'terraform.<stack id>.tfstate'
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
export class CloudflareZoneStack extends TerraformStack {
  public readonly zone: DataCloudflareZone;
  public readonly apiToken: TerraformVariable;

  public constructor(scope: Construct, id: string, props: CloudflareZoneStackProps) {
    super(scope, id);
    if (!/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,63}$/.test(props.zoneName)) {
      invalidProp(this, `zoneName "${props.zoneName}" is not a domain name like example.com`);
    }
    new LocalBackend(this, { path: props.statePath ?? `terraform.${id}.tfstate` });
    this.apiToken = new TerraformVariable(this, 'cloudflare_api_token', {
      type: 'string',
      sensitive: true,
      description: 'Cloudflare API token Terraform runs with (Zone:Read, DNS:Edit, API Tokens:Edit on the zone)',
    });
    new CloudflareProvider(this, 'cloudflare', { apiToken: this.apiToken.stringValue });
    this.zone = new DataCloudflareZone(this, 'zone', { filter: { name: props.zoneName } });
    new TerraformOutput(this, 'zone_id', { value: this.zone.zoneId, description: `Cloudflare zone id of ${props.zoneName}` });
  }
}
