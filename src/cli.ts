#!/usr/bin/env node
// The `crimson` executable (dist/cli.js): hands the command line to main.
import { fileURLToPath } from 'node:url';
import { main } from './cli/main.js';
import { setMainModule } from './cli/main-module.js';

setMainModule(fileURLToPath(import.meta.url));
void main(process.argv.slice(2));
