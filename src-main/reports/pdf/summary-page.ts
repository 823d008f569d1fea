// Page 1, what a supervisor reads at a glance: the period, the unit's figures (D-24H late
// custody and clips not in central storage within 24 h, D-LABEL unlabelled clips, D-CONTINUOUS findings, D-AV-REQUIRED cases missing footage,
// D-ARCHIVE cases past archive-by) and the chart of the officers who fall short most.
import type { ComplianceReport } from '../../contract';
import { formatAmount, formatTimestamp, type ReportStrings } from '../report-strings';
import {
  centralStorageLine,
  centralStorageNeedsAttention,
  longTermDiscLine,
  longTermDiscsNeedAttention,
} from '../central-storage';
import { integrityLines, integrityNeedsAttention } from '../integrity-lines';
import { chart } from './chart';
import {
  bottom,
  COLOR,
  contentWidth,
  fit,
  MARGIN,
  newPage,
  put,
  sectionHeading,
  type Doc,
} from './layout';

export function summaryPage(
  doc: Doc,
  report: ComplianceReport,
  s: ReportStrings,
  chartN: number,
): void {
  newPage(doc, 'portrait');
  const x0 = MARGIN;
  const w = contentWidth(doc);
  let y = MARGIN;

  put(doc, s.title, x0, y, 20, COLOR.accent, { width: w, align: 'center' });
  y += 32;
  put(
    doc,
    `${s.period}${s.colon}${s.periodRange(report.from, report.to)}`,
    x0,
    y,
    10.5,
    COLOR.ink,
    { width: w, align: 'center' },
  );
  y += 13;
  put(
    doc,
    `${s.generatedAt}${s.colon}${formatTimestamp(report.generatedAt)}      ${s.generatedBy}${s.colon}${report.generatedBy}`,
    x0,
    y,
    8.5,
    COLOR.muted,
    { width: w, align: 'center' },
  );
  y += 24;

  y = sectionHeading(doc, s.unitFigures, x0, y, w);
  const u = report.unit;
  const missing = u.casesMissingFootage.length;
  const pastArchive = u.casesPastArchiveBy.length;
  const oldest = formatAmount(u.unlabelledOldestDays);
  const boxes: Box[] = [
    { label: s.officers, value: String(u.officers) },
    { label: s.dockings, value: String(u.dockings) },
    { label: s.clips, value: String(u.clips) },
    { label: s.hoursRecorded, value: formatAmount(u.hoursRecorded) },
    {
      label: s.lateCustody,
      value: String(u.lateCustody),
      sub: s.lateCustodyBreakdown(u.lateCustodyExcepted, u.lateCustodyUnexcepted),
      alert: u.lateCustodyUnexcepted > 0,
    },
    // No central storage: nothing to count, the box says so where the figure would be.
    u.lateCentralStorage === null
      ? { label: s.centralStorage, value: '', sub: s.noCentralStorage, alert: true }
      : {
          label: s.centralStorage,
          value: String(u.lateCentralStorage),
          sub: s.centralStorageLate,
          alert: u.lateCentralStorage > 0,
        },
    // Wide enough for the oldest and the ages together: three rows of boxes leave page 1 room
    // for the chart, the status lines and every note.
    {
      label: s.unlabelled,
      value: String(u.unlabelled),
      sub: [
        ...(oldest === '' ? [] : [s.unlabelledOldest(oldest)]),
        ...[
          u.unlabelledByAge.upTo1Day,
          u.unlabelledByAge.upTo7Days,
          u.unlabelledByAge.upTo30Days,
          u.unlabelledByAge.over30Days,
        ].map((n, i) => `${s.ageBuckets[i]} ${n}`),
      ].join('   '),
      alert: u.unlabelled > 0,
      span: 2,
    },
    { label: s.deferrals, value: String(u.deferrals) },
    {
      label: s.continuityFindings,
      value: String(u.continuityFindings),
      alert: u.continuityFindings > 0,
    },
    { label: s.casesMissingFootage, value: String(missing), alert: missing > 0 },
    { label: s.casesPastArchiveBy, value: String(pastArchive), alert: pastArchive > 0 },
  ];
  y = drawBoxes(doc, boxes, x0, y, w);
  y += 12;

  y = chart(doc, report, s, chartN, x0, y, w);
  y += 8;

  put(
    doc,
    `${s.casesMissingFootage}${s.colon}${s.caseCount(missing)}      ${s.casesPastArchiveBy}${s.colon}${s.caseCount(pastArchive)}      ${s.seeFollowingPages}`,
    x0,
    y,
    9.5,
    missing + pastArchive > 0 ? COLOR.alert : COLOR.ink,
  );
  y += 16;
  y = statusLine(
    doc,
    `${s.integritySweeps}${s.colon}${integrityLines(report.integrity, s).join(s.listSeparator)}`,
    integrityNeedsAttention(report.integrity),
    x0,
    y,
    w,
  );
  y = statusLine(
    doc,
    `${s.centralStorage}${s.colon}${centralStorageLine(u, s)}`,
    centralStorageNeedsAttention(u),
    x0,
    y,
    w,
  );
  y = statusLine(
    doc,
    `${s.longTermDiscs}${s.colon}${longTermDiscLine(report.discs, s)}`,
    longTermDiscsNeedAttention(report.discs),
    x0,
    y,
    w,
  );
  y += 6;

  doc.fontSize(7.5).fillColor(COLOR.muted);
  for (const note of s.notes) {
    if (y > bottom(doc) - 10) break;
    doc.text(`· ${note}`, x0, y, { width: w });
    y = doc.y + 2;
  }
}

/** A line of the summary in red when it needs looking at, wrapped to the width. Returns y. */
function statusLine(
  doc: Doc,
  text: string,
  alert: boolean,
  x: number,
  y: number,
  w: number,
): number {
  doc.fontSize(9.5).fillColor(alert ? COLOR.alert : COLOR.ink);
  doc.text(text, x, y, { width: w });
  return y + doc.heightOfString(text, { width: w }) + 3;
}

interface Box {
  label: string;
  value: string;
  sub?: string | undefined;
  alert?: boolean;
  span?: number;
}

function drawBoxes(doc: Doc, boxes: Box[], x0: number, y0: number, w: number): number {
  const cols = 4;
  const gap = 8;
  const h = 50;
  const cw = (w - gap * (cols - 1)) / cols;
  let col = 0;
  let y = y0;
  for (const b of boxes) {
    const span = Math.min(b.span ?? 1, cols);
    if (col + span > cols) {
      col = 0;
      y += h + gap;
    }
    const x = x0 + col * (cw + gap);
    const bw = cw * span + gap * (span - 1);
    doc.roundedRect(x, y, bw, h, 3).lineWidth(0.6).fillAndStroke(COLOR.panel, COLOR.rule);
    put(doc, fit(doc.fontSize(8), b.label, bw - 14), x + 7, y + 6, 8, COLOR.muted);
    const color = b.alert ? COLOR.alert : COLOR.ink;
    if (b.value !== '') put(doc, b.value, x + 7, y + 17, 16, color);
    if (b.sub) {
      // A box without a value shows its line larger, where the value would be.
      const size = b.value === '' ? 9.5 : 7.5;
      const text = fit(doc.fontSize(size), b.sub, bw - 14);
      put(
        doc,
        text,
        x + 7,
        y + (b.value === '' ? 22 : 37),
        size,
        b.value === '' ? color : COLOR.muted,
      );
    }
    col += span;
  }
  return y + h;
}
