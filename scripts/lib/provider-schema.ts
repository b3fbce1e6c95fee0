/**
 * The pinned Terraform provider schemas of the spec pack (`terraform/{proxmox,talos,cloudflare}.json`,
 * read only through {@link UpstreamCache}) in two forms:
 *
 * - Terraform's own provider-schema JSON (`terraform providers schema -json`), which
 *   `@cdktf/provider-generator` turns into the bindings in imports/terraform/ (scripts/import-terraform.ts);
 * - a checker for synthesized `cdk.tf.json`: every resource/data source type, attribute and block
 *   must exist in the pinned schema, every required attribute must be set, computed-only attributes
 *   must not be set (see {@link checkTerraformJson}).
 *
 * One conversion serves both, so the bindings and the checker can never disagree about the schema.
 */
import { UpstreamCache } from '../../lib/upstream/lock';

// ---------------------------------------------------------------------------------------------
// The spec pack's schema summary format (terraform/NOTES.md, "Files")
// ---------------------------------------------------------------------------------------------

export interface PackAttribute {
  readonly type: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  readonly writeOnly?: boolean;
  readonly deprecated?: string | boolean;
  readonly description?: string;
  readonly default?: unknown;
  readonly allowedValues?: readonly unknown[];
}

export interface PackBlock {
  readonly nesting?: 'list' | 'set' | 'single';
  readonly schemaKind?: 'block' | 'nestedAttribute';
  readonly min?: number;
  readonly max?: number;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  readonly writeOnly?: boolean;
  readonly deprecated?: string | boolean;
  readonly description?: string;
  readonly attributes?: Readonly<Record<string, PackAttribute>>;
  readonly blocks?: Readonly<Record<string, PackBlock>>;
}

export interface PackResource extends PackBlock {
  /** Set on registrations that are an alias with the same schema as another type. */
  readonly sameSchemaAs?: string;
}

export interface PackProvider {
  /** Source address, e.g. `bpg/proxmox`. */
  readonly provider: string;
  /** Local name and resource-type prefix, e.g. `proxmox`. */
  readonly localName: string;
  readonly version: string;
  readonly providerConfig?: PackBlock;
  readonly resources: Readonly<Record<string, PackResource>>;
  readonly dataSources: Readonly<Record<string, PackResource>>;
}

/** The providers whose bindings we generate (Cloudflare uses the prebuilt npm package). */
export const GENERATED_PROVIDERS = ['proxmox', 'talos'] as const;
export type GeneratedProviderName = (typeof GENERATED_PROVIDERS)[number];

export function packPath(provider: string): string {
  return `terraform/${provider}.json`;
}

export function readPackProvider(cache: UpstreamCache, provider: string): PackProvider {
  return JSON.parse(cache.read(packPath(provider))) as PackProvider;
}

// ---------------------------------------------------------------------------------------------
// Conversion to Terraform's provider-schema JSON
// ---------------------------------------------------------------------------------------------

/** A cty type in Terraform's JSON encoding: `"string"`, `["list", "string"]`, `["object", {...}]`. */
export type CtyType = string | [string, CtyType] | ['object', Record<string, CtyType>];

export interface TfAttribute {
  type?: CtyType;
  nested_type?: { attributes: Record<string, TfAttribute>; nesting_mode: 'single' | 'list' | 'set' };
  description?: string;
  description_kind: 'plain';
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  deprecated?: boolean;
  write_only?: boolean;
}

export interface TfBlock {
  attributes?: Record<string, TfAttribute>;
  block_types?: Record<string, TfBlockType>;
  description?: string;
  description_kind: 'plain';
  deprecated?: boolean;
}

export interface TfBlockType {
  nesting_mode: 'single' | 'list' | 'set';
  block: TfBlock;
  min_items?: number;
  max_items?: number;
}

export interface TfSchema {
  version: number;
  block: TfBlock;
}

export interface TfProviderSchemas {
  format_version: '1.0';
  provider_schemas: Record<
    string,
    { provider: TfSchema; resource_schemas: Record<string, TfSchema>; data_source_schemas: Record<string, TfSchema> }
  >;
  provider_versions: Record<string, string>;
}

