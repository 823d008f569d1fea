// The documents of a long-term evidence disc (D-LONGTERM, D-NO-TAMPER): README.pdf, which tells
// whoever holds the disc, years from now and without the station, what it is and how to prove it
// with standard tools; 清单.pdf, the electronic data list a court asks for, signed on paper by
// those who collected, witnessed and hold it; and the printed label and sleeve insert the disc is
// filed with. Every text is in both languages, Chinese first (./disc-document-strings). The same
// disc gives the same bytes: the dates in a file are the disc's own, never the time of printing.
import { fingerprintGroups, type KeyFingerprints } from '../contract';
import { KEY_FILES } from '../custody/station-keys';
import { DISC_MEDIA } from '../domain';
import { findReportFont, put, renderPdf as renderReportPdf, type Doc } from '../reports';
import {
  bilingual,
  DISC_CONTENT_ENTRIES,
  discDocumentStrings,
  formatSize,
  formatTime,
  VERIFY_STEPS,
  type DiscContentEntry,
  type DiscDocumentStrings as Strings,
  type VerifyStep,
} from './disc-document-strings';
import { MANIFEST_FILES, type DiscManifest, type ManifestFile } from './manifest';
import { RECOVERY_FOLDER, RECOVERY_INDEX } from './recovery';
import { DISC_FILES } from './staging';

export interface DiscReadmeInfo {
  stationId: string;
  setId: string;
  n: number;
  of: number;
  /** 1 for the original; 2 and up are marked 副本 / COPY. */
  copy: number;
  volumeId: string;
  medium: string;
  /** ISO 8601: also the PDF's creation date. */
  createdAt: string;
  createdBy: { badge: string; name: string };
  fingerprints: KeyFingerprints;
  files: number;
  bytes: number;
}

export interface EvidenceListInfo {
  createdBy: { badge: string; name: string };
  unitName?: string | null;
  /** SHA-256 of MANIFEST.json, printed on every page: the list names the manifest it belongs to. */
  manifestSha256: string;
}

export interface DiscLabelInfo {
  caseNumbers: string[];
  setId: string;
  n: number;
  of: number;
  copy: number;
  volumeId: string;
  /** ISO 8601: also the PDF's creation date. */
  burnedAt: string;
  manifestSha256: string;
}

const COLOR = {
  ink: '#111827',
  muted: '#4b5563',
  rule: '#9ca3af',
  panel: '#f3f4f6',
  header: '#e5e7eb',
  accent: '#1e3a8a',
  copy: '#b91c1c',
};
const MARGIN = 40;
const FOOTER_SPACE = 28;
const MM = 72 / 25.4;

function pdfDate(iso: string): Date {
  const ms = Date.parse(iso);
  return new Date(Number.isNaN(ms) ? 0 : ms);
}

/** A PDF of the disc's, in the reports' font, its dates the disc's own (the same bytes again). */
function renderPdf(
  meta: { title: string; author?: string; subject: string; date: string },
  draw: (doc: Doc) => void,
): Promise<Buffer> {
  return renderReportPdf(
    { ...meta, date: pdfDate(meta.date), lang: 'zh-CN' },
    findReportFont(),
    draw,
  );
}

function newPage(doc: Doc, layout: 'portrait' | 'landscape', margin = MARGIN): void {
  doc.addPage({ size: 'A4', layout, margin });
}

/** The lowest a line may stand above the disc documents' footers. */
function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom - FOOTER_SPACE;
}

