/**
 * `infraflux`: the cdk8s constructs (GitOps output for Flux). Loads no CDKTF module: the Terraform
 * constructs are `infraflux/terraform`, the validation harness is `infraflux/validation`.
 *
 * Explicit exports per domain: every name here is public API. Helpers used between modules,
 * tooling and generated-values plumbing stay out (import them from their module inside this
 * repository only).
 */

// core
export { addCodedValidation, CodedValidation, ErrorCode, InfraFluxError } from './core/errors';
export type { InfraFluxProblem } from './core/errors';
export { UPSTREAM_VERSIONS } from './core/versions';
export { Capability, claimCapability, capabilityOwners } from './core/capabilities';
export { Cidr, IpFamily } from './core/cidr';
export { declareOwner, declaredOwners, OWNER_LABEL, PLATFORM_OWNER } from './core/owner';
export type { Owner } from './core/owner';

// platform: the fleet and synth-time validation
export { Fleet } from './platform/fleet';
export type { FleetProps, SynthesizedManifest, SynthesisResult } from './platform/fleet';
export { FleetValidation, Validation, VALIDATION_EXEMPT_METADATA } from './platform/validation';
export type { FleetValidationProps } from './platform/validation';
export { CrdSource } from './validation/user-schemas';
export type { UserChart } from './validation/user-schemas';

// flux
export { OutputFolder } from './flux/output-folder';
export { FLUX_NAMESPACE, FluxKustomization } from './flux/kustomization';
export type { FluxKustomizationProps, HealthCheck, HealthCheckExpr, KustomizationImage, KustomizationSource, ReconcileTiming } from './flux/kustomization';
export { FluxLayer, GitOpsCluster, LayerName } from './flux/gitops-cluster';
export type { FluxLayerProps, GitOpsClusterProps, GitSourceProps, IFluxUnit } from './flux/gitops-cluster';
export { PodSecurityLevel } from './flux/pod-security';
export { ChartApp, ChartBackedConstruct, FluxApp } from './flux/flux-app';
export type { FluxAppProps, IFluxApp, PinnedChart } from './flux/flux-app';
export { FluxManifestApp, ManifestApp, ManifestBackedConstruct } from './flux/manifest-app';
export type { FluxManifestAppProps } from './flux/manifest-app';
export { UpstreamGitRelease } from './flux/upstream-release';
export type { UpstreamGitReleaseProps } from './flux/upstream-release';

// versions
export { VersionSet } from './versions/version-set';
export type { ComponentName, VersionEntry, VersionSetProps } from './versions/version-set';
export { COMPATIBILITY, COMPATIBILITY_RULES } from './versions/compatibility';
export type { CapiContract, CompatibilityRule, MinorRange, SeriesEvidence } from './versions/compatibility';

// talos
export { DEFAULT_TALOS_CNI_SETTINGS, talosCiliumPatch } from './talos/cilium-machine-config';
export type { TalosCniSettings, TalosConfigPatch } from './talos/cilium-machine-config';

// cluster
export { SecretKeyReference, SecretProvenance, SecretReference } from './secrets/secret-reference';
export { MachineSize } from './cluster/machine';
export type { AutoscalingProps, VirtualMachineSizeProps, WorkerPoolProps } from './cluster/machine';
export { ClassVariant, ClusterProvider, NodeRole, TalosClusterClass } from './cluster/cluster-class';
export type { ClassPatch, ClassVariantProps, TalosClusterClassProps } from './cluster/cluster-class';
export { Distribution, DistributionKind } from './cluster/distribution';
export type { Rke2DistributionProps } from './cluster/distribution';
export {
  AwsIdentity,
  AzureIdentity,
  CAPA_NAMESPACE,
  HOST_ROLE_LABEL,
  InfrastructureInputs,
} from './cluster/providers';
export type {
  AwsInputsProps,
  AzureInputsProps,
  AzureServicePrincipalProps,
  BareMetalHostProps,
  GcpInputsProps,
  Metal3ImageProps,
  Metal3InputsProps,
  ObjectRef,
  ProxmoxInputsProps,
  ProxmoxSecondaryNetworkProps,
} from './cluster/providers';
export { CLASS_LABEL, CLUSTER_NAME_LABEL, POOL_LABEL, TalosCluster } from './cluster/talos-cluster';
export type { ClusterNetworkProps, TalosClusterProps } from './cluster/talos-cluster';
export { CiliumDatapath, CiliumEncryption, CiliumTunnel } from './cluster/cilium-datapath';
export type { CiliumDatapathProps, DatapathRule } from './cluster/cilium-datapath';

