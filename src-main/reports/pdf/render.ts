// One A4 PDF, drawn page by page into memory, in a Chinese font: the compliance report and the
// documents every long-term disc carries are made the same way.
import { embedReportFont, type FontLocation } from './report-font';
import { MARGIN, type Doc } from './layout';

export interface PdfMeta {
  title: string;
  author?: string;
  subject: string;
  /** The document's own time (a report's generation, a disc's making): the same input, the same bytes. */
  date: Date;
  lang: string;
}

/**
 * A PDF drawn by `draw` into buffered pages (footers can be added once the pages are counted).
 * pdfkit is loaded here, not with the station: it and its fonts cost some 24 MB and 180 ms at
 * start, which forwarding and docking have no use for.
 */
export async function renderPdf(
  meta: PdfMeta,
  font: FontLocation,
  draw: (doc: Doc) => void,
): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    autoFirstPage: false,
    bufferPages: true,
    size: 'A4',
    margin: MARGIN,
    lang: meta.lang,
    displayTitle: true,
    info: {
      Title: meta.title,
      ...(meta.author === undefined ? {} : { Author: meta.author }),
      Subject: meta.subject,
      Creator: 'evidock',
      CreationDate: meta.date,
      ModDate: meta.date,
    },
  });
  return await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      embedReportFont(doc, font);
      draw(doc);
      doc.end();
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
