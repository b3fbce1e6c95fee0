/**
 * The CDKTF app of the reference fleet. `cdktf synth|deploy` runs this file (cdktf.json);
 * `npm run synth` calls {@link synthTerraform} too. Output: the git-ignored cdktf.out/.
 */
import { App } from 'cdktf';
import { CloudflareZoneStack } from '../lib/terraform/cloudflare-zone-stack';
import { FLEET_DOMAIN } from './fleet';

export function buildTerraformApp(outdir = 'cdktf.out'): App {
  const app = new App({ outdir, skipValidation: false });
  new CloudflareZoneStack(app, 'cloudflare-dns', { zoneName: FLEET_DOMAIN.split('.').slice(-2).join('.') });
  return app;
}

export function synthTerraform(outdir = 'cdktf.out'): void {
  buildTerraformApp(outdir).synth();
}

if (require.main === module) synthTerraform();
