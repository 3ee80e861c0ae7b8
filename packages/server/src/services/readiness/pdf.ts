// PDF building blocks (pdfkit): an A4 document with a font that has every character people type (config.ts finds one:
// LAGEBILD_PDF_FONT, else DejaVu Sans or Arial; without any, pdfkit's Helvetica, which covers Latin-1 only).
import PDFDocument from 'pdfkit'
import { displayText } from '@lagebild/shared'
import type { PdfFont } from '../../config.js'

export type Pdf = InstanceType<typeof PDFDocument> & { safe: (s: string) => string }

/** A new A4 page set up with the regular font as "body" and the bold one as "bold". */
export function newPdf(title: string, font: PdfFont | null, margin = 48): Pdf {
  const doc = new PDFDocument({ size: 'A4', margin, info: { Title: title, Author: 'Lagebild', Creator: 'Lagebild' }, bufferPages: true }) as Pdf
  doc.registerFont('body', font?.regular ?? 'Helvetica')
  doc.registerFont('bold', font?.bold ?? 'Helvetica-Bold')
  doc.font('body')
  // Every text drawn may quote an agent or a user report (host names, answers, timeline entries): invisible and
  // direction-changing characters are shown as [U+XXXX] (pdfkit draws no bidi; a U+202E would just hide), nothing is cut.
  // With the built-in fonts only WinAnsi can be drawn: anything else as "?" rather than garbage glyphs.
  const visible = (s: string) => displayText(s, { multiline: true, max: Number.MAX_SAFE_INTEGER })
  doc.safe = font ? visible : (s) => visible(s).replace(/[^\t\n\r\u0020-\u007e\u00a0-\u00ff€„“”‚‘’–—…•]/g, '?')
  return doc
}

/** Ends the document and returns its bytes. */
export function pdfBuffer(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    doc.end()
  })
}
