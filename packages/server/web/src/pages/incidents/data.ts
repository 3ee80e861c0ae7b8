// Loading incidents: the list, one incident, the banner's active ones. Each refetches when the server says an incident
// changed (live event incident-changed), whoever changed it.
import { api, type IncidentDetail, type IncidentSummary, type UserReportOut } from '../../api.js'
import { useLoad } from '../../hooks.js'
import { useLive } from '../../live.js'

export type IncidentList = { incidents: IncidentSummary[]; unassigned: UserReportOut[]; webReports: boolean }

export function useIncidents() {
  const r = useLoad('incidents', () => api<IncidentList>('/incidents'))
  useLive(r.reload, (e) => e.type === 'incident-changed', 300)
  return r
}

export function useIncident(id: string) {
  const r = useLoad(`incident-${id}`, () => api<IncidentDetail>(`/incidents/${encodeURIComponent(id)}`))
  useLive(r.reload, (e) => e.type === 'incident-changed' && (e.incidentId === id || e.incidentId === null) || e.type === 'host-updated', 400)
  return r
}

export function useActiveIncidents(enabled: boolean) {
  const r = useLoad(`incidents-active-${enabled}`, () => (enabled ? api<{ incidents: IncidentSummary[]; unassigned: number }>('/incidents/active') : Promise.resolve({ incidents: [], unassigned: 0 })))
  useLive(r.reload, (e) => e.type === 'incident-changed', 500)
  return r
}

/** An action on an incident; the answer is the incident as it is now. */
export const act = (id: string, path: string, body?: unknown, method = 'POST') =>
  api<IncidentDetail>(`/incidents/${encodeURIComponent(id)}${path}`, { method, ...(body !== undefined ? { body } : {}) })
