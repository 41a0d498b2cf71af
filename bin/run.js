#!/usr/bin/env node
// Runs the built CLI from dist/ (npm install builds it through `prepare`). hcpgen has no user-installed oclif
// plugins: without userPlugins: false oclif would read a package.json in $HCPGEN_DATA_DIR (its data directory
// shares the name of ours, the embedded database's), and warn with a stack trace when that path is unusable.
import { fileURLToPath } from 'node:url';
import { execute } from '@oclif/core';

await execute({ loadOptions: { root: fileURLToPath(new URL('..', import.meta.url)), userPlugins: false } });