/**
 * Parses a Terraform type string of the pack (`list(object({name=string, ref=string}))`) into
 * Terraform's JSON type encoding.
 */
export function parseTerraformType(text: string): CtyType {
  let pos = 0;
  const src = text.replace(/\s+/g, '');
  const fail = (what: string): never => {
    throw new Error(`infraflux: cannot parse Terraform type "${text}" at ${pos}: ${what}`);
  };
  const ident = (): string => {
    const m = /^[a-z_][a-z0-9_]*/i.exec(src.slice(pos));
    if (!m) return fail('expected a name');
    pos += m[0].length;
    return m[0];
  };
  const expect = (ch: string): void => {
    if (src[pos] !== ch) fail(`expected "${ch}"`);
    pos++;
  };
  const type = (): CtyType => {
    const name = ident();
    if (['string', 'number', 'bool', 'dynamic'].includes(name)) return name;
    expect('(');
    let result: CtyType;
    if (name === 'object') {
      expect('{');
      const fields: Record<string, CtyType> = {};
      while (src[pos] !== '}') {
        const key = ident();
        expect('=');
        fields[key] = type();
        if (src[pos] === ',') pos++;
      }
      expect('}');
      result = ['object', fields];
    } else if (['list', 'set', 'map'].includes(name)) {
      result = [name, type()];
    } else {
      return fail(`unknown type constructor ${name}`);
    }
    expect(')');
    return result;
  };
  const result = type();
  if (pos !== src.length) fail('trailing text');
  return result;
}

function flags<T extends object>(entry: PackAttribute | PackBlock, target: T): T {
  const t = target as Record<string, unknown>;
  if (entry.required) t.required = true;
  if (entry.optional) t.optional = true;
  if (entry.computed) t.computed = true;
  if (entry.sensitive) t.sensitive = true;
  if (entry.deprecated) t.deprecated = true;
  if (entry.writeOnly) t.write_only = true;
  return target;
}

function describe(entry: { description?: string }): { description?: string; description_kind: 'plain' } {
  return entry.description ? { description: entry.description, description_kind: 'plain' } : { description_kind: 'plain' };
}

function convertAttribute(attr: PackAttribute): TfAttribute {
  return flags(attr, { type: parseTerraformType(attr.type), ...describe(attr) } as TfAttribute);
}

/** A nested *attribute* (Plugin Framework): an object-valued attribute, `nested_type` in the JSON. */
function convertNestedAttribute(block: PackBlock): TfAttribute {
  return flags(block, {
    nested_type: { attributes: nestedAttributes(block), nesting_mode: block.nesting ?? 'single' },
    ...describe(block),
  } as TfAttribute);
}

function nestedAttributes(block: PackBlock): Record<string, TfAttribute> {
  const attributes: Record<string, TfAttribute> = {};
  for (const [name, attr] of Object.entries(block.attributes ?? {})) attributes[name] = convertAttribute(attr);
  for (const [name, sub] of Object.entries(block.blocks ?? {})) {
    if (sub.schemaKind === 'block') throw new Error(`infraflux: HCL block "${name}" inside a nested attribute is not valid`);
    attributes[name] = convertNestedAttribute(sub);
  }
  return attributes;
}

function convertBlock(block: PackBlock): TfBlock {
  const result: TfBlock = { ...describe(block) };
  const attributes: Record<string, TfAttribute> = {};
  const blockTypes: Record<string, TfBlockType> = {};
  for (const [name, attr] of Object.entries(block.attributes ?? {})) attributes[name] = convertAttribute(attr);
  for (const [name, sub] of Object.entries(block.blocks ?? {})) {
    if (sub.schemaKind === 'nestedAttribute') {
      attributes[name] = convertNestedAttribute(sub);
    } else {
      const blockType: TfBlockType = { nesting_mode: sub.nesting ?? 'list', block: convertBlock(sub) };
      if (sub.min !== undefined) blockType.min_items = sub.min;
      if (sub.max !== undefined) blockType.max_items = sub.max;
      blockTypes[name] = blockType;
    }
  }
  if (Object.keys(attributes).length > 0) result.attributes = attributes;
  if (Object.keys(blockTypes).length > 0) result.block_types = blockTypes;
  return result;
}

