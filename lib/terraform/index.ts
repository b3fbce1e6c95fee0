/**
 * `infraflux/terraform`: the CDKTF constructs. Needs the optional peers `cdktf` and the prebuilt
 * providers you use (`@cdktf/provider-cloudflare`, `-aws`, `-google`, `-azurerm`).
 * The pinned-provider-schema checks (provider-schema.ts) are repository tooling and not exported.
 */
export * from './cloudflare-zone-stack';
export * from './cloudflare-dns';
export * from './proxmox-talos-cluster';
export * from './proxmox-talos-stack';
export * from './velero-storage';
export * from './velero-s3-storage';
export * from './velero-gcs-storage';
export * from './velero-azure-blob-storage';
export * from './dns-zones';
export * from './cloud-platform-stack';
export * from './loki-s3-storage';
