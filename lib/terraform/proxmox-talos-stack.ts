import { TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { ProxmoxProvider } from '../../imports/terraform/proxmox/provider';
import { TalosProvider } from '../../imports/terraform/talos/provider';
import { invalidProp } from '../core/errors';
import { addLocalStateBackend } from './_backend';
import { ProxmoxTalosCluster, ProxmoxTalosClusterProps } from './proxmox-talos-cluster';

export interface ProxmoxTalosStackProps extends ProxmoxTalosClusterProps {
  /**
   * Proxmox VE API endpoint, e.g. `https://pve1.example.com:8006/`.
   * @see https://registry.terraform.io/providers/bpg/proxmox/0.111.1/docs#endpoint
   */
  readonly proxmoxEndpoint: string;
  /**
   * Skip TLS verification of the Proxmox API (self-signed certificates).
   * @default false
   */
  readonly proxmoxInsecure?: boolean;
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
 * A Terraform stack with the Proxmox and Talos providers and one {@link ProxmoxTalosCluster}.
 * The Proxmox API token is the sensitive variable `proxmox_api_token`
 * (`TF_VAR_proxmox_api_token=user@realm!tokenid=secret`), never a value in the JSON.
 */
export class ProxmoxTalosStack extends TerraformStack {
  public readonly cluster: ProxmoxTalosCluster;
  public readonly proxmoxApiToken: TerraformVariable;

  public constructor(scope: Construct, id: string, props: ProxmoxTalosStackProps) {
    super(scope, id);
    if (!/^https:\/\/[^/\s]+(\/.*)?$/.test(props.proxmoxEndpoint)) {
      invalidProp(this, `proxmoxEndpoint "${props.proxmoxEndpoint}" is not an https:// URL like https://pve1.example.com:8006/`);
    }
    addLocalStateBackend(this, id, props.statePath);
    this.proxmoxApiToken = new TerraformVariable(this, 'proxmox_api_token', {
      type: 'string',
      sensitive: true,
      description: 'Proxmox VE API token, user@realm!tokenid=secret (VM.Allocate, VM.Config.*, Datastore.AllocateSpace, Datastore.AllocateTemplate, SDN.Use)',
    });
    new ProxmoxProvider(this, 'proxmox', {
      endpoint: props.proxmoxEndpoint,
      apiToken: this.proxmoxApiToken.stringValue,
      insecure: props.proxmoxInsecure ?? false,
    });
    new TalosProvider(this, 'talos', {});
    this.cluster = new ProxmoxTalosCluster(this, 'cluster', props);
  }
}