// management
export { CapiProvider, InfrastructureProviderChoice, ProviderConfigSecret, ProviderType, ProviderVersionField } from './management/providers';
export { ManagementCluster } from './management/management-cluster';
export type { InstalledProvider, ManagementClusterProps } from './management/management-cluster';
export { WORKLOAD_CLUSTER_LABEL, WorkloadCni, WorkloadClusterBootstrap } from './management/workload-cluster-bootstrap';
export type { CiliumCniProps, WorkloadClusterBootstrapProps } from './management/workload-cluster-bootstrap';
export { BAREMETAL_OPERATOR_NAMESPACE, BaremetalOperator } from './management/baremetal-operator';
export type { BaremetalOperatorProps } from './management/baremetal-operator';
// cloud controller managers (issue 13)
export * from './cloud';

// networking
export { Asn } from './networking/addresses';
export {
  ClusterMeshExposure,
  DatapathMode,
  Encryption,
  FlowLogs,
  RoutingMode,
  TunnelProtocol,
  XdpAcceleration,
} from './networking/options';
export type { IpsecOptions, NativeRoutingOptions, WireGuardOptions } from './networking/options';
export { CILIUM_NAMESPACE, CiliumNetworking, HUBBLE_FLOW_LOG_PATH } from './networking/cilium-networking';
export type { CapabilityState, CiliumNetworkingProps, ICiliumNetworking, ClusterMeshPeer, MeshJoinOptions, WithoutCilium } from './networking/cilium-networking';
export type { ProfileDecision } from './networking/_profile';
export { TETRAGON_BASELINE_POLICIES, Tetragon, TetragonBaselinePolicies } from './networking/tetragon';
export type { ITetragon, TetragonBaselinePoliciesProps, TetragonProps } from './networking/tetragon';
export {
  CRITICAL_POOL_LABEL,
  CiliumBgp,
  L2Announcement,
  LoadBalancerPool,
  SelectorOperator,
} from './networking/load-balancing';
export type { BgpPeer, BgpTimers, CiliumBgpProps, LabelSelector, L2AnnouncementProps, LabelRequirement, LoadBalancerPoolProps } from './networking/load-balancing';
export { CLUSTER_MESH_CA_SECRET, CiliumClusterMesh, ClusterMeshCa } from './networking/cluster-mesh';
export type { CiliumClusterMeshProps, ClusterMeshMemberOptions } from './networking/cluster-mesh';
export {
  CiliumL7Policy,
  CiliumZeroTrust,
  EgressGatewayPolicy,
  HttpMethod,
  ZeroTrustScope,
} from './networking/policies';
export type { CiliumL7PolicyProps, EgressGatewayPolicyProps, FqdnEgressRule, HttpIngressRule, HttpRule, ZeroTrustProps } from './networking/policies';

// edge
export { GatewayApiChannel, GatewayApiCrds } from './gateway-api/gateway-api-crds';
export type { GatewayApiCrdsProps, IGatewayApiCrds } from './gateway-api/gateway-api-crds';
export { serviceReference } from './core/service-reference';
export type { ServiceReference } from './core/service-reference';
export { EdgeApi, EdgeImplementation, EnvoyGatewayCrds } from './edge/edge-implementation';
export type { EdgeInstallation } from './edge/edge-implementation';
export { IpRange, MetalLb, MetalLbAddresses } from './edge/metallb';
export type { MetalLbProps } from './edge/metallb';
export { DEFAULT_GATEWAY_NAME, GatewayStack, RouteProtocol } from './edge/gateway-stack';
export type { ExposeServiceOptions, GatewayHttpListener, GatewayStackProps, ISsoGuard, RouteOptions } from './edge/gateway-stack';
export {
  HUBBLE_UI_SERVICE,
  Headlamp,
  OAuth2ProxySso,
  StorageUi,
  exposeAuthentik,
  exposeHeadlamp,
  exposeHubbleUi,
  exposeStorageUi,
} from './edge/platform-ui';
export type { HeadlampProps, IHeadlamp, OAuth2ProxySsoProps, PlatformUiRouteOptions } from './edge/platform-ui';

