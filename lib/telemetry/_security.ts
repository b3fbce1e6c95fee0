/** Restricted container settings (PSA restricted, read-only root), a fresh object per use. @internal */
export const restrictedContainer = () => ({
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
});
