export {
  CLUSTER_WIDE_ANNOTATION,
  NAMESPACE_WIDE_ANNOTATION,
  seal,
  SealedData,
  sealCommand,
  SealInput,
  SealingCertificate,
  SealingScope,
  SecretType,
  unseal,
  type SealedSecretTemplate,
  type SealingTarget,
  type SealCommandOptions,
  type SealOptions,
  type SecretData,
  type UnsealOptions,
} from './seal';
export { SealedSecret, SealedSecretGroup, SealedSecretReference, type SealedSecretGroupProps, type SealedSecretProps } from './sealed-secret';
export {
  type ISealedSecretsController,
  SEALED_SECRET_HEALTH_CHECK,
  SEALED_SECRETS_CONTROLLER_NAME,
  SEALED_SECRETS_NAMESPACE,
  SEALING_KEY_LABEL,
  SEALING_KEY_SECRET_NAME,
  SealedSecretsController,
  type SealedSecretsControllerProps,
} from './sealed-secrets-controller';
