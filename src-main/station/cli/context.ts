import type { Command } from 'commander';
import type { MethodInput, MethodName, MethodOutput } from '../../contract';
import { resolveDataDir } from '../data-dir';
import { closeStation, openStation, type Station, type StationOptions } from '../services';
import { fail, unwrap, type OutputOptions } from './output';
import { PasswordSource } from './passwords';

export interface CommonOptions extends OutputOptions {
  dataDir?: string;
}

/** Adds the options every command takes. */
export function withCommonOptions(command: Command): Command {
  return command
    .option(
      '--data-dir <dir>',
      'the station data folder (default: EVIDOCK_DATA_DIR or the OS app-data folder)',
    )
    .option('--json', 'print one JSON document on stdout');
}

/**
 * One CLI command's access to the station: the same services and the same dispatcher as the UI,
 * so a command is permission-checked and audited exactly like the screen that does the same.
 */
export class CliSession {
  readonly passwords = new PasswordSource();
  private token: string | undefined;

  constructor(readonly services: Station) {}

  /** Logs in as `badge` with a password from the terminal or stdin; audited like any login. */
  async loginAs(badge: string | undefined): Promise<void> {
    if (!badge)
      fail('UNAUTHENTICATED', 'This command changes data: name the acting user with --user BADGE.');
    const password = await this.passwords.next(`Password for ${badge}: `);
    const session = await this.call('auth.login', { badge, password });
    this.token = session.token;
  }

  async call<M extends MethodName>(
    method: M,
    params: MethodInput<M>,
    signal?: AbortSignal,
  ): Promise<MethodOutput<M>> {
    const result = await this.services.dispatcher.dispatch({
      method,
      params,
      session: this.token,
      signal,
    });
    return unwrap<MethodOutput<M>>(result);
  }

  async logout(): Promise<void> {
    if (this.token) await this.call('auth.logout', {});
    this.token = undefined;
  }
}

/**
 * Opens the station for one command and always closes it (checkpointing the catalogue).
 * `station.auditOnly`: reading and verifying the audit log works even when the signing keys are
 * missing or damaged; every other command refuses with KEYS_UNUSABLE.
 */
export async function withStation<T>(
  options: CommonOptions,
  work: (session: CliSession) => Promise<T>,
  station: Pick<StationOptions, 'auditOnly'> = {},
): Promise<T> {
  const services = openStation({ dataDir: resolveDataDir(options.dataDir), ...station });
  const session = new CliSession(services);
  try {
    return await work(session);
  } finally {
    // Sessions live in this process's memory only: they end with it whatever logout says.
    await session.logout().catch(() => {});
    closeStation(services);
  }
}
