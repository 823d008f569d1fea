// The summary page's chart: the officers who fall short most, unlabelled clips and late custody
// without an exception side by side, so a supervisor sees at a glance whom to talk to.
import type { ComplianceFigures, ComplianceReport } from '../../contract';
import type { ReportStrings } from '../report-strings';
import { COLOR, fit, officerLabel, put, sectionHeading, type Doc } from './layout';

/** Rounds an axis maximum up to 1, 2 or 5 times a power of ten, with the step of its ticks. */
export function niceAxis(max: number, ticks = 5): { max: number; step: number } {
  if (!(max > 0)) return { max: 1, step: 1 };
  const raw = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  const step = Math.max(1, (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow);
  return { max: Math.ceil(max / step) * step, step };
}

/** The officers who fall short most: unlabelled plus late custody without an exception. */
export function topShortfall<T extends ComplianceFigures & { badge: string }>(
  officers: readonly T[],
  n: number,
): T[] {
  const shortfall = (o: T) => o.unlabelled + o.lateCustodyUnexcepted;
  return officers
    .filter((o) => shortfall(o) > 0)
    .sort(
      (a, b) =>
        shortfall(b) - shortfall(a) ||
        b.lateCustodyUnexcepted - a.lateCustodyUnexcepted ||
        (a.badge < b.badge ? -1 : a.badge > b.badge ? 1 : 0),
    )
    .slice(0, n);
}

export function chart(
  doc: Doc,
  report: ComplianceReport,
  s: ReportStrings,
  n: number,
  x0: number,
  y0: number,
  w: number,
): number {
  const rows = topShortfall(report.officers, n);
  let y = sectionHeading(doc, s.chartTitle(rows.length > 0 ? rows.length : n), x0, y0, w);

  // Legend.
  const legend: [string, string][] = [
    [COLOR.unlabelled, s.legendUnlabelled],
    [COLOR.late, s.legendLateUnexcepted],
  ];
  let lx = x0;
  for (const [color, label] of legend) {
    doc.rect(lx, y + 1.5, 9, 7).fill(color);
    put(doc, label, lx + 13, y, 8, COLOR.ink);
    lx += 13 + doc.fontSize(8).widthOfString(label) + 18;
  }
  y += 18;

  if (rows.length === 0) {
    doc.rect(x0, y, w, 48).lineWidth(0.6).fillAndStroke(COLOR.panel, COLOR.rule);
    put(doc, s.chartEmpty, x0, y + 18, 9.5, COLOR.muted, { width: w, align: 'center' });
    return y + 48;
  }

  const labelW = 118;
  const valueRoom = 28;
  const plotX = x0 + labelW;
  const plotW = w - labelW - valueRoom;
  const groupH = 24;
  const barH = 8;
  const plotTop = y;
  const plotBottom = plotTop + rows.length * groupH;
  const axis = niceAxis(
    Math.max(...rows.map((o) => Math.max(o.unlabelled, o.lateCustodyUnexcepted))),
  );
  const scale = (v: number) => (v / axis.max) * plotW;

  // Grid and tick labels.
  doc.lineWidth(0.5);
  for (let t = 0; t <= axis.max + 1e-9; t += axis.step) {
    const gx = plotX + scale(t);
    doc.moveTo(gx, plotTop).lineTo(gx, plotBottom).strokeColor(COLOR.grid).stroke();
    put(doc, String(t), gx - 20, plotBottom + 4, 7, COLOR.muted, { width: 40, align: 'center' });
  }

  rows.forEach((o, i) => {
    const gy = plotTop + i * groupH;
    doc.fontSize(8.5);
    put(doc, fit(doc, officerLabel(o, s), labelW - 10), x0, gy + 2, 8.5, COLOR.ink, {
      width: labelW - 8,
      align: 'right',
    });
    doc.fontSize(6.5);
    put(doc, fit(doc, o.badge, labelW - 10), x0, gy + 13, 6.5, COLOR.muted, {
      width: labelW - 8,
      align: 'right',
    });
    const bars: [number, string][] = [
      [o.unlabelled, COLOR.unlabelled],
      [o.lateCustodyUnexcepted, COLOR.late],
    ];
    bars.forEach(([v, color], b) => {
      const by = gy + 3 + b * (barH + 1.5);
      const bw = scale(v);
      if (bw > 0) doc.rect(plotX, by, Math.max(bw, 0.8), barH).fill(color);
      put(doc, String(v), plotX + bw + 3, by + 0.5, 6.5, COLOR.ink);
    });
  });

  // Axes.
  doc
    .moveTo(plotX, plotTop - 2)
    .lineTo(plotX, plotBottom)
    .lineTo(plotX + plotW, plotBottom)
    .lineWidth(0.8)
    .strokeColor(COLOR.muted)
    .stroke();
  put(doc, s.chartAxis, plotX, plotBottom + 15, 8, COLOR.muted, { width: plotW, align: 'center' });
  return plotBottom + 27;
}
