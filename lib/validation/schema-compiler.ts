import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Ajv, { _, type ErrorObject, type KeywordCxt, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import { strConcat } from 'ajv/dist/compile/codegen';
import { extendErrors } from 'ajv/dist/compile/errors';
import N from 'ajv/dist/compile/names';
import standaloneCode from 'ajv/dist/standalone';
import { K8S_FORMATS, LIST_MAP_KEYS_KEYWORD } from './k8s-schema';
import { isJsonObject, joinPointer, type JsonObject } from './types';

/**
 * Compiles the converted Kubernetes schemas with Ajv, and keeps the generated code.
 *
 * Ajv compiles a schema by generating JavaScript source, which is most of its cost (a large CRD
 * takes up to seconds). With a store folder, the generated code of every schema (Ajv standalone
 * code, https://ajv.js.org/standalone.html) is written to `<store>/<key>.js.gz`, where the key is
 * the sha256 of: this compiler's fingerprint (Ajv version, options, the source of this file and
 * k8s-schema), the sha256 of the core definitions the schema may `$ref`, and the schema itself.
 * A later process (another jest worker, the next run) loads that file instead of compiling:
 * the same input gives the same code, so loading it is as good as compiling it again (files are
 * gzipped: Ajv's code of a pod template is about 1 MB). Files are
 * written atomically (temporary file + rename), so concurrent writers cannot leave half a file.
 */

/** The module name generated code uses (through the loader's `require`) for our runtime helpers. */
const RUNTIME_MODULE = 'infraflux:k8s-runtime';

/** Custom keyword: items of an `x-kubernetes-list-type: map` list must have distinct keys. */
export const listMapKeysValidator: SchemaValidateFunction = (keys: string[], data: unknown, _parent?: unknown, cxt?: { instancePath?: string }): boolean => {
  if (!Array.isArray(data)) return true;
  const seen = new Map<string, number>();
  const errors: Partial<ErrorObject>[] = [];
  data.forEach((item, index) => {
    if (!isJsonObject(item)) return;
    const id = JSON.stringify(keys.map((k) => item[k] ?? null));
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else {
      errors.push({
        keyword: LIST_MAP_KEYS_KEYWORD,
        instancePath: joinPointer(cxt?.instancePath ?? '', index),
        params: { keys },
        message: `duplicate entry: same ${keys.join('/')} as item ${first} (list-type map keys must be unique)`,
      });
    }
  });
  listMapKeysValidator.errors = errors;
  return errors.length === 0;
};

const RUNTIME: Readonly<Record<string, unknown>> = { formats: K8S_FORMATS, listMapKeysValidator };

/**
 * The keyword as generated code (the same code Ajv emits for a `validate` keyword with errors), so
 * that the standalone code can name the function through RUNTIME_MODULE.
 */
function listMapKeysCode(cxt: KeywordCxt): void {
  const { gen, schemaCode, data, it } = cxt;
  const fn = gen.scopeValue('keyword', { ref: listMapKeysValidator, code: _`require(${RUNTIME_MODULE}).listMapKeysValidator` });
  const valid = gen.let('valid');
  gen.assign(_`${fn}.errors`, null);
  gen.assign(valid, _`${fn}(${schemaCode}, ${data}, undefined, {instancePath: ${strConcat(N.instancePath, it.errorPath)}})`);
  gen.if(_`!${valid}`, () => {
    const errs = _`${fn}.errors`;
    gen.if(_`Array.isArray(${errs})`, () => {
      gen.assign(N.vErrors, _`${N.vErrors} === null ? ${errs} : ${N.vErrors}.concat(${errs})`).assign(N.errors, _`${N.vErrors}.length`);
      extendErrors(cxt);
    });
  });
  cxt.ok(valid);
}

const AJV_VERSION = (JSON.parse(readFileSync(require.resolve('ajv/package.json'), 'utf8')) as { version: string }).version;

function sourceOf(module: string): string {
  const ext = __filename.endsWith('.ts') ? '.ts' : '.js';
  return readFileSync(join(__dirname, `${module}${ext}`), 'utf8');
}

/** What the generated code depends on besides the schema: Ajv's version and our code. */
export const COMPILER_FINGERPRINT = createHash('sha256')
  .update(`ajv ${AJV_VERSION}\n`)
  .update(sourceOf('schema-compiler'))
  .update(sourceOf('k8s-schema'))
  .digest('hex');

/** `require` for generated code: our runtime helpers and Ajv's runtime modules only. */
function runtimeRequire(id: string): unknown {
  if (id === RUNTIME_MODULE) return RUNTIME;
  if (id.startsWith('ajv/dist/runtime/') || id === 'ajv-formats/dist/formats') return require(id);
  throw new Error(`infraflux: generated validator requires unknown module ${id}`);
}

function loadStandalone(code: string): ValidateFunction {
  const module = { exports: {} as unknown };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('require', 'module', 'exports', code)(runtimeRequire, module, module.exports);
  return module.exports as ValidateFunction;
}

/** A folder of Ajv standalone code, one gzipped file per key. */
export class CodeStore {
  public constructor(public readonly dir: string) {}

  public get(key: string): ValidateFunction | undefined {
    const file = join(this.dir, `${key}.js.gz`);
    if (!existsSync(file)) return undefined;
    return loadStandalone(gunzipSync(readFileSync(file)).toString('utf8'));
  }

  /** Writes the code of `validate` (compiled by `ajv`, which must have `code.source`). */
  public put(key: string, ajv: Ajv, validate: ValidateFunction): void {
    const file = join(this.dir, `${key}.js.gz`);
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
      writeFileSync(tmp, gzipSync(standaloneCode(ajv, validate), { level: 1 }));
      renameSync(tmp, file);
    } catch {
      // A read-only store only costs the next process a compile.
    }
  }
}