// dns
export {
  DnsPolicy,
  DnsProvider,
  EXTERNAL_DNS_ANNOTATION_PREFIX,
  ExternalDns,
  ExternalDnsCloudflare,
  ExternalDnsSource,
} from './dns/external-dns';
export type { ExternalDnsAttributes, ExternalDnsCloudflareProps, ExternalDnsProps, IExternalDns } from './dns/external-dns';
export { AwsCredentials, Route53ZoneType } from './dns/providers/route53';
export type { Route53DnsOptions } from './dns/providers/route53';
export { GcpCredentials } from './dns/providers/cloud-dns';
export type { CloudDnsOptions } from './dns/providers/cloud-dns';
export type { AzureDnsOptions } from './dns/providers/azure-dns';
export type { CloudflareDnsOptions } from './dns/providers/cloudflare';

// certs
export { CertManager } from './certs/cert-manager';
export type { CertManagerProps, ICertManager } from './certs/cert-manager';
export { InternalCaIssuer, issueCertificate } from './certs/cluster-issuer';
export type { CertificateOptions, ExistingClusterIssuerOptions, IClusterIssuer, InternalCaIssuerProps } from './certs/cluster-issuer';
export { AcmeIssuer, AcmeServer, AcmeSolver, canIssue } from './certs/acme-issuer';
export type { AcmeIssuerProps, CloudflareDns01Options, GatewayListenerReference } from './certs/acme-issuer';

// secrets
export {
  CLUSTER_WIDE_ANNOTATION,
  NAMESPACE_WIDE_ANNOTATION,
  SealedData,
  SealingCertificate,
  SealingScope,
  SecretType,
  SealInput,
  seal,
  sealCommand,
  unseal,
} from './secrets/seal';
export type { SealCommandOptions, SealOptions, SealedSecretTemplate, SealingTarget, SecretData, UnsealOptions } from './secrets/seal';
export { SealedSecret, SealedSecretGroup } from './secrets/sealed-secret';
export type { SealedSecretGroupProps, SealedSecretProps } from './secrets/sealed-secret';
export {
  SEALED_SECRET_HEALTH_CHECK,
  SEALED_SECRETS_CONTROLLER_NAME,
  SEALED_SECRETS_NAMESPACE,
  SEALING_KEY_LABEL,
  SEALING_KEY_SECRET_NAME,
  SealedSecretsController,
} from './secrets/sealed-secrets-controller';
export type { ISealedSecretsController, SealedSecretsControllerProps } from './secrets/sealed-secrets-controller';
export { ESO_WEBHOOK_ISSUER, ExternalSecretsOperator } from './secrets/external-secrets-operator';
export type { ExternalSecretsOperatorProps, ICertManagerInstallation, IExternalSecretsOperator } from './secrets/external-secrets-operator';
export { ClusterSecretStore, SecretStore, SecretStoreKind, SecretStoreProvider } from './secrets/secret-store';
export type { ClusterSecretStoreProps, ISecretStore, SecretStoreProps } from './secrets/secret-store';
export { VaultAuth } from './secrets/stores/vault';
export type { VaultKubernetesAuthProps, VaultProviderProps } from './secrets/stores/vault';
export { AwsAuth } from './secrets/stores/aws';
export type { AwsSecretsManagerProps } from './secrets/stores/aws';
export { AzureAuth } from './secrets/stores/azure';
export type { AzureKeyVaultProps } from './secrets/stores/azure';
export { GcpAuth } from './secrets/stores/gcp';
export type { GcpSecretManagerProps } from './secrets/stores/gcp';
export { CreationPolicy, DeletionPolicy, ExternalSecret, ExternalSecretDataFrom, RefreshPolicy, TemplateValue } from './secrets/external-secret';
export type { ExternalSecretData, ExternalSecretProps, ExternalSecretTemplate } from './secrets/external-secret';
export { PushSecret } from './secrets/push-secret';
export type { PushSecretData, PushSecretProps } from './secrets/push-secret';
export { PasswordGenerator } from './secrets/password-generator';
export type { IPasswordGenerator, PasswordGeneratorProps } from './secrets/password-generator';

// apps
export { Podinfo } from './apps/podinfo';
export type { PodinfoProps } from './apps/podinfo';