/** The text cut to a width with "…" (by halves: each measure lays the text out again). */
function fit(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  const chars = Array.from(text);
  let [lo, hi] = [0, chars.length];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(`${chars.slice(0, mid).join('')}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('')}…`;
}

/** Lines of text wrapped to a width, its own line breaks kept (pdfkit would wrap at them). */
function blockHeight(doc: Doc, text: string, width: number): number {
  return text.split('\n').reduce((h, line) => h + doc.heightOfString(line || ' ', { width }), 0);
}

function block(doc: Doc, text: string, x: number, y: number, width: number): void {
  for (const line of text.split('\n')) {
    doc.text(line || ' ', x, y, { width });
    y += doc.heightOfString(line || ' ', { width });
  }
}

/** Page numbers and what identifies the disc, on every page, below the bottom margin. */
function footers(doc: Doc, left: string[], copyMark: string | null): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { margins } = doc.page;
    const saved = margins.bottom;
    margins.bottom = 0; // writing below the bottom margin would start a new page
    const x = margins.left;
    const w = doc.page.width - margins.left - margins.right;
    const y = doc.page.height - saved - 4;
    left.forEach((line, n) => put(doc, line, x, y + 9 * n, 6.5, COLOR.muted, { width: w - 90 }));
    const n = i - range.start + 1;
    const page = bilingual((s) => s.page(n, range.count));
    put(doc, page, x, y, 6.5, COLOR.muted, { width: w, align: 'right' });
    // Every page of a further copy says so, so that no printed page passes for the original.
    if (copyMark)
      put(doc, copyMark, x, margins.top - 26, 12, COLOR.copy, { width: w, align: 'right' });
    margins.bottom = saved;
  }
}

const keyFile = (name: string) => `${MANIFEST_FILES.keysFolder}/${name}`;

/** The commands of each step, as lines; a line ending in `\` goes on (sh reads it as one). */
const VERIFY_COMMANDS: Record<VerifyStep, string[][]> = {
  script: [['sh verify/verify.sh']],
  byHand: [
    [`sha256sum -c ${MANIFEST_FILES.sha256}`],
    [`shasum -a 256 -c ${MANIFEST_FILES.sha256}`],
  ],
  // As verify.sh (./verifier-scripts) runs them, for MANIFEST.json.
  signatures: [
    [
      `openssl pkeyutl -verify -pubin -inkey ${keyFile(KEY_FILES.ed25519Public)} -rawin -in ${MANIFEST_FILES.json} -sigfile ${MANIFEST_FILES.json}.ed25519`,
    ],
    [
      `openssl pkeyutl -verify -pubin -inkey ${keyFile(KEY_FILES.sm2Public)} -rawin -digest sm3 \\`,
      `  -pkeyopt distid:1234567812345678 -in ${MANIFEST_FILES.json} -sigfile ${MANIFEST_FILES.json}.sm2`,
    ],
  ],
  keys: [KEY_FILES.sm2Public, KEY_FILES.ed25519Public].map((k) => [
    `openssl pkey -pubin -in ${keyFile(k)} -outform DER | sha256sum`,
  ]),
  windows: [['powershell -ExecutionPolicy Bypass -File verify\\verify.ps1']],
  repair: [[`par2 repair ${RECOVERY_INDEX}`]],
};

const CONTENT_PATHS: Record<DiscContentEntry, (s: Strings) => string> = {
  evidence: (s) => s.evidencePattern,
  manifest: () => MANIFEST_FILES.json,
  checksums: () => `${MANIFEST_FILES.sha256}, ${MANIFEST_FILES.sm3}`,
  signatures: () => 'MANIFEST.*.sm2, MANIFEST.*.ed25519',
  keys: () => `${MANIFEST_FILES.keysFolder}/`,
  evidenceList: () => DISC_FILES.evidenceList,
  custody: () => DISC_FILES.custody,
  discSet: () => DISC_FILES.discSet,
  recovery: () => `${RECOVERY_FOLDER}/`,
  verifiers: () => 'verify/verify.sh, verify/verify.ps1',
  readme: () => DISC_FILES.readme,
};

