#!/usr/bin/env node
// The `crimson` executable (dist/cli.js): hands the command line to main.
import { main } from './cli/main.js';

void main(process.argv.slice(2));
