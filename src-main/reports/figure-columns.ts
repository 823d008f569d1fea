// The figures of an officer (or of the unit) as report columns. The CSV and the PDF take their
// order from this one list, so the two files of a report always put the same figure in the same
// place.
import type { ComplianceFigures } from '../contract';

/** A figure column, by the name the report strings give its heading. */
export type FigureKey =
  Exclude<keyof ComplianceFigures, 'unlabelledByAge'> | keyof ComplianceFigures['unlabelledByAge'];

/** The figure columns, in the order both reports show them. */
export const FIGURE_COLUMNS: readonly FigureKey[] = [
  'dockings',
  'clips',
  'hoursRecorded',
  'lateCustody',
  'lateCustodyExcepted',
  'lateCustodyUnexcepted',
  'lateCentralStorage',
  'unlabelled',
  'unlabelledOldestDays',
  'upTo1Day',
  'upTo7Days',
  'upTo30Days',
  'over30Days',
  'deferrals',
  'continuityFindings',
];

/** The value of one figure column (null where there is nothing to measure). */
export function figureValue(f: ComplianceFigures, key: FigureKey): number | null {
  switch (key) {
    case 'upTo1Day':
    case 'upTo7Days':
    case 'upTo30Days':
    case 'over30Days':
      return f.unlabelledByAge[key];
    default:
      return f[key];
  }
}