function sortedEntries<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The schema of a registration, following `sameSchemaAs` aliases. */
function resolveAlias(all: Readonly<Record<string, PackResource>>, name: string): PackResource {
  const entry = all[name] as PackResource;
  if (!entry.sameSchemaAs) return entry;
  const target = all[entry.sameSchemaAs];
  if (!target) throw new Error(`infraflux: ${name} has the same schema as ${entry.sameSchemaAs}, which the pack does not describe`);
  return { ...target, deprecated: undefined, sameSchemaAs: undefined };
}

/**
 * Terraform's provider-schema JSON for one pack provider. Deprecated registrations (such as bpg's
 * long `proxmox_virtual_environment_download_file`, replaced by `proxmox_download_file`) are left
 * out, so no binding for them exists and the checker rejects them.
 */
export function toTerraformProviderSchema(pack: PackProvider): TfProviderSchemas {
  const fqpn = `registry.terraform.io/${pack.provider}`;
  const schemas = (all: Readonly<Record<string, PackResource>>): Record<string, TfSchema> => {
    const out: Record<string, TfSchema> = {};
    for (const [name, entry] of sortedEntries(all)) {
      if (entry.deprecated) continue;
      out[name] = { version: 0, block: convertBlock(resolveAlias(all, name)) };
    }
    return out;
  };
  return {
    format_version: '1.0',
    provider_schemas: {
      [fqpn]: {
        provider: { version: 0, block: convertBlock(pack.providerConfig ?? {}) },
        resource_schemas: schemas(pack.resources),
        data_source_schemas: schemas(pack.dataSources),
      },
    },
    provider_versions: { [fqpn]: pack.version },
  };
}

// ---------------------------------------------------------------------------------------------
// Checking synthesized Terraform JSON against the pinned schemas
// ---------------------------------------------------------------------------------------------

export interface SchemaIssue {
  /** JSON path, e.g. `resource.proxmox_virtual_environment_vm.cp-1.disk[0].sizee`. */
  readonly path: string;
  readonly message: string;
}

/** Terraform meta-arguments allowed on every resource / data source body. */
const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection', '//']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isReference(value: unknown): boolean {
  return typeof value === 'string' && /\$\{/.test(value);
}

function checkValue(type: CtyType, value: Json, path: string, issues: SchemaIssue[]): void {
  if (isReference(value)) return; // an expression: Terraform checks its type at plan time
  if (type === 'dynamic') return;
  if (type === 'string') {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') issues.push({ path, message: 'expected a string' });
    return;
  }
  if (type === 'number') {
    if (typeof value !== 'number') issues.push({ path, message: 'expected a number' });
    return;
  }
  if (type === 'bool') {
    if (typeof value !== 'boolean') issues.push({ path, message: 'expected a bool' });
    return;
  }
  const [kind, inner] = type as [string, CtyType | Record<string, CtyType>];
  if (kind === 'list' || kind === 'set') {
    if (!Array.isArray(value)) return void issues.push({ path, message: `expected a ${kind}` });
    value.forEach((item, i) => checkValue(inner as CtyType, item, `${path}[${i}]`, issues));
  } else if (kind === 'map') {
    if (!isObject(value)) return void issues.push({ path, message: 'expected a map' });
    for (const [k, v] of Object.entries(value)) checkValue(inner as CtyType, v, `${path}.${k}`, issues);
  } else if (kind === 'object') {
    if (!isObject(value)) return void issues.push({ path, message: 'expected an object' });
    const fields = inner as Record<string, CtyType>;
    for (const [k, v] of Object.entries(value)) {
      const fieldType = fields[k];
      if (fieldType === undefined) issues.push({ path: `${path}.${k}`, message: `unknown object attribute; allowed: ${Object.keys(fields).join(', ')}` });
      else checkValue(fieldType, v, `${path}.${k}`, issues);
    }
  }
}

