#!/usr/bin/env node
import { createProgram } from './program.js';

createProgram()
  .parseAsync()
  .catch((e: Error) => {
    console.error(`error: ${e.message}`);
    process.exit(2);
  });
