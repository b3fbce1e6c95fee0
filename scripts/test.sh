#!/usr/bin/env bash
# `npm test`: the type check (`tsc --noEmit` over everything, TypeScript 7) and jest run side by
# side: jest's last minutes keep one core busy with the longest test files while the other would
# idle, and tsc fills it. Fails when either fails; tsc's report is printed after jest's.
set -uo pipefail
cd "$(dirname "$0")/.."
tsc_log="$(mktemp)"
npx tsc --noEmit > "$tsc_log" 2>&1 &
tsc_pid=$!
# A watchdog, not a retry: jest's runner once had a start-up race that hung a run (fixed in
# test/support/light-runner.mjs, decision 0005). A run that has not finished in 150 s (a normal one
# takes 35-60 s) is killed with its process group and fails, saying so.
timeout --kill-after=10 150 npx jest "$@"
jest_rc=$?
if [ "$jest_rc" -eq 124 ] || [ "$jest_rc" -eq 137 ]; then
  echo "jest did not finish within 150 s: killed (a hang is a defect: see decision 0005)"
fi
wait "$tsc_pid"
tsc_rc=$?
if [ "$tsc_rc" -ne 0 ]; then
  echo "tsc --noEmit failed (exit $tsc_rc):"
  cat "$tsc_log"
else
  echo "tsc --noEmit: no type errors"
fi
rm -f "$tsc_log"
[ "$tsc_rc" -eq 0 ] && [ "$jest_rc" -eq 0 ]
