/** The reports the station renders: the D-SUPERVISION compliance report as JSON, CSV and PDF. */
export { complianceCsv, complianceRows, defuseCell, quoteCell } from './compliance-csv';
export { compliancePdf, type CompliancePdfOptions } from './compliance-pdf';
export {
  collectionFaces,
  findReportFont,
  REPORT_FONT_ENV,
  ReportFontUnavailable,
  STANDARD_FONT_LOCATIONS,
  type FontLocation,
} from './pdf/report-font';
export {
  actName,
  formatTimestamp,
  REPORT_LOCALES,
  reportStrings,
  type ReportLocale,
  type ReportStrings,
} from './report-strings';
export { ComplianceReports } from './compliance-report';
export { renderPdf, type PdfMeta } from './pdf/render';
export { bottom, put, type Doc } from './pdf/layout';
