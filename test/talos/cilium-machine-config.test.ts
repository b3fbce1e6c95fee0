import { ErrorCode, InfraFluxError } from '../../lib/core/errors';
import { DEFAULT_TALOS_CNI_SETTINGS, talosCiliumPatch } from '../../lib/talos/cilium-machine-config';

describe('talosCiliumPatch', () => {
  test('default settings: no CNI, no kube-proxy, KubePrism on 7445, host DNS without forwarding', () => {
    // GIVEN the defaults WHEN the patch is made
    const patch = talosCiliumPatch();
    // THEN
    expect(DEFAULT_TALOS_CNI_SETTINGS).toEqual({ kubePrismPort: 7445, kubeProxyDisabled: true, forwardKubeDNSToHost: false });
    expect(patch).toEqual({
      machine: { features: { kubePrism: { enabled: true, port: 7445 }, hostDNS: { enabled: true, forwardKubeDNSToHost: false } } },
      cluster: { network: { cni: { name: 'none' } }, proxy: { disabled: true } },
    });
  });

  test('follows the settings: another KubePrism port, kube-proxy kept, DNS forwarded', () => {
    // GIVEN settings of a cluster with legacy host routing
    const patch = talosCiliumPatch({ kubePrismPort: 7446, kubeProxyDisabled: false, forwardKubeDNSToHost: true }) as any;
    // THEN
    expect(patch.machine.features.kubePrism.port).toBe(7446);
    expect(patch.machine.features.hostDNS.forwardKubeDNSToHost).toBe(true);
    expect(patch.cluster.proxy.disabled).toBe(false);
  });

  test.each([0, 65536, 7445.5, -1])('fails on KubePrism port %s', (port) => {
    // THEN
    expect(() => talosCiliumPatch({ ...DEFAULT_TALOS_CNI_SETTINGS, kubePrismPort: port })).toThrow(`kubePrismPort ${port} is not a TCP port; use 1-65535`);
  });

  test.each([0, 65536, 7445.5])('fails on KubePrism port %s with INVALID_PORT naming the input', (port) => {
    // GIVEN settings with a port outside 1-65535 WHEN the patch is built
    let err: unknown;
    try {
      talosCiliumPatch({ ...DEFAULT_TALOS_CNI_SETTINGS, kubePrismPort: port });
    } catch (e) {
      err = e;
    }
    // THEN an InfraFluxError with the stable code, the input and the allowed range
    expect(err).toBeInstanceOf(InfraFluxError);
    expect((err as InfraFluxError).code).toBe(ErrorCode.INVALID_PORT);
    expect((err as InfraFluxError).message).toBe(`[TalosCniSettings.kubePrismPort] kubePrismPort ${port} is not a TCP port; use 1-65535 (Talos default 7445)`);
  });
});
