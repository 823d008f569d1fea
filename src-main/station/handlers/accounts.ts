import type { StationServices } from '../station-services';
import { requireCaller, type HandlersOf } from './handler-types';

type AccountMethod =
  | 'station.info'
  | 'setup.createAdmin'
  | 'auth.login'
  | 'auth.logout'
  | 'auth.whoami'
  | 'auth.changePassword'
  | 'auth.setPin'
  | 'users.list'
  | 'users.add'
  | 'users.disable'
  | 'users.enable'
  | 'users.resetPassword'
  | 'users.setCard'
  | 'users.setRole'
  | 'users.grants.list'
  | 'users.grants.confirm'
  | 'users.grants.reject';

/** Logins, sessions and accounts. */
export function accountHandlers(services: StationServices): HandlersOf<AccountMethod> {
  const { auth, userAdmin, hub, version } = services;
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
    'auth.setPin': async (params, context) => {
      const caller = requireCaller(context);
      await auth.setPin(caller, params.currentPassword, params.pin);
      usersChanged(caller.user.badge);
      return {};
    },
    'users.list': () => ({ users: userAdmin.list() }),
    'users.add': async (params, context) => {
      const added = await userAdmin.add(requireCaller(context), params);
      usersChanged(params.badge);
      return added;
    },
    'users.setRole': (params, context) => {
      const changed = userAdmin.setRole(requireCaller(context), params.badge, params.role);
      usersChanged(changed.user.badge);
      return changed;
    },
    'users.grants.list': () => ({ grants: userAdmin.grants.pending() }),
    'users.grants.confirm': (params, context) => {
      const confirmed = userAdmin.grants.confirm(requireCaller(context), params.id);
      usersChanged(confirmed.user.badge);
      return confirmed;
    },
    'users.grants.reject': (params, context) => {
      const grant = userAdmin.grants.reject(requireCaller(context), params.id);
      usersChanged(grant.badge);
      return { grant };
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
    'users.setCard': (params, context) => {
      const user = userAdmin.setCard(requireCaller(context), params.badge, params.cardNumber);
      usersChanged(user.badge);
      return { user };
    },
  };
}