export interface SchemaCompilerOptions {
  /** Converted core definitions (registered under K8S_SCHEMA_ID), which schemas `$ref`. */
  readonly definitions: () => JsonObject;
  /** sha256 of the core definitions (part of every key). */
  readonly definitionsSha256: string;
  /** Folder of generated code; without it, nothing is written or read. */
  readonly store?: string;
}

export class SchemaCompiler {
  private ajvInstance: Ajv | undefined;
  /** Validators compiled or loaded by this compiler. */
  public compiled = 0;
  public loaded = 0;

  public constructor(private readonly options: SchemaCompilerOptions) {}

  /** The key of a schema in the store. */
  public key(schema: JsonObject): string {
    return createHash('sha256')
      .update(`${COMPILER_FINGERPRINT}\n${this.options.definitionsSha256}\n`)
      .update(JSON.stringify(schema))
      .digest('hex');
  }

  /** Throws what Ajv throws when the schema does not compile. */
  public compile(schema: JsonObject): ValidateFunction {
    const store = this.options.store ? new CodeStore(this.options.store) : undefined;
    const key = store ? this.key(schema) : '';
    const stored = store?.get(key);
    if (stored) {
      this.loaded++;
      return stored;
    }
    const validate = this.ajv().compile(schema);
    this.compiled++;
    store?.put(key, this.ajv(), validate);
    return validate;
  }

  private ajv(): Ajv {
    if (this.ajvInstance) return this.ajvInstance;
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      verbose: true,
      formats: { ...K8S_FORMATS },
      logger: false,
      code: { source: true, formats: _`require(${RUNTIME_MODULE}).formats` },
    });
    ajv.addKeyword({ keyword: LIST_MAP_KEYS_KEYWORD, schemaType: 'array', type: 'array', trackErrors: true, code: listMapKeysCode });
    ajv.addSchema(this.options.definitions());
    this.ajvInstance = ajv;
    return ajv;
  }
}
