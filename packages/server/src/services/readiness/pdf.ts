// PDF building blocks (pdfkit): an A4 document with a font that has every character people type. pdfkit's built-in
// Helvetica covers only WinAnsi; names like "Łukasz" or "Ђорђе" need a TrueType font, so we look for DejaVu Sans (Debian
// fonts-dejavu-core, also Chromium's dependency), Arial (Windows, macOS), or LAGEBILD_PDF_FONT / LAGEBILD_PDF_FONT_BOLD.
import { existsSync } from 'node:fs'
import PDFDocument from 'pdfkit'

const CANDIDATES: [string, string][] = [
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
  ['/usr/share/fonts/TTF/DejaVuSans.ttf', '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf'],
  ['C:\\Windows\\Fonts\\arial.ttf', 'C:\\Windows\\Fonts\\arialbd.ttf'],
  ['/System/Library/Fonts/Supplemental/Arial.ttf', '/System/Library/Fonts/Supplemental/Arial Bold.ttf'],
]

let fonts: { regular: string; bold: string } | null | undefined

/** The TrueType fonts to embed, or null for pdfkit's Helvetica (then characters outside Latin-1 print as "?"). */
export function pdfFonts(env: NodeJS.ProcessEnv = process.env): { regular: string; bold: string } | null {
  if (fonts !== undefined) return fonts
  const own = env.LAGEBILD_PDF_FONT
  if (own && existsSync(own)) return (fonts = { regular: own, bold: env.LAGEBILD_PDF_FONT_BOLD && existsSync(env.LAGEBILD_PDF_FONT_BOLD) ? env.LAGEBILD_PDF_FONT_BOLD : own })
  const found = CANDIDATES.find(([r, b]) => existsSync(r) && existsSync(b))
  return (fonts = found ? { regular: found[0], bold: found[1] } : null)
}

export type Pdf = InstanceType<typeof PDFDocument>

/** A new A4 page set up with the regular font as "body" and the bold one as "bold". */
export function newPdf(title: string, margin = 48): Pdf {
  const doc = new PDFDocument({ size: 'A4', margin, info: { Title: title, Author: 'Lagebild', Creator: 'Lagebild' }, bufferPages: true })
  const f = pdfFonts()
  doc.registerFont('body', f?.regular ?? 'Helvetica')
  doc.registerFont('bold', f?.bold ?? 'Helvetica-Bold')
  doc.font('body')
  return doc
}

/** Text for the built-in fonts: WinAnsi only, anything else as "?" rather than garbage glyphs. */
export const safeText = (s: string) => (pdfFonts() ? s : s.replace(/[^\t\n\r\u0020-\u007e\u00a0-\u00ff€„“”‚‘’–—…•]/g, '?'))

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