/** Portrait text flowing down the pages, each block kept whole on one page. */
class Flow {
  y = MARGIN;
  constructor(private readonly doc: Doc) {
    newPage(doc, 'portrait');
  }
  private get width(): number {
    return this.doc.page.width - 2 * MARGIN;
  }
  /** Starts a new page unless `h` more fits on this one. */
  room(h: number): void {
    if (this.y + h <= bottom(this.doc)) return;
    newPage(this.doc, 'portrait');
    this.y = MARGIN;
  }
  text(text: string, size: number, color: string, gap = 4, indent = 0): void {
    const width = this.width - indent;
    this.doc.fontSize(size);
    const h = this.doc.heightOfString(text, { width });
    this.room(h);
    this.doc.fillColor(color).text(text, MARGIN + indent, this.y, { width });
    this.y += h + gap;
  }
  pair(label: string, value: string, labelWidth: number, size: number): void {
    const width = this.width - labelWidth;
    this.doc.fontSize(size);
    const h = Math.max(
      this.doc.heightOfString(label, { width: labelWidth - 6 }),
      this.doc.heightOfString(value, { width }),
    );
    this.room(h);
    this.doc.fillColor(COLOR.muted).text(label, MARGIN, this.y, { width: labelWidth - 6 });
    this.doc.fillColor(COLOR.ink).text(value, MARGIN + labelWidth, this.y, { width });
    this.y += h + 2;
  }
  heading(text: string): void {
    this.room(60);
    this.y += 8;
    put(this.doc, text, MARGIN, this.y, 12, COLOR.accent);
    this.doc.moveTo(MARGIN, this.y + 18).lineTo(MARGIN + this.width, this.y + 18);
    this.doc.lineWidth(0.6).strokeColor(COLOR.rule).stroke();
    this.y += 24;
  }
  commands(lines: string[]): void {
    const size = 7.5;
    const lh = this.doc.fontSize(size).currentLineHeight(false);
    const h = lines.length * lh + 8;
    this.room(h);
    this.doc.rect(MARGIN + 12, this.y, this.width - 12, h).fill(COLOR.panel);
    lines.forEach((line, i) =>
      put(this.doc, line, MARGIN + 18, this.y + 4 + i * lh, size, COLOR.ink),
    );
    this.y += h + 4;
  }
  banner(mark: string, note: string): void {
    this.room(64);
    this.doc.rect(MARGIN, this.y, this.width, 56).lineWidth(2).strokeColor(COLOR.copy).stroke();
    put(this.doc, mark, MARGIN + 14, this.y + 10, 26, COLOR.copy);
    this.doc.fontSize(9).fillColor(COLOR.copy);
    this.doc.text(note, MARGIN + 120, this.y + 14, { width: this.width - 134 });
    this.y += 66;
  }
}

function readmeSection(doc: Doc, info: DiscReadmeInfo, s: Strings): void {
  const flow = new Flow(doc);
  flow.text(s.readmeTitle, 18, COLOR.accent, 8);
  if (info.copy >= 2) flow.banner(s.copy, s.copyNote(info.copy));
  flow.text(s.readmeIntro(info.stationId), 9, COLOR.ink, 10);
  const medium = (DISC_MEDIA as Record<string, { name: string }>)[info.medium]?.name ?? info.medium;
  const fields: [string, string][] = [
    [s.station, info.stationId],
    [s.set, info.setId],
    [s.disc, s.discOf(info.n, info.of)],
    [s.copyNumber, s.copyValue(info.copy)],
    [s.medium, medium],
    [s.volumeId, info.volumeId],
    [s.madeBy, `${info.createdBy.badge} ${info.createdBy.name}`],
    [s.madeAt, formatTime(info.createdAt)],
    [s.originals, s.originalsValue(info.files, formatSize(info.bytes))],
  ];
  for (const [label, value] of fields) flow.pair(label, value, 110, 9);

  flow.heading(s.contentsHeading);
  for (const entry of DISC_CONTENT_ENTRIES) {
    flow.pair(CONTENT_PATHS[entry](s), s.contents[entry], 190, 8);
  }

  flow.heading(s.verifyHeading);
  flow.text(s.verifyIntro, 8.5, COLOR.ink, 6);
  for (const step of VERIFY_STEPS) {
    const words = s.verify[step];
    flow.room(72); // a step's title stays with its first command
    flow.text(words.title, 10, COLOR.accent, 2);
    flow.text(words.text, 8.5, COLOR.ink, 3, 12);
    for (const command of VERIFY_COMMANDS[step]) flow.commands(command);
    if (words.after) flow.text(words.after, 8, COLOR.muted, 6, 12);
  }

  flow.heading(s.fingerprintsHeading);
  const f = info.fingerprints;
  flow.pair(s.sm2Sha256, f.sm2.sha256, 190, 8);
  flow.pair(s.sm2Sm3, f.sm2.sm3, 190, 8);
  flow.pair(s.ed25519Sha256, f.ed25519.sha256, 190, 8);
  flow.text(s.fingerprintsNote, 8, COLOR.muted, 4);
}