// backup
export { BackupCredentialKind, BackupCredentialModel, BackupProvider, BackupStorageTarget } from './core/backup-storage-target';
export type { AzureBlobTargetProps, BackupStorageTargetBaseProps, GcsTargetProps, S3TargetProps } from './core/backup-storage-target';
export { ALWAYS_EXCLUDED_RESOURCES, BackupContent, BackupPlan, BackupSchedule, MANAGEMENT_EXCLUDED_RESOURCES, SEALED_SECRETS_KEY_LABEL } from './backup/backup-schedule';
export type { BackupScheduleProps } from './backup/backup-schedule';
export { CronSchedule } from './backup/cron-schedule';
export { VeleroBackup, VeleroCredentials } from './backup/velero-backup';
export type { VeleroBackupProps } from './backup/velero-backup';
export { ExistingResourcePolicy, RestoreSource, VeleroRestore } from './backup/velero-restore';
export type { VeleroRestoreProps } from './backup/velero-restore';
// storage (issue 13)
export {
  CEPH_DASHBOARD_SERVICE,
  CEPH_FS_CSI_DRIVER,
  CEPH_RBD_CSI_DRIVER,
  EBS_CSI_DRIVER,
  AZURE_DISK_CSI_DRIVER,
  ClusterStorage,
  DEFAULT_STORAGE_CLASS,
  DEFAULT_STORAGE_CLASS_ANNOTATION,
  GCE_PD_CSI_DRIVER,
  GOLD_STORAGE_CLASS,
  LOCAL_PATH_PROVISIONER,
  LONGHORN_CSI_DRIVER,
  LocalPathProvisioner,
  PROXMOX_CSI_CHART,
  PROXMOX_CSI_DRIVER,
  ProxmoxCsi,
  AwsEbsCsiDriver,
  AzureDiskCsiDriver,
  GcpPdCsiDriver,
  Longhorn,
  ReclaimPolicy,
  RookCeph,
  SnapshotController,
  SnapshotCrds,
  StorageBackend,
  StoragePlatform,
  VELERO_SNAPSHOT_CLASS_LABEL,
  VolumeBindingMode,
  addSnapshotClass,
  addStorageClass,
} from './storage';
export type {
  AwsEbsCsiDriverProps,
  AwsEbsOptions,
  AzureDiskCsiDriverProps,
  AzureDiskOptions,
  ClusterStorageProps,
  GcpPdCsiDriverProps,
  GcpPdOptions,
  ISnapshotController,
  ISnapshotCrds,
  LocalPathOptions,
  LocalPathProvisionerProps,
  LonghornOptions,
  LonghornProps,
  ProxmoxCsiOptions,
  ProxmoxCsiProps,
  RookCephOptions,
  RookCephProps,
  SnapshotClassOptions,
  SnapshotControllerProps,
  StorageClassOptions,
} from './storage';

// telemetry: logs, traces, Grafana and dashboards (issue 14, h-logs; decisions 0085-0087)
export {
  Dashboard,
  DatasourceUid,
  GRAFANA_ADMIN_KEYS,
  GRAFANA_DASHBOARD_LABEL,
  GRAFANA_NAMESPACE,
  Grafana,
  GrafanaRole,
  HUBBLE_FLOW_LOG_DIR,
  LOKI_NAMESPACE,
  LOKI_S3_CREDENTIAL_KEYS,
  Loki,
  LokiStorage,
  NodeLogCollector,
  OTEL_GATEWAY_NAME,
  OTEL_NAMESPACE,
  Panel,
  PanelUnit,
  TEMPO_NAMESPACE,
  Tempo,
  TraceGateway,
  capiDashboard,
  certManagerDashboard,
  ciliumDashboard,
  clusterDashboard,
  exposeGrafana,
  fluxDashboard,
  platformDashboards,
  veleroDashboard,
} from './telemetry';
export type {
  DashboardProps,
  DashboardRow,
  GrafanaDatasources,
  GrafanaProps,
  ILoki,
  ITempo,
  LokiFilesystemProps,
  LokiProps,
  LokiS3Props,
  NodeLogCollectorProps,
  PanelOptions,
  PanelQuery,
  TempoProps,
  TraceGatewayProps,
} from './telemetry';
export { TALOS_AUDIT_LOG_DIR, TALOS_LOG_RECEIVER_PORT, talosLoggingPatch } from './talos/logging-machine-config';
export type { TalosLoggingSettings } from './talos/logging-machine-config';
// monitoring (issue 14, h-metrics): the metrics stack and the cluster-level monitoring capability
export { addClusterMonitor, clusterMonitoring, clusterMonitors, MonitorKind } from './flux/cluster-monitoring';
export type { ClusterMonitor, IClusterMonitoring, MonitorEndpoint } from './flux/cluster-monitoring';
export { ALERTING_LABEL, ALERTMANAGER_URL, MONITORING_NAMESPACE, MONITORING_RELEASE, MonitoringStack, PROMETHEUS_SERVICE_ACCOUNT, PROMETHEUS_URL, PrometheusOperatorCrds, SCRAPE_TOKEN_SECRET } from './monitoring';
export type { MonitoringStackProps, PrometheusOperatorCrdsProps } from './monitoring';

