import type { MethodName, MethodOutput, MethodParams } from '../contract';
import type { Caller } from '../auth/auth-service';
import type { StationServices } from './services';

export interface CallContext {
  /** Null only for `public` methods called without a session. */
  caller: Caller | null;
}

type Handler<M extends MethodName> = (
  params: MethodParams<M>,
  context: CallContext,
) => Promise<MethodOutput<M>> | MethodOutput<M>;

/** One handler per contract method; the type makes a missing one a compile error. */
export type Handlers = { [M in MethodName]: Handler<M> };

function requireCaller(context: CallContext): Caller {
  // The dispatcher resolves a caller for every non-public method before a handler runs.
  if (!context.caller) throw new Error('handler reached without a caller');
  return context.caller;
}

export function createHandlers(
  services: Pick<StationServices, 'auth' | 'userAdmin' | 'audit' | 'hub' | 'version'>,
): Handlers {
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
    'audit.list': (params) => audit.list(params),
    'audit.verify': () => audit.verify(),
  };
}