/**
 * README.pdf, on every disc: what the disc is, what is on it and how to verify it step by step
 * with standard tools, in Chinese and then in English. A further copy says 副本 / COPY on every page.
 */
export async function discReadmePdf(info: DiscReadmeInfo): Promise<Buffer> {
  const zh = discDocumentStrings('zh-CN');
  return await renderPdf(
    {
      title: `${bilingual((s) => s.readmeTitle)} · ${info.volumeId}`,
      author: `${info.createdBy.badge} ${info.createdBy.name}`,
      subject: info.setId,
      date: info.createdAt,
    },
    (doc) => {
      readmeSection(doc, info, zh);
      readmeSection(doc, info, discDocumentStrings('en'));
      const footer = `${bilingual((s) => s.volumeId)}${zh.colon}${info.volumeId} · ${bilingual((s) => s.set)}${zh.colon}${info.setId} · ${bilingual((s) => s.discOf(info.n, info.of))}`;
      footers(doc, [footer], info.copy >= 2 ? bilingual((s) => s.copy) : null);
    },
  );
}

const LIST_MARGIN = 36;
/**
 * The list's columns, the last taking what is left. A hash stays whole on its line, as people
 * compare it with what sha256sum prints: 64 of the widest hex digits at 5.5 pt take 218 pt.
 */
const LIST_COLUMNS: readonly { key: keyof Strings['columns']; width: number; size: number }[] = [
  { key: 'no', width: 22, size: 6.5 },
  { key: 'name', width: 148, size: 6.5 },
  { key: 'category', width: 46, size: 6.5 },
  { key: 'format', width: 30, size: 6.5 },
  { key: 'size', width: 58, size: 6.5 },
  { key: 'integrity', width: 248, size: 5.5 },
  { key: 'recorded', width: 86, size: 6 },
  { key: 'badge', width: 50, size: 6.5 },
  { key: 'serial', width: 0, size: 6.5 },
];
const PAD = 3;

function listCells(file: ManifestFile, n: number, zh: Strings): string[] {
  const dot = file.path.lastIndexOf('.');
  const ext = dot > file.path.lastIndexOf('/') ? file.path.slice(dot + 1).toUpperCase() : '';
  const time = (t: string | null) => (t === null ? zh.unknown : formatTime(t));
  return [
    String(n),
    file.path,
    bilingual((s) => s.category, '\n'),
    ext || zh.unknown,
    formatSize(file.size),
    `SHA-256 ${file.sha256}\nSM3 ${file.sm3 ?? zh.unknown}`,
    `${time(file.recordedStart)}\n${time(file.recordedEnd)}`,
    file.officerBadge ?? zh.unknown,
    file.recorderSerial ?? zh.unknown,
  ];
}

/** A further page of the list, its title saying it goes on. Returns where the page's content starts. */
function listPage(doc: Doc, zh: Strings): number {
  newPage(doc, 'landscape', LIST_MARGIN);
  const title = `${bilingual((s) => s.listTitle)}${zh.continued}`;
  put(doc, title, LIST_MARGIN, LIST_MARGIN, 10, COLOR.accent);
  return LIST_MARGIN + 18;
}

