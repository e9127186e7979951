import { keepNewFilesPrivate } from '../main/privateFiles';
import { Command, CommanderError } from 'commander';
import { DomainError } from '../main/domainError';
import { ImageDecodeError } from '../main/ingest/imageDecodeError';
import { NotAuthorisedError } from '../main/services/station/supervisorActions';
import { CliError, type CliIo } from './commands/cliIo';
import { evalCommand } from './commands/evalCommand';
import { exportCommand } from './commands/exportCommand';
import { featuresCommand } from './commands/featuresCommand';
import { inspectCommand } from './commands/inspectCommand';
import { modelsCommand, promoteCommand } from './commands/modelsCommand';
import { serveCommand } from './commands/serveCommand';
import { splitCommand } from './commands/splitCommand';
import { statusCommand } from './commands/statusCommand';
import { usersCommand } from './commands/usersCommand';
import { synthCommand } from './commands/synthCommand';
import { trainCommand } from './commands/trainCommand';

const VERSION = '0.1.0';

function buildProgram(io: CliIo): Command {
  const program = new Command('qa-station')
    .description('QA Station: visual inspection with one long-tailed anomaly-detection model')
    .version(VERSION)
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  for (const command of [
    statusCommand(io),
    featuresCommand(io),
    synthCommand(io),
    splitCommand(io),
    trainCommand(io),
    evalCommand(io),
    inspectCommand(io),
    modelsCommand(io),
    promoteCommand(io),
    exportCommand(io),
    serveCommand(io),
    usersCommand(io),
  ]) {
    program.addCommand(
      command.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) }),
    );
  }
  return program;
}

/** Runs one command line; returns the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  keepNewFilesPrivate();
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (usage errors, --help, --version).
      return error.exitCode === 0 ? 0 : 2;
    }
    if (
      error instanceof CliError ||
      error instanceof ImageDecodeError ||
      error instanceof NotAuthorisedError ||
      error instanceof DomainError
    ) {
      io.stderr.write(`qa-station: ${error.message}\n`);
      return error instanceof CliError ? error.exitCode : 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`qa-station: ${message}\n`);
    if (process.env.QA_STATION_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
}
