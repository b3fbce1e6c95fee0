/**
 * Crossplane packages InfraFlux installs. The spec pack pins Crossplane itself (chart and core
 * CRDs, crossplane/NOTES.md) but no provider or function package, so they are pinned here, each
 * with the page that names the exact tag (decision 0073). Crossplane v2 has no default registry:
 * every package is fully qualified.
 */

/** A Crossplane package: a fully qualified OCI reference with an exact tag. */
export interface CrossplanePackageRef {
  /** Registry and repository, e.g. `xpkg.crossplane.io/crossplane-contrib/provider-aws-s3`. */
  readonly repository: string;
  /** Exact tag, e.g. `v2.0.0`. */
  readonly tag: string;
  /** Where the tag is documented. */
  readonly source: string;
}

const UPJET_AWS_V2 =
  'https://docs.crossplane.io/latest/get-started/get-started-with-managed-resources/ (Provider xpkg.crossplane.io/crossplane-contrib/provider-aws-s3:v2.0.0, namespaced MRs in s3.aws.m.upbound.io, ClusterProviderConfig aws.m.upbound.io/v1beta1); https://github.com/crossplane-contrib/provider-upjet-aws/releases/tag/v2.0.0 (one release for the whole family)';

/** Pinned packages (decision 0073). */
export const CROSSPLANE_PACKAGES = {
  /** The AWS family provider: the `aws.m.upbound.io` ProviderConfig/ClusterProviderConfig CRDs every AWS provider of the family shares. */
  providerFamilyAws: { repository: 'xpkg.crossplane.io/crossplane-contrib/provider-family-aws', tag: 'v2.0.0', source: UPJET_AWS_V2 },
  /** S3 managed resources (`s3.aws.m.upbound.io`). */
  providerAwsS3: { repository: 'xpkg.crossplane.io/crossplane-contrib/provider-aws-s3', tag: 'v2.0.0', source: UPJET_AWS_V2 },
  /** IAM managed resources (`iam.aws.m.upbound.io`): the bucket's user and access key. */
  providerAwsIam: { repository: 'xpkg.crossplane.io/crossplane-contrib/provider-aws-iam', tag: 'v2.0.0', source: UPJET_AWS_V2 },
  /** RDS managed resources (`rds.aws.m.upbound.io`). */
  providerAwsRds: { repository: 'xpkg.crossplane.io/crossplane-contrib/provider-aws-rds', tag: 'v2.0.0', source: UPJET_AWS_V2 },
  /** Route 53 managed resources (`route53.aws.m.upbound.io`). */
  providerAwsRoute53: { repository: 'xpkg.crossplane.io/crossplane-contrib/provider-aws-route53', tag: 'v2.0.0', source: UPJET_AWS_V2 },
  /** function-patch-and-transform: the patch-and-transform step of a Pipeline Composition (input `pt.fn.crossplane.io/v1beta1` Resources). */
  functionPatchAndTransform: {
    repository: 'xpkg.crossplane.io/crossplane-contrib/function-patch-and-transform',
    tag: 'v0.8.2',
    source: 'https://docs.crossplane.io/latest/packages/functions/ (Install a function: xpkg.crossplane.io/crossplane-contrib/function-patch-and-transform:v0.8.2)',
  },
} as const satisfies Record<string, CrossplanePackageRef>;

/** `repository:tag`. */
export function packageImage(ref: CrossplanePackageRef): string {
  return `${ref.repository}:${ref.tag}`;
}