/** The list as a table over as many landscape pages as it takes, the header on each. */
function listTable(doc: Doc, rows: string[][], startY: number, zh: Strings): number {
  const x0 = LIST_MARGIN;
  const total = doc.page.width - 2 * LIST_MARGIN;
  const widths = LIST_COLUMNS.map((c) => c.width);
  widths[widths.length - 1] = total - widths.slice(0, -1).reduce((a, b) => a + b, 0);
  const heightOf = (cells: string[], sizes: number[]) =>
    Math.max(
      ...cells.map((text, i) => {
        doc.fontSize(sizes[i]!);
        return blockHeight(doc, text, widths[i]! - 2 * PAD);
      }),
    ) +
    2 * PAD;
  const headers = LIST_COLUMNS.map((c) => bilingual((s) => s.columns[c.key], '\n'));
  const headerSizes = LIST_COLUMNS.map(() => 6.5);
  const rowSizes = LIST_COLUMNS.map((c) => c.size);
  const headerHeight = heightOf(headers, headerSizes);

  const drawRow = (cells: string[], sizes: number[], y: number, h: number, fill?: string) => {
    if (fill) doc.rect(x0, y, total, h).fill(fill);
    let x = x0;
    cells.forEach((text, i) => {
      doc.fontSize(sizes[i]!).fillColor(COLOR.ink);
      block(doc, text, x + PAD, y + PAD, widths[i]! - 2 * PAD);
      x += widths[i]!;
    });
    doc
      .moveTo(x0, y + h)
      .lineTo(x0 + total, y + h)
      .lineWidth(0.3)
      .strokeColor(COLOR.rule)
      .stroke();
  };
  const header = (y: number) => {
    drawRow(headers, headerSizes, y, headerHeight, COLOR.header);
    return y + headerHeight;
  };

  let y = header(startY);
  for (const cells of rows) {
    const h = heightOf(cells, rowSizes);
    if (y + h > bottom(doc)) y = header(listPage(doc, zh));
    drawRow(cells, rowSizes, y, h);
    y += h;
  }
  return y;
}

/** Lines to sign on: collector(s), witness, holder, and the date. */
function signatureLines(doc: Doc, y: number, zh: Strings): void {
  const rows: ((s: Strings) => string)[] = [
    (s) => s.collector,
    (s) => s.witness,
    (s) => s.holder,
    (s) => s.date,
  ];
  if (y + 24 + rows.length * 28 > bottom(doc)) y = listPage(doc, zh);
  y += 24;
  for (const pick of rows) {
    put(doc, `${bilingual(pick, ' ')}${zh.colon}`, LIST_MARGIN, y, 9, COLOR.ink);
    doc.moveTo(LIST_MARGIN + 150, y + 13).lineTo(LIST_MARGIN + 420, y + 13);
    doc.lineWidth(0.6).strokeColor(COLOR.ink).stroke();
    y += 28;
  }
}

/** The case numbers of the files, in disc order, and whether some files have none. */
function caseNumbersOf(files: readonly ManifestFile[], zh: Strings): string {
  const cases = [...new Set(files.map((f) => f.caseNumber).filter((c): c is string => c !== null))];
  if (cases.length === 0 || files.some((f) => f.caseNumber === null)) {
    cases.push(bilingual((s) => s.noCase));
  }
  return cases.join(zh.listSeparator);
}

/** The list's first lines: what it lists, for which cases, who made it. Returns where it ends. */
function listHeading(
  doc: Doc,
  manifest: DiscManifest,
  info: EvidenceListInfo,
  zh: Strings,
): number {
  const w = doc.page.width - 2 * LIST_MARGIN;
  const centred = { width: w, align: 'center' } as const;
  put(doc, zh.listTitle, LIST_MARGIN, LIST_MARGIN, 18, COLOR.ink, centred);
  put(
    doc,
    discDocumentStrings('en').listTitle,
    LIST_MARGIN,
    LIST_MARGIN + 26,
    10,
    COLOR.muted,
    centred,
  );
  const { files, disc, set } = manifest;
  const size = formatSize(files.reduce((sum, f) => sum + f.size, 0));
  const lines: [(s: Strings) => string, string | null | undefined][] = [
    [(s) => s.caseNumbers, caseNumbersOf(files, zh)],
    [(s) => s.unit, info.unitName],
    [(s) => s.set, `${set.id} · ${bilingual((s) => s.discOf(disc.n, set.discs))}`],
    [(s) => s.volumeId, disc.volumeId],
    [(s) => s.preparedBy, `${info.createdBy.badge} ${info.createdBy.name}`],
    [(s) => s.preparedAt, formatTime(manifest.createdAt)],
    [(s) => s.totals, bilingual((s) => s.originalsValue(files.length, size))],
  ];
  let y = LIST_MARGIN + 46;
  for (const [pick, value] of lines) {
    if (!value) continue;
    const text = `${bilingual(pick, ' ')}${zh.colon}${value}`;
    doc.fontSize(8.5).fillColor(COLOR.ink).text(text, LIST_MARGIN, y, { width: w });
    y += doc.heightOfString(text, { width: w }) + 1;
  }
  put(
    doc,
    bilingual((s) => s.categoryNote),
    LIST_MARGIN,
    y + 2,
    7.5,
    COLOR.muted,
  );
  return y + 16;
}

