#!/usr/bin/env node

// npm start: the Electron app where Electron's binary is installed; otherwise (its download was
// blocked or skipped at install) the browser host, opened in Chromium's app mode.
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

function electronBinary() {
  try {
    const binary = require('electron'); // the electron package exports the binary's path
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null; // the package is there but its binary was never downloaded
  }
}

const binary = electronBinary();
if (binary && !process.argv.includes('--browser')) {
  const child = spawn(binary, [path.join(__dirname, '..')], { stdio: 'inherit' });
  child.on('exit', (code) => {
    process.exitCode = code ?? 0;
  });
} else {
  if (!binary) console.log('The Electron binary is not installed here: starting the browser host instead.');
  const { runCli } = require('../dist/cli/main.js');
  const args = ['serve', '--open', ...process.argv.slice(2).filter((a) => a !== '--browser')];
  runCli(args, { stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
}
