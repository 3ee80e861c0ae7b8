// The IT emergency card as a one-page A4 PDF (pdfkit), with a QR code (qrcode) to where a report can be made online.
import QRCode from 'qrcode'
import { CARD_QUESTIONS, CARD_RULES, CARD_TEXT, type Card, type CardPerson, type Language } from '@lagebild/shared'
import { newPdf, pdfBuffer, type Pdf } from './pdf.js'
import type { PdfFont } from '../../config.js'

const RED = '#b3261e'
const INK = '#1d1d1f'
const MUTED = '#5f6368'
const PAGE_W = 595.28
const M = 40

function person(doc: Pdf, label: string, p: CardPerson, big: boolean, lang: Language) {
  const w = PAGE_W - 2 * M - 24
  doc.font('bold').fontSize(10).fillColor(MUTED).text(doc.safe(label.toUpperCase()), { width: w })
  doc.font('bold').fontSize(big ? 16 : 13).fillColor(INK).text(doc.safe(`${p.name}${p.role ? ` · ${p.role}` : ''}`), { width: w })
  // The number to dial is the biggest thing on the card; a mobile number follows on its own line.
  if (p.phone) doc.font('bold').fontSize(big ? 28 : 18).fillColor(RED).text(doc.safe(p.phone), { width: w })
  if (p.mobile) doc.font('bold').fontSize(big ? 18 : 14).fillColor(RED).text(doc.safe(`${p.phone ? `${CARD_TEXT.mobile[lang]} ` : ''}${p.mobile}`), { width: w })
  if (p.email) doc.font('body').fontSize(10).fillColor(INK).text(doc.safe(p.email), { width: w })
}

function callBox(doc: Pdf, card: Card, lang: Language) {
  const top = doc.y
  doc.x = M + 12
  doc.y = top + 10
  doc.font('bold').fontSize(14).fillColor(INK).text(doc.safe(CARD_TEXT.call[lang]))
  doc.moveDown(0.3)
  if (!card.firstContact) {
    doc.font('bold').fontSize(14).fillColor(RED).text(doc.safe(CARD_TEXT.noContact[lang]), { width: PAGE_W - 2 * M - 24 })
  } else {
    person(doc, CARD_TEXT.firstContact[lang], card.firstContact, true, lang)
    doc.font('body').fontSize(10).fillColor(MUTED).text(doc.safe(card.firstContact.hours[lang]))
    for (const d of card.deputies.slice(0, 2)) {
      doc.moveDown(0.4)
      person(doc, CARD_TEXT.deputy[lang], d, false, lang)
      doc.font('body').fontSize(10).fillColor(MUTED).text(doc.safe(d.hours[lang]))
    }
    for (const s of card.standby.slice(0, 2)) {
      doc.moveDown(0.4)
      person(doc, CARD_TEXT.standby[lang], s, false, lang)
      doc.font('body').fontSize(10).fillColor(MUTED).text(doc.safe(s.hours[lang]))
    }
    if (card.gaps) {
      doc.moveDown(0.4)
      doc.font('bold').fontSize(10).fillColor(RED).text(doc.safe(`${CARD_TEXT.gaps[lang]}: ${card.gaps[lang]}`), { width: PAGE_W - 2 * M - 24 })
    }
  }
  const bottom = doc.y + 10
  doc.save().lineWidth(2).strokeColor(RED).roundedRect(M, top, PAGE_W - 2 * M, bottom - top, 8).stroke().restore()
  doc.x = M
  doc.y = bottom + 14
}

function list(doc: Pdf, heading: string, items: string[], numbered: boolean, width: number) {
  doc.font('bold').fontSize(15).fillColor(INK).text(doc.safe(heading), { width })
  doc.moveDown(0.3)
  doc.font('body').fontSize(12.5).fillColor(INK)
  items.forEach((item, i) => doc.text(doc.safe(`${numbered ? `${i + 1}.` : '•'}  ${item}`), { width, indent: 0, paragraphGap: 5 }))
  doc.moveDown(0.9)
}

/** The card in one language; `reportUrl` is where the QR code leads (the public URL, or the address the board was opened at). */
export async function cardPdf(card: Card, lang: Language, reportUrl: string | null, font: PdfFont | null): Promise<Buffer> {
  const doc = newPdf(CARD_TEXT.title[lang], font, M)
  doc.rect(0, 0, PAGE_W, 96).fill(RED)
  doc.font('bold').fontSize(26).fillColor('#ffffff').text(doc.safe(CARD_TEXT.title[lang]), M, 26, { width: PAGE_W - 2 * M })
  doc.font('body').fontSize(14).text(doc.safe(`${CARD_TEXT.motto[lang]}${card.company ? `  ·  ${card.company}` : ''}`), { width: PAGE_W - 2 * M })
  doc.x = M
  doc.y = 116
  callBox(doc, card, lang)
  const qrSize = 104
  const textWidth = reportUrl ? PAGE_W - 2 * M - qrSize - 20 : PAGE_W - 2 * M
  const listsTop = doc.y
  list(doc, CARD_TEXT.rules[lang], CARD_RULES.map((r) => r[lang]), true, textWidth)
  list(doc, CARD_TEXT.questions[lang], CARD_QUESTIONS.map((q) => q[lang]), false, textWidth)
  if (reportUrl) {
    const png = await QRCode.toBuffer(reportUrl, { type: 'png', margin: 1, width: 400, errorCorrectionLevel: 'M' })
    const x = PAGE_W - M - qrSize
    doc.image(png, x, listsTop, { width: qrSize })
    doc.font('bold').fontSize(9).fillColor(INK).text(doc.safe(CARD_TEXT.report[lang]), x, listsTop + qrSize + 4, { width: qrSize, align: 'center' })
    doc.font('body').fontSize(7).fillColor(MUTED).text(doc.safe(reportUrl), x, doc.y, { width: qrSize, align: 'center' })
  }
  doc.page.margins.bottom = 0
  doc.font('body').fontSize(8).fillColor(MUTED)
    .text(doc.safe(`${CARD_TEXT.asOf[lang]} ${card.generatedAt.slice(0, 10)} · ${card.version.slice(0, 12)} · ${CARD_TEXT.source[lang]}`), M, 842 - M - 12, { width: PAGE_W - 2 * M, lineBreak: false })
  return pdfBuffer(doc)
}
