import { Command, InvalidArgumentError } from 'commander';
import { appVersion, rendererDir } from '../../main/appRoot';
import { findAppModeBrowser, hasDisplay, openInAppMode } from '../../main/host/appModeBrowser';
import { startBrowserHost } from '../../main/host/browserHost';
import { forwardProcessProblems } from '../../main/services/workers/processProblems';
import { openStationServiceInWorker } from '../../main/services/station/stationServiceWorkerClient';
import { stationPaths } from '../../main/stationPaths';
import { parseIntegerOption } from './optionParsers';
import type { CliIo } from './cliIo';

function parseEpochs(value: string): { phase1: number; phase2: number } {
  const match = /^(\d{1,4}),(\d{1,4})$/.exec(value);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) throw new InvalidArgumentError('give two positive whole numbers, e.g. 3,12');
  return { phase1: Number(match[1]), phase2: Number(match[2]) };
}

/**
 * The browser host: the station's UI and API on 127.0.0.1 (kiosk browsers, machines without the
 * Electron binary, end-to-end tests). Runs until interrupted.
 */
export function serveCommand(io: CliIo): Command {
  return new Command('serve')
    .description('serve the station UI on 127.0.0.1 (browser host); Ctrl+C stops it')
    .option('--home <dir>', 'station data folder')
    .option('--port <n>', 'port (default: a free one)', parseIntegerOption(0, 65535), 0)
    .option('--open', 'open it in an installed Chromium in app mode')
    .option('--training-epochs <p1,p2>', 'epochs of the two training phases instead of the preset (quick trials, tests)', parseEpochs)
    .action(async (options: { home?: string; port: number; open?: boolean; trainingEpochs?: { phase1: number; phase2: number } }) => {
      const paths = stationPaths(options.home);
      const service = await openStationServiceInWorker({
        home: paths.home,
        shell: 'browser-host',
        appVersion: appVersion(),
        ...(options.trainingEpochs ? { trainingEpochs: options.trainingEpochs } : {}),
      });
      forwardProcessProblems(service, 'browser host');
      const host = await startBrowserHost({ service, staticDir: rendererDir(), port: options.port });
      io.stdout.write(`QA Station is serving ${paths.home}\nOpen: ${host.url}\n`);
      if (options.open && !hasDisplay()) io.stdout.write('No display here: open the address above in a browser on this machine.\n');
      else if (options.open) {
        const browser = findAppModeBrowser();
        if (browser) {
          openInAppMode(browser, host.url, paths.home);
          io.stdout.write(`Opened it in ${browser} (app mode).\n`);
        } else io.stdout.write('No Chromium-family browser found: open the address above in one.\n');
      }
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      io.stdout.write('Stopping...\n');
      await host.close();
      await service.close();
    });
}