// alerts (issue 14, h-alerts): platform rules checked offline, Alertmanager routes per owner, Falco
export {
  ALERT_RUNBOOK_URL,
  AlertFamily,
  AlertReceiver,
  AlertReceiverKind,
  AlertRouting,
  AlertRuleGroup,
  AlertSeverity,
  cronPeriodSeconds,
  labelNameProblem,
  PlatformAlerts,
  promqlProblems,
  templateProblems,
} from './monitoring/alerts';
export type {
  AlertRule,
  AlertRuleGroupProps,
  AlertRoutingProps,
  CertManagerAlertOptions,
  CiliumAlertOptions,
  EmailReceiverOptions,
  FluxAlertOptions,
  NodeAlertOptions,
  OwnerReceivers,
  PagerDutyReceiverOptions,
  PlatformAlertsProps,
  PromqlProblem,
  SlackReceiverOptions,
  VeleroSchedules,
  WebhookReceiverOptions,
} from './monitoring/alerts';
export { Falco, FALCO_NAMESPACE, FALCO_TUNED_RULES, FalcoPriority, TALOS_PLATFORM_ALLOWLIST } from './monitoring/falco';
export type { FalcoAllowlistEntry, FalcoProps } from './monitoring/falco';
// crossplane (issue 13 point 4, decisions 0073-0075): optional, off on every reference cluster
export * from './crossplane';

// bootstrap (issue 16): the typed orchestrator of hack/bootstrap.sh, destroy.sh, verify.sh (a namespace: its
// helpers have short names such as `cmd` and `kubectl`).
export * as bootstrap from './bootstrap';
// policy (issue 15, h-policy): the engine and baselines; the offline check (lib/policy/offline-check.ts) is Node/dev-only
export {
  GATEKEEPER_NAMESPACE,
  Gatekeeper,
  KYVERNO_NAMESPACE,
  Kyverno,
  PLATFORM_NAMESPACES,
  POLICY_NAMESPACE,
  PSS_BASELINE,
  PSS_RELEASE,
  PSS_RESTRICTED_ONLY,
  PolicyAction,
  PolicyBaseline,
  PolicyEngine,
  PolicyExemption,
  baselineRules,
} from './policy';
export type {
  BaselineRule,
  BaselineRuleOptions,
  GatekeeperProps,
  IPolicyEngine,
  KyvernoProps,
  NamespaceExemption,
  PolicyBaselineProps,
  PolicyExemptionProps,
  RuleResource,
  RuleValidation,
} from './policy';
// multi-tenancy, the Flux lockdown and identity (issue 15, h-tenancy; decisions 0093-0095)
export { Tenant, TENANT_LABEL } from './tenancy';
export type { TenantHelmReleaseProps, TenantHelmRepositoryProps, TenantKustomizationProps, TenantLimits, TenantProps, TenantQuota, TenantSourceRef } from './tenancy';
export { crossNamespaceRefErrors, FLUX_LOCKDOWN_FLAGS, fluxLockdownPatches, LOCKDOWN_DEFAULT_SERVICE_ACCOUNT, missingIdentityErrors } from './flux/lockdown';
export type { FluxInstallPatch } from './flux/lockdown';
export { PLATFORM_HELM_SERVICE_ACCOUNT, PLATFORM_KUSTOMIZE_SERVICE_ACCOUNT } from './flux/kustomization';
export { Authentik, clientSecretEnv, Dex, DEX_IMAGE_TAG, fleetSsoClients } from './identity';
export type { AuthentikProps, DexProps, OidcClient } from './identity';
// cli support, rename guard (issue 17, decisions 0110-0114)
export { IDENTITY_KINDS, NAMES_MANIFEST_FILE, RenameGuard, recordNames, recordedNameKey } from './platform/rename-guard';
export type { RecordedName } from './platform/rename-guard';
export { FluxSharding, HELM_RELEASES_PER_MINUTE_AT_CONCURRENCY_10, SHARD_LABEL, sizeFlux } from './flux/sharding';
export type { FluxLoad, FluxSizing } from './flux/sharding';
