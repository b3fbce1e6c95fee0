/**
 * `npm run synth` (and `cdk8s synth`): the reference fleet into dist/, the CDKTF app into
 * cdktf.out/. Deterministic: the same code gives byte-identical output.
 */
import { buildReferenceFleet } from './fleet';
import { synthTerraform } from './terraform';

function main(): void {
  const fleet = buildReferenceFleet('dist');
  const { files } = fleet.synthesize();
  synthTerraform('cdktf.out');
  console.log(`synth: ${files} manifests for ${fleet.clusters.length} clusters in dist/; Terraform JSON in cdktf.out/`);
}

try {
  main();
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
