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
    'report.export': async (params, context) => {
      const file = await reports.export(params, requireCaller(context).user.badge);
      return { fileName: file.fileName, mime: file.mime, base64: file.bytes.toString('base64') };
    },
  };
}
