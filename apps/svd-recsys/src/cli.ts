#!/usr/bin/env node
import { createProgram } from './program.js';

// pnpm runs the app in its own folder; relative paths on the command line are the caller's.
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

createProgram()
  .parseAsync()
  .catch((e: Error) => {
    console.error(`error: ${e.message}`);
    process.exit(2);
  });
