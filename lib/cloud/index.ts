export * from './cloud-controller-manager';
export * from './aws-ccm';
export * from './azure-ccm';
export * from './gcp-ccm';
export * from './proxmox-ccm';
