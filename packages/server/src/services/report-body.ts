// How a report's JSON is kept in `reports.body`. Plain JSON as received, or — for the daily snapshots kept for a year,
// and for every report once ingest writes it so — deflated (zlib, built into Node) and base64-encoded behind a marker.
// A report is mostly its list of pending updates: names and versions repeat, so it shrinks ~5× (docs/benchmarks.md).
// The column stays TEXT, so no migration rewrites a large table; a reader calls decodeReportBody and never sees the difference.
import { deflateSync, inflateSync } from 'node:zlib'

const MARK = 'z1:'

/** The stored text of a report: deflated JSON behind the marker. */
export const encodeReportBody = (json: string): string => MARK + deflateSync(json).toString('base64')

/** The report's JSON, whichever way it was stored. */
export const decodeReportBody = (stored: string): string => (stored.startsWith(MARK) ? inflateSync(Buffer.from(stored.slice(MARK.length), 'base64')).toString('utf8') : stored)

export const isEncodedReportBody = (stored: string) => stored.startsWith(MARK)
