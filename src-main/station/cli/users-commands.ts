import { Command, Option } from 'commander';
import { ROLES, type Role, type User } from '../../contract';
import { withCommonOptions, withStation, type CommonOptions } from './context';
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
    const user = await withStation(options, async (session) => {
      if (session.services.auth.setupRequired()) {
        if (options.role !== 'admin') {
          fail(
            'SETUP_REQUIRED',
            'This station has no users yet: the first user must be an admin (--role admin).',
          );
        }
        const password = await newPassword(session.passwords, options.badge);
        return (
          await session.call('setup.createAdmin', {
            badge: options.badge,
            name: options.name,
            password,
          })
        ).user;
      }
      await session.loginAs(options.user);
      const password = await newPassword(session.passwords, options.badge);
      return (
        await session.call('users.add', {
          badge: options.badge,
          name: options.name,
          role: options.role,
          password,
        })
      ).user;
    });
    emit(options, { user }, () => `added ${describe(user)}`);
  });

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
