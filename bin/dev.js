#!/usr/bin/env -S node --import tsx
// Runs the CLI straight from src/ (no build step while developing, and in the CLI tests). tsx is already
// registered by --import, so the TypeScript handling of oclif is turned off and commands load from src/commands.
// oclif is rooted in src/ so that it never reads oclif.manifest.json, which the build writes next to package.json
// and which names the built files and flags of the last build: with no manifest, oclif reads the sources.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execute, settings } from '@oclif/core';

const root = fileURLToPath(new URL('../src', import.meta.url));
const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
pjson.oclif.commands = './commands';
settings.enableAutoTranspile = false;
await execute({ development: true, loadOptions: { root, pjson, userPlugins: false } });
