import { Command } from 'commander';
import { isAcceptablePin, PIN_RULE } from '../../shared/pinRule';
import { Catalog } from '../../main/catalog/catalog';
import { authenticateSupervisor } from '../../main/services/station/supervisorActions';
import { stationPaths } from '../../main/stationPaths';
import { CliError, printJson, type CliIo } from './cliIo';

/**
 * Adds a station user. The first supervisor can be added freely (a new station has none); after
 * that, adding anyone needs an existing supervisor: --by NAME with their PIN in QA_STATION_PIN.
 * A new user's own PIN comes from QA_STATION_NEW_PIN (never the command line: shell history).
 */
export function usersCommand(io: CliIo): Command {
  const users = new Command('users').description('station users (operators and supervisors)');
  users
    .command('list')
    .option('--home <dir>', 'station data folder')
    .option('--json', 'print JSON')
    .action((options: { home?: string; json?: boolean }) => {
      const catalog = Catalog.open(stationPaths(options.home).catalogFile);
      try {
        const list = catalog.users.list();
        if (options.json) printJson(io, list);
        else if (list.length === 0)
          io.stdout.write('No users yet: add the first supervisor with qa-station users add NAME --role supervisor\n');
        else for (const u of list) io.stdout.write(`${u.name}\t${u.role}${u.disabled ? '\tdisabled' : ''}\n`);
      } finally {
        catalog.close();
      }
    });
  users
    .command('add <name>')
    .description('add a user; PIN in QA_STATION_NEW_PIN (required for supervisors)')
    .option('--role <role>', 'operator or supervisor', 'operator')
    .option('--by <supervisor>', 'the supervisor adding them (PIN in QA_STATION_PIN); not needed for the first supervisor')
    .option('--home <dir>', 'station data folder')
    .action((name: string, options: { role: string; by?: string; home?: string }) => {
      if (options.role !== 'operator' && options.role !== 'supervisor') throw new CliError('--role is operator or supervisor', 2);
      const pin = process.env.QA_STATION_NEW_PIN;
      if (pin !== undefined && !isAcceptablePin(pin)) throw new CliError(`QA_STATION_NEW_PIN: ${PIN_RULE}`);
      if (options.role === 'supervisor' && !pin) throw new CliError('A supervisor needs a PIN: set QA_STATION_NEW_PIN');
      const catalog = Catalog.open(stationPaths(options.home).catalogFile);
      try {
        const firstSupervisor = !catalog.users.list().some((u) => u.role === 'supervisor' && !u.disabled);
        let actor = { id: null as number | null, name: 'first-run setup' };
        if (!firstSupervisor || options.role !== 'supervisor') {
          if (!options.by) throw new CliError('Adding a user needs a supervisor: --by NAME with their PIN in QA_STATION_PIN');
          const supervisor = authenticateSupervisor(catalog, options.by, process.env.QA_STATION_PIN ?? '');
          actor = { id: supervisor.id, name: supervisor.name };
        }
        if (catalog.users.getByName(name)) throw new CliError(`A user named "${name}" exists already`);
        const user = catalog.users.create(name, options.role, pin);
        catalog.audit.record({
          userId: actor.id,
          actor: actor.name,
          action: 'user.create',
          target: name,
          details: { role: options.role, via: 'cli' },
        });
        io.stdout.write(`Added ${options.role} ${user.name}\n`);
      } finally {
        catalog.close();
      }
    });
  return users;
}
