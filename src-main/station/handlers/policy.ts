import type { StationServices } from '../station-services';
import { requireCaller, type HandlersOf } from './handler-types';

/** The unit's policy. */
export function policyHandlers(
  services: StationServices,
): HandlersOf<'policy.get' | 'policy.set' | 'filing.policy'> {
  const { policy } = services;
  return {
    'policy.get': () => ({ policy: policy.view() }),
    'policy.set': async (change, context) => ({
      policy: await policy.set(change, requireCaller(context).user),
    }),
    'filing.policy': () => policy.forFiling(),
  };
}
