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
export { SealedSecret, SealedSecretGroup, type SealedSecretGroupProps, type SealedSecretProps } from './sealed-secret';
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
export { SecretKeyReference, SecretProvenance, SecretReference } from './secret-reference';
export { ESO_WEBHOOK_ISSUER, ExternalSecretsOperator, type ExternalSecretsOperatorProps, type ICertManagerInstallation, type IExternalSecretsOperator } from './external-secrets-operator';
export { ClusterSecretStore, SecretStore, SecretStoreKind, SecretStoreProvider, type ClusterSecretStoreProps, type ISecretStore, type SecretStoreProps } from './secret-store';
export { VaultAuth, type VaultKubernetesAuthProps, type VaultProviderProps } from './stores/vault';
export { AwsAuth, type AwsSecretsManagerProps } from './stores/aws';
export { AzureAuth, type AzureKeyVaultProps } from './stores/azure';
export { GcpAuth, type GcpSecretManagerProps } from './stores/gcp';
export {
  CreationPolicy,
  DeletionPolicy,
  ExternalSecret,
  ExternalSecretDataFrom,
  RefreshPolicy,
  TemplateValue,
  type ExternalSecretData,
  type ExternalSecretProps,
  type ExternalSecretTemplate,
} from './external-secret';
export { PushSecret, type PushSecretData, type PushSecretProps } from './push-secret';
export { PasswordGenerator, type IPasswordGenerator, type PasswordGeneratorProps } from './password-generator';
