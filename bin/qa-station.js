#!/usr/bin/env node

// The compiled CLI (npm run build, which npm install runs through "prepare").
const { runCli } = require('../dist/cli/main.js');
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
