/**
 * The Kubernetes distribution of a cluster: which Cluster API control-plane and bootstrap
 * providers build it. Switching it changes only the control-plane and bootstrap objects (and the
 * references to them); infrastructure, machine templates, network and health checks stay the same.
 */
export class Distribution {
  /**
   * Talos Linux: TalosControlPlane (CACPPT) and TalosConfigTemplate (CABPT), machine config by
   * strategic merge patches.
   * @see https://github.com/siderolabs/cluster-api-control-plane-provider-talos
   */
  public static talos(): Distribution {
    return new Distribution('talos');
  }

  /**
   * RKE2: RKE2ControlPlane and RKE2ConfigTemplate (CAPRKE2). The machine images of the provider
   * inputs must then be RKE2-capable (cloud-init) images, not Talos images.
   * @see https://github.com/rancher/cluster-api-provider-rke2
   */
  public static rke2(): Distribution {
    return new Distribution('rke2');
  }

  private constructor(public readonly name: 'talos' | 'rke2') {}
}
