#!/usr/bin/env node
// Runs the CLI from this module (from source with `node --import tsx cli/entry.ts`, or built as dist/cli/entry.js).
import { main } from './main.js';

process.exitCode = await main(process.argv);
