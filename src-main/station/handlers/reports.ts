import type { StationServices } from '../station-services';
import { requireCaller, type HandlersOf } from './handler-types';

/** The D-SUPERVISION compliance report, shown and exported. */
export function reportHandlers(
  services: StationServices,
): HandlersOf<'report.compliance' | 'report.export'> {
  const { reports } = services;
  return {
    'report.compliance': (params, context) =>
      reports.generate(params, requireCaller(context).user.badge),
    'report.export': (params, context) =>
      reports.export(params, requireCaller(context), context.signal),
  };
}
