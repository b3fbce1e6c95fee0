/**
 * `npm run docs`: regenerates the API reference (docs/api, Markdown) and the graphs (docs/graphs),
 * then records the hashes test/cli/docs.test.ts checks (lib/cli/docs-hash.ts, decision 0113).
 *
 * 1. tsc emits the package's .d.ts (tsconfig.build.json: stripInternal) into build/docs-dts/;
 * 2. @microsoft/api-extractor reads the `infraflux` entry point's .d.ts and its TSDoc into a doc
 *    model (build/docs-api/infraflux.api.json); typedoc does not support TypeScript 7;
 * 3. @microsoft/api-documenter writes one Markdown page per API item into docs/api/;
 * 4. `infraflux graph dist --out docs/graphs`: the Flux graph per cluster and the fleet topology.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';
import { docsRecord, DOCS_RECORD } from '../lib/cli/docs-hash';
import { processIo } from '../lib/cli/io';
import { runCli } from '../lib/cli/main';

const ROOT = join(__dirname, '..');
const bin = (name: string): string => join(ROOT, 'node_modules', '.bin', name);

async function main(): Promise<void> {
  const dts = join(ROOT, 'build', 'docs-dts');
  const model = join(ROOT, 'build', 'docs-api');
  rmSync(dts, { recursive: true, force: true });
  rmSync(model, { recursive: true, force: true });
  mkdirSync(model, { recursive: true });
  execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json', '--emitDeclarationOnly', '--outDir', dts], { cwd: ROOT, stdio: 'inherit' });
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: ROOT,
      mainEntryPointFilePath: join(dts, 'lib', 'index.d.ts'),
      compiler: { overrideTsconfig: { compilerOptions: { skipLibCheck: true, lib: ['es2022'], types: [], moduleResolution: 'node' }, include: [join(dts, 'lib', 'index.d.ts')] } },
      apiReport: { enabled: false },
      docModel: { enabled: true, apiJsonFilePath: join(model, '<unscopedPackageName>.api.json') },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
        extractorMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: join(ROOT, 'package.json'),
  });
  const result = Extractor.invoke(config, { localBuild: true, showVerboseMessages: false });
  if (!result.succeeded) throw new Error(`api-extractor failed: ${result.errorCount} error(s)`);
  const out = join(ROOT, 'docs', 'api');
  rmSync(out, { recursive: true, force: true });
  // api-documenter renders the standard TSDoc tags; the library's `@default` (the aws-cdk/jsii
  // convention) stays in the source and the .d.ts, and its "Unsupported block tag" notes are dropped.
  const doc = spawnSync(bin('api-documenter'), ['markdown', '-i', model, '-o', out], { cwd: ROOT, encoding: 'utf8' });
  const noise = /^Unsupported block tag: @default$/;
  process.stderr.write(doc.stderr.split('\n').filter((l) => l && !noise.test(l)).map((l) => `${l}\n`).join(''));
  if (doc.status !== 0) throw new Error(`api-documenter exited ${doc.status}`);
  const code = await runCli(['graph', 'dist', '--out', 'docs/graphs'], { ...processIo(), cwd: ROOT });
  if (code !== 0) throw new Error(`infraflux graph exited ${code}`);
  writeFileSync(join(ROOT, DOCS_RECORD), `${JSON.stringify(docsRecord(ROOT), null, 2)}\n`);
  console.log(`docs: API reference in docs/api, graphs in docs/graphs, record in ${DOCS_RECORD}`);
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
