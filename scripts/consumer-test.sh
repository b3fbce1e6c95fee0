#!/usr/bin/env bash
# The consumer test (.ci/run calls it after `npm test`): what a new user of the package does.
#   1. `npm pack` this repository (prepack builds build/);
#   2. an empty temporary project installs the tarball plus only what a cdk8s user needs (the
#      non-optional peers cdk8s, cdk8s-plus-33, constructs) and typescript, from the registry,
#      with an empty throw-away npm cache;
#   3. `tsc` type-checks scripts/consumer/fleet.ts strictly (no skipLibCheck, no @types/node);
#   4. scripts/consumer/check.cjs: `require('infraflux')` loads no cdktf/@cdktf module, a
#      one-cluster fleet synthesizes, synth refuses an unknown field, an unknown kind, a
#      plaintext Secret and Helm value typos (CiliumNetworking, CertManager, a plain FluxApp),
#      and `infraflux/validation` validates this repository's dist/ from node_modules;
#   5. prints the installed size of the consumer's node_modules (must be < 1.2 GB / 5).
# Needs the npm registry; never the upstream mirror. No INFRAFLUX_* variable reaches the consumer.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/infraflux-consumer.XXXXXX")"
NPM_CACHE="$(mktemp -d "${TMPDIR:-/tmp}/infraflux-consumer-npm-cache.XXXXXX")"
# CONSUMER_KEEP=1 keeps the temporary project (to debug check.cjs); the npm cache always goes.
if [ "${CONSUMER_KEEP:-}" = 1 ]; then trap 'rm -rf "$NPM_CACHE"; echo "consumer: kept $WORK"' EXIT; else trap 'rm -rf "$WORK" "$NPM_CACHE"' EXIT; fi

dev() { node -p "require('$ROOT/package.json').devDependencies['$1']"; }

echo "consumer: packing $(node -p "require('$ROOT/package.json').version") ..."
(cd "$ROOT" && npm pack --silent --pack-destination "$WORK" >/dev/null)
TARBALL="$(ls "$WORK"/infraflux-*.tgz)"
echo "consumer: $(basename "$TARBALL"): $(du -h "$TARBALL" | cut -f1) packed"

mkdir -p "$WORK/app"
cp "$ROOT/scripts/consumer/fleet.ts" "$ROOT/scripts/consumer/check.cjs" "$ROOT/scripts/consumer/tsconfig.json" "$WORK/app/"
cd "$WORK/app"
printf '{ "name": "infraflux-consumer", "version": "0.0.0", "private": true, "license": "UNLICENSED" }\n' > package.json
env -u INFRAFLUX_UPSTREAM_MIRROR -u INFRAFLUX_UPSTREAM_CACHE -u INFRAFLUX_UPSTREAM_LOCK \
  npm install --cache "$NPM_CACHE" --no-audit --no-fund --loglevel=error \
  "$TARBALL" "cdk8s@$(dev cdk8s)" "cdk8s-plus-33@$(dev cdk8s-plus-33)" "constructs@$(dev constructs)" "typescript@$(dev typescript)"

for forbidden in cdktf @cdktf @types/node; do
  if [ -e "node_modules/$forbidden" ]; then echo "consumer: FAIL: node_modules/$forbidden was installed for a cdk8s-only consumer"; exit 1; fi
done

echo "consumer: tsc (strict, no skipLibCheck, no @types/node) ..."
npx --no-install tsc -p tsconfig.json

# Schema pack: validation needs the pinned schemas inside the package. Until the package ships
# them (build/schemas/pack.json.gz), the repository's lock and verified cache stand in, and the
# run says so.
ENV_ARGS=(-u INFRAFLUX_UPSTREAM_MIRROR -u INFRAFLUX_UPSTREAM_CACHE -u INFRAFLUX_UPSTREAM_LOCK)
if [ ! -e node_modules/infraflux/build/schemas/pack.json.gz ]; then
  echo "consumer: WARNING: the package ships no schema pack (build/schemas/pack.json.gz); validating with the repository's upstream.lock.json and .upstream-cache"
  ENV_ARGS+=("INFRAFLUX_UPSTREAM_LOCK=$ROOT/upstream.lock.json" "INFRAFLUX_UPSTREAM_CACHE=$ROOT/.upstream-cache")
fi
env "${ENV_ARGS[@]}" CONSUMER_DIST_DIR="$ROOT/dist" node check.cjs
# The package's bin from the tarball (decision 0110): the reference dist/ validates clean.
env "${ENV_ARGS[@]}" npx --no-install infraflux validate "$ROOT/dist" >/dev/null
echo "consumer: npx infraflux validate dist: exit 0"

BYTES="$(du -sb node_modules | cut -f1)"
LIMIT=$((1200 * 1000 * 1000 / 5))
echo "consumer: installed size of a cdk8s-only consumer's node_modules: $((BYTES / 1000 / 1000)) MB ($BYTES bytes; limit $((LIMIT / 1000 / 1000)) MB = 1.2 GB / 5)"
if [ "$BYTES" -ge "$LIMIT" ]; then echo "consumer: FAIL: node_modules is not 5x smaller than 1.2 GB"; exit 1; fi
echo "consumer: all checks passed"
