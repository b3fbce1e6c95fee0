export * from './cloudflare-zone-stack';
export * from './cloudflare-dns';
export * from './proxmox-talos-cluster';
export * from './proxmox-talos-stack';
export * from './provider-schema';
export * from './velero-storage';
export * from './dns-zones';
export * from './cloud-platform-stack';
