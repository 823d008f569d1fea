import type { IntegrityStatus } from '../../contract';
import { integrityFindingFor, type Viewer } from '../../domain';
import type { StationServices } from '../station-services';
import { requireCaller, type HandlersOf } from './handler-types';

/**
 * The archive integrity sweep (D-NO-TAMPER). Its findings name archive paths, recorders and
 * recording dates, never what a clip shows: custodians read them whole, supervisors all but the
 * place and name of a confidential clip (D-SUPERVISION, D-CONFIDENTIAL; domain/visibility).
 */
export function integrityHandlers(
  services: StationServices,
): HandlersOf<'integrity.status' | 'integrity.start'> {
  const { integrity, catalogue } = services;
  const asSeenBy = (viewer: Viewer, status: IntegrityStatus): IntegrityStatus => {
    if (status.last === null) return status;
    const confidentialityOf = (id: number) => catalogue.labels.confidentialityOf(id);
    const problems = status.last.problems.map((p) =>
      integrityFindingFor(viewer, p, confidentialityOf),
    );
    return { ...status, last: { ...status.last, problems } };
  };
  return {
    'integrity.status': (_params, context) =>
      asSeenBy(requireCaller(context).user, integrity.status()),
    'integrity.start': (_params, context) => {
      const { user } = requireCaller(context);
      return asSeenBy(user, integrity.runNow(user.badge));
    },
  };
}
