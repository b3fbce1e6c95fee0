#!/usr/bin/env bash
# Reproduces jest-light-runner's start-up race (decision 0005) and shows the fixed runner does not
# hang: a four-file suite, each child process delayed 0-400 ms at start-up, run N times with the
# upstream child-process runner and with test/support/light-runner.mjs. Not part of `npm test`
# (it takes about a minute). usage: scripts/runner-race.sh [N=20]
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-20}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/test"
for f in a b c d; do echo "test('$f', () => expect(1).toBe(1));" > "$dir/test/$f.test.js"; done
echo 'const end = Date.now() + Math.floor(Math.random() * 400); while (Date.now() < end) {}' > "$dir/delay.mjs"
echo "module.exports = { rootDir: __dirname, runner: process.env.RUNNER, roots: ['<rootDir>/test'], maxWorkers: 2 };" > "$dir/jest.config.js"
ln -s "$repo/node_modules" "$dir/node_modules"
for runner in jest-light-runner/child-process "$repo/test/support/light-runner.mjs"; do
  hung=0
  for _ in $(seq 1 "$n"); do
    RUNNER="$runner" NODE_OPTIONS="--import $dir/delay.mjs" timeout 15 "$repo/node_modules/.bin/jest" -c "$dir/jest.config.js" > /dev/null 2>&1
    [ $? -eq 124 ] && hung=$((hung + 1))
  done
  echo "$runner: hung in $hung of $n runs"
done
