// One POST with a timeout for the HTTP-based channels; a non-2xx answer is an error (the outbox retries it).
export const HTTP_TIMEOUT_MS = 10_000

export async function postOnce(url: string, body: string, headers: Record<string, string>): Promise<void> {
  let res: Response
  try {
    res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS), redirect: 'error' })
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause
    throw new Error(`POST ${new URL(url).origin}: ${cause?.code ?? cause?.message ?? (err as Error).message}`, { cause: err })
  }
  if (!res.ok) {
    const text = (await res.text().catch(() => '')).slice(0, 200)
    throw new Error(`POST ${new URL(url).origin}: HTTP ${res.status}${text ? ` ${text}` : ''}`)
  }
  // Drain the body so the connection can be reused.
  await res.arrayBuffer().catch(() => undefined)
}