function checkAttributes(attributes: Record<string, TfAttribute>, body: Record<string, Json>, path: string, issues: SchemaIssue[]): void {
  for (const [name, attr] of Object.entries(attributes)) {
    const value = body[name];
    if (value === undefined) {
      if (attr.required) issues.push({ path: `${path}.${name}`, message: 'required attribute is missing' });
      continue;
    }
    const at = `${path}.${name}`;
    if (attr.computed && !attr.optional && !attr.required) {
      issues.push({ path: at, message: 'attribute is computed by the provider and cannot be set' });
      continue;
    }
    if (attr.type !== undefined) {
      checkValue(attr.type, value, at, issues);
    } else if (attr.nested_type) {
      if (isReference(value)) continue; // whole-object reference (e.g. client_configuration)
      const nested = attr.nested_type;
      const items = nested.nesting_mode === 'single' ? [value] : Array.isArray(value) ? value : undefined;
      if (!items) {
        issues.push({ path: at, message: `expected a ${nested.nesting_mode} of objects` });
        continue;
      }
      items.forEach((item, i) => {
        const itemPath = nested.nesting_mode === 'single' ? at : `${at}[${i}]`;
        if (isReference(item)) return;
        if (!isObject(item)) return void issues.push({ path: itemPath, message: 'expected an object' });
        checkAttributes(nested.attributes, item, itemPath, issues);
        for (const key of Object.keys(item)) {
          if (!(key in nested.attributes)) issues.push({ path: `${itemPath}.${key}`, message: unknownMessage(nested.attributes) });
        }
      });
    }
  }
}

function unknownMessage(allowed: Record<string, unknown>, more: Record<string, unknown> = {}): string {
  return `unknown attribute; allowed: ${[...Object.keys(allowed), ...Object.keys(more)].sort().join(', ')}`;
}

function checkBlock(block: TfBlock, body: Record<string, Json>, path: string, issues: SchemaIssue[], meta: boolean): void {
  const attributes = block.attributes ?? {};
  const blockTypes = block.block_types ?? {};
  for (const key of Object.keys(body)) {
    if (key in attributes || key in blockTypes) continue;
    if (meta && META_ARGUMENTS.has(key)) continue;
    issues.push({ path: `${path}.${key}`, message: unknownMessage(attributes, blockTypes) });
  }
  checkAttributes(attributes, body, path, issues);
  for (const [name, blockType] of Object.entries(blockTypes)) {
    const value = body[name];
    const at = `${path}.${name}`;
    const items = value === undefined ? [] : Array.isArray(value) ? value : [value];
    if (blockType.min_items !== undefined && items.length < blockType.min_items) {
      issues.push({ path: at, message: `at least ${blockType.min_items} block(s) required, got ${items.length}` });
    }
    if (blockType.max_items !== undefined && items.length > blockType.max_items) {
      issues.push({ path: at, message: `at most ${blockType.max_items} block(s) allowed, got ${items.length}` });
    }
    items.forEach((item, i) => {
      const itemPath = `${at}[${i}]`;
      if (!isObject(item)) return void issues.push({ path: itemPath, message: 'a block needs a literal object (no expression)' });
      checkBlock(blockType.block, item, itemPath, issues, false);
    });
  }
}

/** The pinned schemas of some providers, keyed by local name, ready to check synthesized JSON. */
export class PinnedProviderSchemas {
  /** Loads the named providers' pack files through the verified upstream cache. */
  public static load(providers: readonly string[] = GENERATED_PROVIDERS, cache: UpstreamCache = UpstreamCache.default()): PinnedProviderSchemas {
    return new PinnedProviderSchemas(providers.map((p) => readPackProvider(cache, p)));
  }

  private readonly byLocalName = new Map<string, { pack: PackProvider; schema: TfProviderSchemas['provider_schemas'][string] }>();

  public constructor(packs: readonly PackProvider[]) {
    for (const pack of packs) {
      const converted = toTerraformProviderSchema(pack);
      this.byLocalName.set(pack.localName, { pack, schema: Object.values(converted.provider_schemas)[0]! });
    }
  }