/**
 * 清单.pdf, the electronic data list (电子数据清单): one row per original with its integrity
 * values, then lines for the collector, witness and holder to sign. Every page names the set, the
 * volume and the manifest's SHA-256, so that a page read alone still says which disc it lists.
 */
export async function evidenceListPdf(
  manifest: DiscManifest,
  info: EvidenceListInfo,
): Promise<Buffer> {
  const zh = discDocumentStrings('zh-CN');
  const { disc, set } = manifest;
  return await renderPdf(
    {
      title: `${bilingual((s) => s.listTitle)} · ${disc.volumeId}`,
      author: `${info.createdBy.badge} ${info.createdBy.name}`,
      subject: set.id,
      date: manifest.createdAt,
    },
    (doc) => {
      newPage(doc, 'landscape', LIST_MARGIN);
      const rows = manifest.files.map((f, i) => listCells(f, i + 1, zh));
      const y = listTable(doc, rows, listHeading(doc, manifest, info, zh), zh);
      signatureLines(doc, y, zh);
      const footer = [
        `${bilingual((s) => s.set)}${zh.colon}${set.id} · ${bilingual((s) => s.volumeId)}${zh.colon}${disc.volumeId}`,
        `${bilingual((s) => s.manifestSha256)}${zh.colon}${info.manifestSha256}`,
      ];
      footers(doc, footer, disc.copy >= 2 ? bilingual((s) => s.copy) : null);
    },
  );
}

/**
 * Case numbers packed into lines of the given widths (at the current font size). What does not
 * fit is cut with "…" and counted, so the label never hides that there are more.
 */
function caseLines(doc: Doc, cases: string[], widths: number[]): string[] {
  const sep = discDocumentStrings('zh-CN').listSeparator;
  const all = cases.length > 0 ? cases : [bilingual((s) => s.noCase)];
  const lines: string[] = [];
  let i = 0;
  for (const width of widths) {
    let line = '';
    while (i < all.length) {
      const next = line ? `${line}${sep}${all[i]!}` : all[i]!;
      if (line && doc.widthOfString(next) > width) break;
      line = next;
      i++;
    }
    lines.push(fit(doc, line, width));
    if (i === all.length) return lines;
  }
  const suffix = ` ${bilingual((s) => s.caseCount(all.length))}`;
  const width = widths[widths.length - 1]! - doc.widthOfString(suffix);
  lines[lines.length - 1] =
    `${fit(doc, [lines.pop()!, ...all.slice(i)].join(sep), width)}${suffix}`;
  return lines;
}

/** The copy's mark: large and red on a further copy, so that it is never taken for the original. */
function copyMark(copy: number, large: number): { text: string; size: number; color: string } {
  return copy >= 2
    ? { text: bilingual((s) => s.copy), size: large, color: COLOR.copy }
    : { text: bilingual((s) => s.original), size: large * 0.6, color: COLOR.ink };
}

