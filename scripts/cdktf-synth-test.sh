#!/usr/bin/env bash
# The card's own Terraform command: `npx cdktf synth` (cdktf-cli, a devDependency) must write the
# same stacks as `npm run synth` -- the same cdk.tf.json for every stack. .ci/run calls this (it
# takes longer than a unit test should: the CLI starts a Node process tree of its own).
# Offline: CHECKPOINT_DISABLE turns off HashiCorp's checkpoint (version/telemetry) calls, and
# cdktf.json sets sendCrashReports false; the app needs no provider download (prebuilt bindings).
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
OUT="$(mktemp -d "${TMPDIR:-/tmp}/infraflux-cdktf.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT

npx --no-install cdktf synth --output "$OUT/cdktf-cli" > "$OUT/cli.log" 2>&1 || { cat "$OUT/cli.log"; echo "cdktf synth failed"; exit 1; }
npm run -s synth
git diff --exit-code --stat -- dist/ || { echo "npm run synth changed dist/"; exit 1; }

cli_stacks="$(cd "$OUT/cdktf-cli/stacks" && ls | sort)"
npm_stacks="$(cd cdktf.out/stacks && ls | sort)"
[ "$cli_stacks" = "$npm_stacks" ] || { echo "stacks differ: cdktf synth: [$cli_stacks] npm run synth: [$npm_stacks]"; exit 1; }
[ -n "$cli_stacks" ] || { echo "no stacks synthesized"; exit 1; }
for stack in $cli_stacks; do
  cmp -s "$OUT/cdktf-cli/stacks/$stack/cdk.tf.json" "cdktf.out/stacks/$stack/cdk.tf.json" \
    || { echo "stack $stack: cdk.tf.json differs between cdktf synth and npm run synth"; diff <(head -c 2000 "$OUT/cdktf-cli/stacks/$stack/cdk.tf.json") <(head -c 2000 "cdktf.out/stacks/$stack/cdk.tf.json") || true; exit 1; }
  echo "cdktf: $stack: cdk.tf.json identical from \`npx cdktf synth\` and \`npm run synth\`"
done
