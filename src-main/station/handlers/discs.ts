import type { StationServices } from '../station-services';
import { requireCaller, type HandlersOf } from './handler-types';

type DiscMethod =
  | 'disc.plan'
  | 'disc.sets.get'
  | 'disc.sets.list'
  | 'disc.burn'
  | 'disc.verify'
  | 'disc.list'
  | 'disc.get'
  | 'disc.drives'
  | 'disc.handover'
  | 'disc.label';

/** Long-term discs (D-LONGTERM): custodians plan, burn, re-check and hand over; supervisors read. */
export function discHandlers(services: StationServices): HandlersOf<DiscMethod> {
  const { discSets: sets, discBurner: burner, discRegister: register } = services;
  return {
    'disc.plan': (params, context) => sets.plan(params, requireCaller(context).user.badge),
    'disc.sets.get': (params, context) => ({
      set: sets.get(params.setId, requireCaller(context).user),
    }),
    'disc.sets.list': (params, context) => ({
      sets: sets.list(params.limit ?? 50, requireCaller(context).user),
    }),
    'disc.burn': (params, context) =>
      burner.burn(params, requireCaller(context).user.badge, context.signal),
    'disc.verify': (params, context) =>
      burner.verify(params.drive, requireCaller(context).user.badge, context.signal),
    'disc.list': async (params, context) => {
      await burner.reconcile();
      return register.list(
        { due: params.due, limit: params.limit ?? 200 },
        requireCaller(context).user,
      );
    },
    'disc.get': (params, context) => register.get(params.discId, requireCaller(context).user),
    'disc.drives': async () => ({ drives: await burner.drives() }),
    'disc.handover': (params, context) => ({
      disc: register.handOver(params, requireCaller(context).user.badge),
    }),
    'disc.label': (params, context) => register.label(params.discId, requireCaller(context)),
  };
}
