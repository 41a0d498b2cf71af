#!/usr/bin/env node
// Runs the built CLI from dist/ (npm install builds it through `prepare`).
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
