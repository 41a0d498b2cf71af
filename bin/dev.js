#!/usr/bin/env -S node --import tsx
// Runs the CLI straight from src/ (no build step while developing, and in the CLI tests). tsx is already
// registered by --import, so the TypeScript handling of oclif is turned off and commands load from src/commands.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execute, settings } from '@oclif/core';

const root = fileURLToPath(new URL('..', import.meta.url));
const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
pjson.oclif.commands = './src/commands';
settings.enableAutoTranspile = false;
await execute({ development: true, loadOptions: { root, pjson } });