  /**
   * Top-level attributes and blocks of a resource or data source type that are, or contain,
   * sensitive values (a block is named when any attribute nested in it is sensitive), plus the
   * hand-written {@link SENSITIVE_OVERRIDES}. Empty for types the loaded packs do not describe.
   */
  public sensitiveAttributes(section: TerraformSection, type: string): Set<string> {
    return new Set((this.sensitiveTree(section, type) ?? new Map()).keys());
  }

  /** Sensitive attributes and blocks of a provider's own configuration (empty when the pack does not describe it). */
  public sensitiveProviderAttributes(localName: string): Set<string> {
    return new Set((this.providerSensitiveTree(localName) ?? new Map()).keys());
  }

  /** @internal Where sensitive values sit in a type's body; undefined when no loaded pack describes the type. */
  public sensitiveTree(section: TerraformSection, type: string): SensitiveTree | undefined {
    const provider = this.byLocalName.get(type.split('_')[0] as string);
    const schema = provider?.schema[section === TerraformSection.DATA ? 'data_source_schemas' : 'resource_schemas'][type];
    if (!schema) return undefined;
    const tree = sensitiveTreeOf(schema.block);
    for (const attr of SENSITIVE_OVERRIDES[`${section}.${type}`] ?? []) tree.set(attr, true);
    return tree;
  }

  /** @internal Where sensitive values sit in a provider configuration; undefined when the pack does not describe it. */
  public providerSensitiveTree(localName: string): SensitiveTree | undefined {
    const provider = this.byLocalName.get(localName);
    if (!provider?.pack.providerConfig) return undefined;
    return sensitiveTreeOf(provider.schema.provider.block);
  }

  /** Local names (resource-type prefixes) of the loaded providers. */
  public get providers(): string[] {
    return [...this.byLocalName.keys()];
  }

  /**
   * Checks every resource, data source and provider block of a synthesized stack (`cdk.tf.json`)
   * whose type belongs to a loaded provider. Types of other providers are ignored.
   */
  public check(stackJson: unknown): SchemaIssue[] {
    const issues: SchemaIssue[] = [];
    if (!isObject(stackJson)) return [{ path: '', message: 'not a JSON object' }];
    const sections: [string, 'resource_schemas' | 'data_source_schemas'][] = [
      ['resource', 'resource_schemas'],
      ['data', 'data_source_schemas'],
    ];
    for (const [section, key] of sections) {
      const byType = stackJson[section];
      if (!isObject(byType)) continue;
      for (const [type, instances] of Object.entries(byType)) {
        const provider = this.byLocalName.get(type.split('_')[0] as string);
        if (!provider) continue;
        const schema = provider.schema[key][type];
        if (!schema) {
          issues.push({ path: `${section}.${type}`, message: `${provider.pack.provider} ${provider.pack.version} has no ${section === 'data' ? 'data source' : 'resource'} of this type (or it is deprecated)` });
          continue;
        }
        if (!isObject(instances)) continue;
        for (const [name, body] of Object.entries(instances)) {
          if (isObject(body)) checkBlock(schema.block, body, `${section}.${type}.${name}`, issues, true);
        }
      }
    }
    const providers = stackJson.provider;
    if (isObject(providers)) {
      for (const [name, configs] of Object.entries(providers)) {
        const provider = this.byLocalName.get(name);
        if (!provider?.pack.providerConfig) continue; // the pack does not describe this provider's configuration
        (Array.isArray(configs) ? configs : [configs]).forEach((config, i) => {
          if (!isObject(config)) return;
          const { alias: _alias, ...body } = config;
          checkBlock(provider.schema.provider.block, body, `provider.${name}[${i}]`, issues, false);
        });
      }
    }
    return issues;
  }
}

// ---------------------------------------------------------------------------------------------
// Secret hygiene of synthesized Terraform JSON
// ---------------------------------------------------------------------------------------------

/** The two sections of a Terraform configuration that hold typed bodies. */
export enum TerraformSection {
  /** `resource.<type>.<name>` */
  RESOURCE = 'resource',
  /** `data.<type>.<name>` */
  DATA = 'data',
}