/** The disc label: a 120 mm circle with the hub's 15 mm hole and 41 mm ring as dashed guides. */
function discFace(doc: Doc, label: DiscLabelInfo, cx: number, cy: number, zh: Strings): void {
  const r = 60 * MM;
  doc.circle(cx, cy, r).lineWidth(0.8).strokeColor(COLOR.ink).stroke();
  for (const d of [15, 41]) {
    doc
      .circle(cx, cy, (d / 2) * MM)
      .lineWidth(0.5)
      .dash(3, { space: 3 });
    doc.strokeColor(COLOR.rule).stroke().undash();
  }
  // Each line as wide as the circle is where the line is, less a little; nothing on the hub.
  const line = (text: string, dy: number, size: number, color = COLOR.ink) => {
    doc.fontSize(size);
    const far = Math.max(Math.abs(dy), Math.abs(dy + doc.currentLineHeight(false)));
    const half = Math.sqrt(r * r - far * far) - 8;
    const options = { width: 2 * half, align: 'center' } as const;
    put(doc, fit(doc, text, 2 * half), cx - half, cy + dy, size, color, options);
  };
  line(
    bilingual((s) => s.discOf(label.n, label.of)),
    -150,
    8,
  );
  doc.fontSize(10);
  const [first, second] = caseLines(doc, label.caseNumbers, [190, 220]);
  line(first ?? '', -134, 10);
  if (second) line(second, -119, 10);
  const mark = copyMark(label.copy, 22);
  line(mark.text, -98, mark.size, mark.color);
  line(`${bilingual((s) => s.volumeId)}${zh.colon}${label.volumeId}`, 64, 8.5);
  const date = formatTime(label.burnedAt).slice(0, 10);
  line(`${bilingual((s) => s.labelDate)}${zh.colon}${date}`, 79, 8.5);
  line(
    bilingual((s) => s.labelFingerprint),
    96,
    7,
    COLOR.muted,
  );
  line(fingerprintGroups(label.manifestSha256.slice(0, 16)), 106, 10);
  line(`${bilingual((s) => s.set)}${zh.colon}${label.setId}`, 128, 7, COLOR.muted);
}

/** The sleeve insert: a 120 mm square with all the circle shows, and the full manifest hash. */
function sleeve(doc: Doc, label: DiscLabelInfo, x: number, y: number): void {
  const side = 120 * MM;
  doc.rect(x, y, side, side).lineWidth(0.8).strokeColor(COLOR.ink).stroke();
  const left = x + 16;
  const w = side - 32;
  put(
    doc,
    bilingual((s) => s.labelTitle),
    left,
    y + 14,
    11,
    COLOR.accent,
    { width: w },
  );
  const mark = copyMark(label.copy, 28);
  put(doc, mark.text, left, y + 32, mark.size, mark.color, { width: w });
  let at = y + 80;
  const field = (pick: (s: Strings) => string, values: string[], size = 9.5) => {
    put(doc, bilingual(pick), left, at, 7, COLOR.muted, { width: w });
    at += 10;
    for (const value of values) {
      put(doc, fit(doc.fontSize(size), value, w), left, at, size, COLOR.ink, { width: w });
      at += doc.currentLineHeight(false);
    }
    at += 4;
  };
  doc.fontSize(9.5);
  field((s) => s.caseNumbers, caseLines(doc, label.caseNumbers, [w, w, w]));
  field((s) => s.set, [label.setId]);
  field((s) => s.disc, [bilingual((s) => s.discOf(label.n, label.of))]);
  field((s) => s.copyNumber, [bilingual((s) => s.copyValue(label.copy))]);
  field((s) => s.volumeId, [label.volumeId]);
  field((s) => s.labelDate, [formatTime(label.burnedAt)]);
  field((s) => s.labelFingerprint, [fingerprintGroups(label.manifestSha256.slice(0, 16))], 12);
  field((s) => s.manifestSha256, [label.manifestSha256], 7);
}

/**
 * A printable A4 page: the disc label (a 120 mm circle) and the sleeve insert (a 120 mm square),
 * each naming the case numbers, the disc in its set, the copy (副本 / COPY large on a further
 * copy), the volume, the date and the manifest's fingerprint.
 */
export async function discLabelPdf(label: DiscLabelInfo): Promise<Buffer> {
  const zh = discDocumentStrings('zh-CN');
  return await renderPdf(
    {
      title: `${bilingual((s) => s.labelTitle)} · ${label.volumeId}`,
      subject: label.setId,
      date: label.burnedAt,
    },
    (doc) => {
      newPage(doc, 'portrait', 8);
      const cx = doc.page.width / 2;
      const r = 60 * MM;
      discFace(doc, label, cx, 24 + r, zh);
      const top = 24 + 2 * r + 22;
      sleeve(doc, label, cx - r, top);
      const guide = top + 2 * r + 14;
      const w = doc.page.width - 2 * MARGIN;
      put(doc, zh.cutGuide, MARGIN, guide, 7, COLOR.muted, { width: w });
      put(doc, discDocumentStrings('en').cutGuide, MARGIN, guide + 11, 7, COLOR.muted, {
        width: w,
      });
    },
  );
}
