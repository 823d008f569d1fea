import type { StationServices } from './services';
import { createDockingHandlers } from './dock/dock-handlers';
import { createFilingHandlers } from './filing/filing-handlers';
import { requireCaller, type Handlers } from './handler-types';

export type { CallContext, Handlers } from './handler-types';

export function createHandlers(services: StationServices): Handlers {
  const { auth, userAdmin, audit, hub, version } = services;
  const usersChanged = (badge: string): void => hub.publish('users.changed', { badge });
  return {
    'station.info': () => ({
      product: 'evidock',
      version,
      setupRequired: auth.setupRequired(),
      idleTimeoutSeconds: auth.policy.idleTimeoutSeconds,
    }),
    'setup.createAdmin': async (params) => {
      const session = await auth.createFirstAdmin(params);
      usersChanged(session.user.badge);
      return session;
    },
    'auth.login': (params) => auth.login(params.badge, params.password),
    'auth.logout': (_params, context) => {
      auth.logout(requireCaller(context));
      return {};
    },
    'auth.whoami': (_params, context) => ({
      user: requireCaller(context).user,
      idleTimeoutSeconds: auth.policy.idleTimeoutSeconds,
    }),
    'auth.changePassword': async (params, context) => {
      await auth.changePassword(requireCaller(context), params.currentPassword, params.newPassword);
      return {};
    },
    'users.list': () => ({ users: userAdmin.list() }),
    'users.add': async (params, context) => {
      const user = await userAdmin.add(requireCaller(context), params);
      usersChanged(user.badge);
      return { user };
    },
    'users.disable': (params, context) => {
      const user = userAdmin.setDisabled(requireCaller(context), params.badge, true);
      usersChanged(user.badge);
      return { user };
    },
    'users.enable': (params, context) => {
      const user = userAdmin.setDisabled(requireCaller(context), params.badge, false);
      usersChanged(user.badge);
      return { user };
    },
    'users.resetPassword': async (params, context) => {
      const user = await userAdmin.resetPassword(
        requireCaller(context),
        params.badge,
        params.newPassword,
      );
      usersChanged(user.badge);
      return { user };
    },
    'audit.list': (params, context) => {
      const page = audit.list(params);
      // D-CONFIDENTIAL: supervisors do not see confidential clips, nor what their labels say in
      // the history. The entry stays in the chain as it is; only its details are withheld here.
      if (requireCaller(context).user.role !== 'supervisor') return page;
      const clipOf = (subject: string) => /^clip:(\d+)$/.exec(subject)?.[1];
      const ids = page.entries
        .filter((e) => e.action === 'clip.labelled')
        .map((e) => Number(clipOf(e.subject)))
        .filter((id) => Number.isInteger(id));
      const labels = services.filing.labelRepo.forClips([...new Set(ids)]);
      const hidden = (id: number) => (labels.get(id)?.confidentiality ?? 'none') !== 'none';
      return {
        ...page,
        entries: page.entries.map((entry) =>
          entry.action === 'clip.labelled' && hidden(Number(clipOf(entry.subject)))
            ? { ...entry, details: { withheld: 'D-CONFIDENTIAL' } }
            : entry,
        ),
      };
    },
    'audit.verify': () => audit.verify(),
    ...createDockingHandlers(services),
    ...createFilingHandlers(services),
  };
}
