import type { StationServices } from '../station-services';
import { requireCaller, type HandlersOf } from './handler-types';

/**
 * The archive integrity sweep (D-NO-TAMPER). Its findings name archive paths, recorders and
 * recording dates, never what a clip shows or its labels: custodians and supervisors, whose roles
 * hold `integrity.read`, see all of them (D-SUPERVISION covers deleted and altered records).
 */
export function integrityHandlers(
  services: StationServices,
): HandlersOf<'integrity.status' | 'integrity.start'> {
  const { integrity } = services;
  return {
    'integrity.status': () => integrity.status(),
    'integrity.start': (_params, context) => integrity.runNow(requireCaller(context).user.badge),
  };
}
