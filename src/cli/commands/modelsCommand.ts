import { Command } from 'commander';
import { Catalog } from '../../main/catalog/catalog';
import { authenticateSupervisor, promoteModel } from '../../main/services/station/supervisorActions';
import { stationPaths } from '../../main/stationPaths';
import { CliError, printJson, type CliIo } from './cliIo';

export function modelsCommand(io: CliIo): Command {
  return new Command('models')
    .description('list model versions, newest first')
    .option('--home <dir>', 'station data folder')
    .option('--json', 'print JSON')
    .action((options: { home?: string; json?: boolean }) => {
      const catalog = Catalog.open(stationPaths(options.home).catalogFile);
      try {
        const models = catalog.models.list();
        if (options.json) return printJson(io, models);
        if (models.length === 0) io.stdout.write('No model versions yet: run qa-station train\n');
        for (const m of models) io.stdout.write(`${m.version}  ${m.status.padEnd(9)}  ${m.backbone}  ${m.createdAt}\n`);
      } finally {
        catalog.close();
      }
    });
}

/** Supervisor-only: the PIN comes from QA_STATION_PIN, never the command line (shell history). */
export function promoteCommand(io: CliIo): Command {
  return new Command('promote')
    .description('make a model version the active one (supervisor; PIN in QA_STATION_PIN)')
    .argument('<version>', 'model version')
    .requiredOption('--user <name>', 'supervisor name')
    .option('--home <dir>', 'station data folder')
    .action((version: string, options: { user: string; home?: string }) => {
      const pin = process.env.QA_STATION_PIN;
      if (!pin) throw new CliError("Set QA_STATION_PIN to the supervisor's PIN (it is not accepted on the command line)");
      const catalog = Catalog.open(stationPaths(options.home).catalogFile);
      try {
        const supervisor = authenticateSupervisor(catalog, options.user, pin);
        const model = promoteModel(catalog, supervisor, version);
        io.stdout.write(`${model.version} is now the active model\n`);
      } finally {
        catalog.close();
      }
    });
}
