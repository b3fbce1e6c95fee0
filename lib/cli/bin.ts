#!/usr/bin/env node
/** The `infraflux` executable (package.json `bin`): runs {@link runCli} with the process' streams. */
import { processIo } from './io';
import { runCli } from './main';

void runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
