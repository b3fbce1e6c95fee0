import { Testing } from 'cdktf';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { DnsZone } from '@cdktf/provider-azurerm/lib/dns-zone';
import { DnsManagedZone } from '@cdktf/provider-google/lib/dns-managed-zone';
import { AwsPlatformStack, AzurePlatformStack, GcpPlatformStack } from '../../lib/terraform';

// Types of cdktf's jest matchers (toHaveResourceWithProperties, ...).
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const awsStack = (): AwsPlatformStack => new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-central-1' });
const gcpStack = (): GcpPlatformStack => new GcpPlatformStack(Testing.app(), 'gcp', { projectId: 'infraflux-prod', region: 'europe-west3' });
const azureStack = (): AzurePlatformStack => new AzurePlatformStack(Testing.app(), 'azure', {});
const parse = (s: AwsPlatformStack | GcpPlatformStack | AzurePlatformStack): Json => JSON.parse(Testing.synth(s, true)) as Json;

describe('Route53HostedZone', () => {
  test('creates the public zone and outputs its name servers for delegation', () => {
    const stack = awsStack();
    const zone = stack.addDnsZone('zone', { zoneName: 'aws.example.com' });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Route53Zone, { name: 'aws.example.com', force_destroy: false, comment: 'Managed by InfraFlux' });
    const json = parse(stack);
    expect(json.output.aws_example_com_name_servers.value).toMatch(/^\$\{aws_route53_zone\..*\.name_servers\}$/);
    expect(zone.zoneId).toMatch(/TOKEN/);
    expect(json).toMatchSnapshot();
  });

  test('fails on a zone name that is not a domain', () => {
    expect(() => awsStack().addDnsZone('zone', { zoneName: 'aws.example.com.' })).toThrow(/\[aws\/zone\] zoneName "aws.example.com." is not a domain name/);
  });
  test('fails on an output name that is not a Terraform name', () => {
    expect(() => awsStack().addDnsZone('zone', { zoneName: 'aws.example.com', outputName: 'Name-Servers' })).toThrow(/outputName "Name-Servers" is not a Terraform output name/);
  });
});

describe('GoogleCloudDnsZone', () => {
  test('creates a public, DNSSEC-signed managed zone and outputs its name servers', () => {
    const stack = gcpStack();
    stack.addDnsZone('zone', { zoneName: 'gcp.example.com' });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DnsManagedZone, {
      name: 'gcp-example-com',
      dns_name: 'gcp.example.com.',
      project: 'infraflux-prod',
      visibility: 'public',
      dnssec_config: { state: 'on' },
    });
    const json = parse(stack);
    expect(json.output.gcp_example_com_name_servers.value).toMatch(/google_dns_managed_zone\..*\.name_servers/);
    expect(json).toMatchSnapshot();
  });

  test('DNSSEC can be switched off explicitly', () => {
    const stack = gcpStack();
    stack.addDnsZone('zone', { zoneName: 'gcp.example.com', dnssec: false });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DnsManagedZone, { dnssec_config: { state: 'off' } });
  });

  test('fails on an invalid managed zone name', () => {
    expect(() => gcpStack().addDnsZone('zone', { zoneName: 'gcp.example.com', managedZoneName: '1zone' })).toThrow(/managedZoneName "1zone" is not a Cloud DNS zone name/);
  });
  test('fails on a zone name that is not a domain', () => {
    expect(() => gcpStack().addDnsZone('zone', { zoneName: 'GCP' })).toThrow(/\[gcp\/zone\] zoneName "GCP" is not a domain name/);
  });
});

describe('AzurePublicDnsZone', () => {
  test('creates the zone and outputs its name servers', () => {
    const stack = azureStack();
    stack.addDnsZone('zone', { zoneName: 'azure.example.com', resourceGroupName: 'rg-dns' });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DnsZone, { name: 'azure.example.com', resource_group_name: 'rg-dns' });
    const json = parse(stack);
    expect(json.output.azure_example_com_name_servers.value).toMatch(/azurerm_dns_zone\..*\.name_servers/);
    expect(json).toMatchSnapshot();
  });

  test('fails on a missing resource group', () => {
    expect(() => azureStack().addDnsZone('zone', { zoneName: 'azure.example.com', resourceGroupName: '' })).toThrow(/\[azure\/zone\] resourceGroupName is missing/);
  });
});
