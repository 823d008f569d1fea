import { Command, CommanderError } from 'commander';
import { auditCommand } from './cli/audit-commands';
import { clipsCommand } from './cli/clips-commands';
import { casesCommand } from './cli/cases-commands';
import { reportCommand } from './cli/report-command';
import { ingestCommand } from './cli/ingest-command';
import { recordersCommand } from './cli/recorders-commands';
import { verifyCommand } from './cli/verify-command';
import { forwardCommand } from './cli/forward-commands';
import { discCommand } from './cli/disc-commands';
import { verifyDiscCommand } from './cli/verify-disc-command';
import { emitError, errorBody } from './cli/output';
import { stationCommand } from './cli/station-command';
import { usersCommand } from './cli/users-commands';
import { STATION_VERSION } from './version';

const json = process.argv.includes('--json');

const program = new Command('evidock')
  .description('evidock: the collection workstation for body-camera footage')
  .version(STATION_VERSION)
  .exitOverride()
  .configureOutput({
    // With --json, commander's own messages become the JSON error document instead.
    writeErr: (text) => {
      if (!json) process.stderr.write(text);
    },
  })
  .addCommand(stationCommand())
  .addCommand(usersCommand())
  .addCommand(auditCommand())
  .addCommand(recordersCommand())
  .addCommand(ingestCommand())
  .addCommand(clipsCommand())
  .addCommand(casesCommand())
  .addCommand(reportCommand())
  .addCommand(verifyCommand())
  .addCommand(forwardCommand())
  .addCommand(discCommand())
  .addCommand(verifyDiscCommand());

// Every level of subcommand (`forward targets add`) ends through the handler below.
const overrideExits = (command: Command): void => {
  command.exitOverride();
  for (const sub of command.commands) overrideExits(sub);
};
overrideExits(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) process.exit(0);
    if (json)
      emitError({ json }, { code: 'BAD_REQUEST', message: error.message.replace(/^error: /, '') });
    process.exit(2);
  }
  emitError({ json }, errorBody(error));
  process.exit(1);
}
