import { Command, Option } from 'commander';
import { ROLES, type Role, type RoleGrant, type User } from '../../contract';
import { withCommonOptions, withStation, type CommonOptions } from './context';
import { wholeNumber } from './option-values';
import { emit, fail, table } from './output';

interface UserOptions extends CommonOptions {
  badge: string;
  user?: string;
}

function describe(user: User): string {
  const status = user.disabled
    ? 'disabled'
    : user.lockedUntil && Date.parse(user.lockedUntil) > Date.now()
      ? `locked until ${user.lockedUntil}`
      : 'active';
  return `${user.badge} ${user.name} (${user.role}, ${status})`;
}

/** What an admin's request for a custodian or supervisor role came to. */
function describeGranting(granting: { user: User | null; grant: RoleGrant | null }): string {
  const { user, grant } = granting;
  if (grant?.status === 'pending') {
    return (
      `${grant.badge} ${grant.name}: the ${grant.role} role awaits a custodian's confirmation ` +
      `(grant ${grant.id}; evidock users grants confirm --id ${grant.id} --user CUSTODIAN)`
    );
  }
  const first = grant?.status === 'bootstrap' ? " — the station's first custodian" : '';
  return `${user ? describe(user) : ''}${first}`;
}

export function usersCommand(): Command {
  const users = new Command('users').description('manage the people who use this station');

  withCommonOptions(
    users
      .command('add')
      .description(
        'add a user; the first user of an empty station must be an admin and needs no --user',
      )
      .requiredOption('--badge <badge>', 'badge / enforcement-certificate number')
      .requiredOption('--name <name>', 'full name')
      .addOption(new Option('--role <role>', 'role').choices(ROLES).makeOptionMandatory())
      .option('--user <badge>', 'the admin doing this (password from the terminal or stdin)'),
  ).action(async (options: UserOptions & { name: string; role: Role }) => {
    const added = await withStation(options, async (session) => {
      if (session.services.auth.setupRequired()) {
        if (options.role !== 'admin') {
          fail(
            'SETUP_REQUIRED',
            'This station has no users yet: the first user must be an admin (--role admin).',
          );
        }
        const password = await newPassword(session.passwords, options.badge);
        const { user } = await session.call('setup.createAdmin', {
          badge: options.badge,
          name: options.name,
          password,
        });
        return { user, grant: null };
      }
      await session.loginAs(options.user);
      const password = await newPassword(session.passwords, options.badge);
      return session.call('users.add', {
        badge: options.badge,
        name: options.name,
        role: options.role,
        password,
      });
    });
    emit(options, added, () =>
      added.user ? `added ${describeGranting(added)}` : describeGranting(added),
    );
  });

  withCommonOptions(
    users
      .command('role')
      .description(
        "change a user's role; to custodian or supervisor it waits for a custodian's confirmation",
      )
      .requiredOption('--badge <badge>', 'the user to change')
      .addOption(new Option('--role <role>', 'the new role').choices(ROLES).makeOptionMandatory())
      .option('--user <badge>', 'the admin doing this (password from the terminal or stdin)'),
  ).action(async (options: UserOptions & { role: Role }) => {
    const changed = await withStation(options, async (session) => {
      await session.loginAs(options.user);
      return session.call('users.setRole', { badge: options.badge, role: options.role });
    });
    emit(options, changed, () => describeGranting(changed));
  });

  users.addCommand(grantsCommand());

  withCommonOptions(users.command('list').description('list users')).action(
    async (options: CommonOptions) => {
      const list = await withStation(options, async (session) => session.services.userAdmin.list());
      emit(options, { users: list }, () =>
        table(
          ['badge', 'name', 'role', 'status', 'created'],
          list.map((u) => [
            u.badge,
            u.name,
            u.role,
            describe(u).replace(/^.*\(\w+, (.*)\)$/, '$1'),
            u.createdAt,
          ]),
        ),
      );
    },
  );

  for (const [name, method, verb] of [
    ['disable', 'users.disable', 'disabled'],
    ['enable', 'users.enable', 'enabled'],
  ] as const) {
    withCommonOptions(
      users
        .command(name)
        .description(`${name} a user's account`)
        .requiredOption('--badge <badge>', 'the user to change')
        .option('--user <badge>', 'the admin doing this (password from the terminal or stdin)'),
    ).action(async (options: UserOptions) => {
      const user = await withStation(options, async (session) => {
        await session.loginAs(options.user);
        return (await session.call(method, { badge: options.badge })).user;
      });
      emit(options, { user }, () => `${verb} ${describe(user)}`);
    });
  }
  return users;
}

/**
 * Custodian and supervisor roles an admin asked for (separation of duties, D-CUSTODIAN): listed,
 * and confirmed or rejected by a custodian who neither asked nor is named.
 */
function grantsCommand(): Command {
  const grants = new Command('grants').description(
    'custodian and supervisor roles waiting for a custodian to confirm them',
  );

  withCommonOptions(grants.command('list').description('roles waiting for confirmation')).action(
    async (options: CommonOptions) => {
      const pending = await withStation(options, async (session) =>
        session.services.userAdmin.grants.pending(),
      );
      emit(options, { grants: pending }, () =>
        table(
          ['id', 'badge', 'name', 'role', 'from', 'asked by', 'asked at'],
          pending.map((g) => [
            String(g.id),
            g.badge,
            g.name,
            g.role,
            g.previousRole ?? 'new account',
            g.requestedBy,
            g.requestedAt,
          ]),
        ),
      );
    },
  );

  for (const [name, method] of [
    ['confirm', 'users.grants.confirm'],
    ['reject', 'users.grants.reject'],
  ] as const) {
    withCommonOptions(
      grants
        .command(name)
        .description(`${name} a role an admin asked for`)
        .requiredOption('--id <id>', 'the grant (see `evidock users grants list`)')
        .option('--user <badge>', 'the custodian doing this (password from the terminal or stdin)'),
    ).action(async (options: CommonOptions & { id: string; user?: string }) => {
      const id = wholeNumber(options.id, '--id', 1)!;
      const decided = await withStation(options, async (session) => {
        await session.loginAs(options.user);
        return session.call(method, { id });
      });
      emit(options, decided, () => {
        const { grant } = decided;
        return `${grant.status} the ${grant.role} role of ${grant.badge} ${grant.name}`;
      });
    });
  }
  return grants;
}

/** On a terminal the new password is typed twice; from stdin it is one line. */
async function newPassword(
  passwords: { interactive: boolean; next(prompt: string): Promise<string> },
  badge: string,
): Promise<string> {
  const password = await passwords.next(`New password for ${badge}: `);
  if (passwords.interactive && (await passwords.next('Repeat it: ')) !== password) {
    fail('BAD_REQUEST', 'The two passwords differ; nothing was changed.');
  }
  return password;
}
