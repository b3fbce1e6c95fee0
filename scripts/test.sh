#!/usr/bin/env bash
# `npm test`: the type check (`tsc --noEmit` over everything, TypeScript 7) and jest run side by
# side: jest's last minutes keep one core busy with the longest test files while the other would
# idle, and tsc fills it. Fails when either fails; tsc's report is printed after jest's.
set -uo pipefail
cd "$(dirname "$0")/.."
tsc_log="$(mktemp)"
npx tsc --noEmit > "$tsc_log" 2>&1 &
tsc_pid=$!
npx jest "$@"
jest_rc=$?
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