/**
 * Where sensitive values sit inside a body: `true` = the whole value of this attribute/block is
 * sensitive; a nested tree = only some attributes inside it (nested attributes or HCL blocks).
 */
export type SensitiveTree = Map<string, SensitiveTree | true>;

/**
 * Attributes a provider does not mark `sensitive` in its schema but that carry a secret, keyed
 * `<section>.<type>`. Cloudflare 5.14.0's `cloudflare_zero_trust_tunnel_cloudflared_token.token`
 * is the connector token (`cloudflared tunnel run --token`), yet only `computed` in the schema.
 */
export const SENSITIVE_OVERRIDES: Readonly<Record<string, readonly string[]>> = {
  'data.cloudflare_zero_trust_tunnel_cloudflared_token': ['token'],
};

/**
 * Fail-closed rule where no loaded pack describes a provider configuration or a type: an attribute
 * whose name says it holds a secret is treated as sensitive. Names ending in an identifier or flag
 * suffix (`kms_key_id`, `key_name`, `bucket_key_enabled`, `private_key_type`, `keyboard_layout`)
 * name or configure a key rather than hold one, and are not.
 */
const SECRET_NAME = /token|key|password|secret/i;
const NOT_A_SECRET_NAME = /(^public_key)|(_(id|ids|arn|arns|name|names|type|enabled|version|algorithm|layout|tag|rotation))$|^keyboard/i;

/** Whether an attribute name says it holds a secret (see {@link SECRET_NAME}). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_A_SECRET_NAME.test(name);
}

function attributeTree(attr: TfAttribute): SensitiveTree | true | undefined {
  if (attr.sensitive) return true;
  const tree: SensitiveTree = new Map();
  for (const [name, nested] of Object.entries(attr.nested_type?.attributes ?? {})) {
    const sub = attributeTree(nested);
    if (sub) tree.set(name, sub);
  }
  return tree.size > 0 ? tree : undefined;
}

/** Sensitive attributes of a schema block, recursing into nested attributes and `block_types`. */
function sensitiveTreeOf(block: TfBlock): SensitiveTree {
  const tree: SensitiveTree = new Map();
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    const sub = attributeTree(attr);
    if (sub) tree.set(name, sub);
  }
  for (const [name, blockType] of Object.entries(block.block_types ?? {})) {
    const sub = sensitiveTreeOf(blockType.block);
    if (sub.size > 0) tree.set(name, sub);
  }
  return tree;
}

/** Fail-closed tree of a body no pack describes: its secret-named top-level attributes. */
function secretNameTree(body: Record<string, Json>): SensitiveTree {
  return new Map(Object.keys(body).filter(isSecretName).map((name) => [name, true] as const));
}

const REFERENCE = /\$\{([^}]*)\}/g;

