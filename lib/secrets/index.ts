export {
  CLUSTER_WIDE_ANNOTATION,
  NAMESPACE_WIDE_ANNOTATION,
  seal,
  SealedData,
  SealingCertificate,
  SealingScope,
  SecretType,
  unseal,
  type SealedSecretTemplate,
  type SealingTarget,
  type SealOptions,
  type SecretData,
  type UnsealOptions,
} from './seal';
export { SealedSecret, type SealedSecretProps } from './sealed-secret';
export { SecretKeyReference, SecretProvenance, SecretReference } from './secret-reference';
