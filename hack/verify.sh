#!/usr/bin/env bash
# hack/verify.sh: a thin wrapper; the steps are typed, tested code in lib/bootstrap (docs/bootstrap.md).
set -euo pipefail
cd "$(dirname "$0")/.."
exec npx --no-install tsx hack/cli.ts verify "$@"
