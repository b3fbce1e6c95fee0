import { CapiProvider, InfrastructureProviderChoice, ProviderConfigSecret, ProviderType, ProviderVersionField } from '../../lib/management';
import { VersionSet } from '../../lib/versions/version-set';

describe('CapiProvider', () => {
  test('kinds, clusterctl names and namespaces of the providers', () => {
    // GIVEN every provider InfraFlux can install THEN its operator identity
    expect(
      [CapiProvider.CORE, CapiProvider.TALOS_BOOTSTRAP, CapiProvider.TALOS_CONTROL_PLANE, CapiProvider.RKE2_BOOTSTRAP, CapiProvider.AWS, CapiProvider.PROXMOX, CapiProvider.IPAM_IN_CLUSTER, CapiProvider.HELM_ADDON].map(
        (p) => `${p.toString()} ${p.namespace}`,
      ),
    ).toEqual([
      'CoreProvider/cluster-api capi-system',
      'BootstrapProvider/talos cabpt-system',
      'ControlPlaneProvider/talos cacppt-system',
      'BootstrapProvider/rke2 rke2-bootstrap-system',
      'InfrastructureProvider/aws capa-system',
      'InfrastructureProvider/proxmox capmox-system',
      'IPAMProvider/in-cluster capi-ipam-in-cluster-system',
      'AddonProvider/helm caaph-system',
    ]);
  });

  test('AWS and GCP need their base64 credentials variable, the others none', () => {
    // THEN
    expect(CapiProvider.AWS.requiredVariables).toEqual(['AWS_B64ENCODED_CREDENTIALS']);
    expect(CapiProvider.GCP.requiredVariables).toEqual(['GCP_B64ENCODED_CREDENTIALS']);
    expect(CapiProvider.AZURE.requiredVariables).toEqual([]);
    expect(CapiProvider.METAL3.requiredVariables).toEqual([]);
  });

  test('version() reads the provider’s VersionSet field', () => {
    // GIVEN the pinned set WHEN versions are looked up THEN they are its fields
    const v = VersionSet.pinned();
    expect(CapiProvider.AWS.version(v)).toBe(v.capa);
    expect(CapiProvider.RKE2_CONTROL_PLANE.version(v)).toBe(v.caprke2);
    expect(CapiProvider.RKE2_BOOTSTRAP.versionField).toBe(ProviderVersionField.CAPRKE2);
    expect(CapiProvider.CORE.version(v)).toMatch(/^v\d+\.\d+\.\d+$/);
  });
});

describe('ProviderVersionField', () => {
  test('name and string form are the VersionSet field', () => {
    // THEN
    expect(ProviderVersionField.CAPMOX.name).toBe('capmox');
    expect(`${ProviderVersionField.IPAM_METAL3}`).toBe('ipamMetal3');
    expect(ProviderVersionField.CAAPH.versionIn(VersionSet.pinned())).toBe(VersionSet.pinned().caaph);
  });
});

describe('ProviderType', () => {
  test('the six operator kinds', () => {
    // THEN
    expect([ProviderType.CORE, ProviderType.BOOTSTRAP, ProviderType.CONTROL_PLANE, ProviderType.INFRASTRUCTURE, ProviderType.IPAM, ProviderType.ADDON].map((t) => t.kind)).toEqual([
      'CoreProvider',
      'BootstrapProvider',
      'ControlPlaneProvider',
      'InfrastructureProvider',
      'IPAMProvider',
      'AddonProvider',
    ]);
  });
});

describe('InfrastructureProviderChoice', () => {
  test('default config secrets: capa-variables for AWS, capg-variables for GCP, none for the others', () => {
    // WHEN the defaults are used
    const all = InfrastructureProviderChoice.all();
    // THEN
    expect(all.map((c) => [c.provider.name, c.configSecret?.name])).toEqual([
      ['aws', 'capa-variables'],
      ['azure', undefined],
      ['gcp', 'capg-variables'],
      ['proxmox', undefined],
      ['metal3', undefined],
    ]);
  });

  test('a given config secret is kept', () => {
    // GIVEN
    const secret = ProviderConfigSecret.fromName('pve-vars', 'capmox-system');
    const choice = InfrastructureProviderChoice.proxmox(secret);
    // THEN
    expect(choice.provider).toBe(CapiProvider.PROXMOX);
    expect(choice.configSecret).toBe(secret);
    expect(secret.namespace).toBe('capmox-system');
    expect(ProviderConfigSecret.fromName('x').namespace).toBeUndefined();
  });
});
