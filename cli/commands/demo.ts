import type { Command } from 'commander';
import type { SetExitCode } from './index.js';

export function registerDemo(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('demo')
    .description('start both sandboxes, run the enabled flows once, print the summary (what `npm start` runs)')
    .action(() => {
      process.stdout.write(
        [
          'mapline demo will start the CCV Shop and eAccounting sandboxes on loopback, seed them with a',
          'realistic data set, run the default flows once (orders and customers shop -> accounting), and print',
          'a summary per flow and where the activity log is. The runtime that does this is not built yet;',
          'today you can check and compile mappings:  npx mapline check mappings/*.map',
          '',
        ].join('\n'),
      );
    });
}
