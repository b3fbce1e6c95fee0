/** @internal The local state backend every InfraFlux Terraform stack uses. */
import { LocalBackend, TerraformStack } from 'cdktf';

/**
 * Default local state path of a stack, relative to the folder Terraform runs in
 * (`cdktf.out/stacks/<stack>/`): `../../../terraform.<stack id>.tfstate`, i.e. the repository root
 * next to cdktf.out/. cdktf.out/ is throwaway output (cdktf deletes the folders of stacks that no
 * longer exist), so state must not live inside it. The path stays relative so the synthesized JSON
 * is identical on every machine (cdktf's own default is an absolute path).
 * @see https://developer.hashicorp.com/terraform/cdktf/concepts/remote-backends
 */
export function defaultStatePath(stackId: string): string {
  return `../../../terraform.${stackId}.tfstate`;
}

/** Adds the stack's local backend: `statePath` when given, else {@link defaultStatePath}. */
export function addLocalStateBackend(stack: TerraformStack, stackId: string, statePath?: string): LocalBackend {
  return new LocalBackend(stack, { path: statePath ?? defaultStatePath(stackId) });
}