/** The `type.name.attr` / `data.type.name.attr` / `var.name` references inside a string. */
function references(value: string): string[][] {
  const refs: string[][] = [];
  for (const m of value.matchAll(REFERENCE)) {
    for (const r of (m[1] as string).matchAll(/\b((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+(?:\.[a-z0-9_]+)?)/g)) refs.push((r[1] as string).split('.'));
  }
  return refs;
}

/**
 * Finds secrets that could leak through synthesized Terraform JSON:
 * - a sensitive input (provider `api_token`, Talos `client_configuration`, a VM's
 *   `initialization.user_account.password`, the provider's `ssh.private_key`, …) holding a literal
 *   instead of a reference, or referring to a variable that is not `sensitive`. Sensitivity comes
 *   from the loaded pack schemas (attributes nested in blocks included) plus
 *   {@link SENSITIVE_OVERRIDES}; where no loaded pack describes a provider configuration or a type
 *   (Cloudflare's provider block, AWS/Google/Azure), secret-named attributes count as sensitive
 *   ({@link isSecretName}), so an undescribed provider fails closed;
 * - an output whose value references a sensitive attribute or variable without `sensitive: true`;
 * - a variable whose name says it is a secret but that is not `sensitive`.
 */
export function findSecretLeaks(schemas: PinnedProviderSchemas, stackJson: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  if (!isObject(stackJson)) return issues;
  const variables = isObject(stackJson.variable) ? stackJson.variable : {};
  const sensitiveVars = new Set(Object.entries(variables).filter(([, v]) => isObject(v) && v.sensitive === true).map(([k]) => k));
  for (const [name, v] of Object.entries(variables)) {
    if (/token|password|secret|key/i.test(name) && !(isObject(v) && v.sensitive === true)) {
      issues.push({ path: `variable.${name}`, message: 'a secret-named variable must be sensitive' });
    }
  }
  const isSensitiveRef = (ref: string[]): boolean => {
    if (ref[0] === 'var') return sensitiveVars.has(ref[1] as string);
    const [section, type, attr] = ref[0] === 'data' ? [TerraformSection.DATA, ref[1], ref[3]] : [TerraformSection.RESOURCE, ref[0], ref[2]];
    if (!type || !attr) return false;
    const tree = schemas.sensitiveTree(section, type);
    return tree ? tree.has(attr) : isSecretName(attr);
  };
  /** A sensitive value: references only, and every variable it refers to is sensitive. */
  const checkSensitiveValue = (value: Json, path: string): void => {
    if (typeof value === 'string' && references(value).length > 0) {
      for (const ref of references(value)) {
        if (ref[0] === 'var' && !sensitiveVars.has(ref[1] as string)) {
          issues.push({ path, message: `sensitive attribute refers to variable "${ref[1]}", which is not sensitive; mark the variable sensitive` });
        }
      }
      return;
    }
    if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) checkSensitiveValue(v, `${path}.${k}`);
      return;
    }
    if (Array.isArray(value)) return value.forEach((v, i) => checkSensitiveValue(v, `${path}[${i}]`));
    if (value !== null && value !== '') issues.push({ path, message: 'sensitive attribute holds a literal; pass a sensitive variable or resource reference' });
  };
  /** Follows the tree into blocks / nested attributes down to the sensitive values. */
  const walk = (body: Record<string, Json>, tree: SensitiveTree, path: string): void => {
    for (const [name, node] of tree) {
      const value = body[name];
      if (value === undefined) continue;
      const at = `${path}.${name}`;
      if (node === true) {
        checkSensitiveValue(value, at);
        continue;
      }
      const items = Array.isArray(value) ? value.map((v, i) => [v, `${at}[${i}]`] as const) : [[value, at] as const];
      for (const [item, itemPath] of items) {
        if (isObject(item)) walk(item, node, itemPath);
        else checkSensitiveValue(item, itemPath); // a whole-block expression: must be a safe reference
      }
    }
  };
  for (const section of [TerraformSection.RESOURCE, TerraformSection.DATA]) {
    const byType = stackJson[section];
    if (!isObject(byType)) continue;
    for (const [type, instances] of Object.entries(byType)) {
      if (!isObject(instances)) continue;
      const tree = schemas.sensitiveTree(section, type);
      for (const [name, body] of Object.entries(instances)) {
        if (isObject(body)) walk(body, tree ?? secretNameTree(body), `${section}.${type}.${name}`);
      }
    }
  }
  const providers = isObject(stackJson.provider) ? stackJson.provider : {};
  for (const [name, configs] of Object.entries(providers)) {
    const tree = schemas.providerSensitiveTree(name);
    (Array.isArray(configs) ? configs : [configs]).forEach((c, i) => {
      if (isObject(c)) walk(c, tree ?? secretNameTree(c), `provider.${name}[${i}]`);
    });
  }
  const outputs = isObject(stackJson.output) ? stackJson.output : {};
  for (const [name, output] of Object.entries(outputs)) {
    if (!isObject(output)) continue;
    const refs = references(JSON.stringify(output.value ?? null));
    if (refs.some(isSensitiveRef) && output.sensitive !== true) {
      issues.push({ path: `output.${name}`, message: 'output exposes a sensitive value but is not marked sensitive' });
    }
  }
  return issues;
}
