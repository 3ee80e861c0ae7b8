// Service state parsers, fed with the output formats of sc.exe (Microsoft Learn: "sc.exe query", "sc.exe qc"; field
// names are not translated), launchctl print (launchctl(1)) and systemctl; doctor's ACL reader.
import { describe, expect, it } from 'vitest'
import { parseLaunchctlPrint, parseScQuery, parseSystemctl } from './service-state.js'
import { parseAclLines } from './doctor.js'

const SC_RUNNING = `
SERVICE_NAME: LagebildAgent
        TYPE               : 10  WIN32_OWN_PROCESS
        STATE              : 4  RUNNING
                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)
        WIN32_EXIT_CODE    : 0  (0x0)
        SERVICE_EXIT_CODE  : 0  (0x0)
        CHECKPOINT         : 0x0
        WAIT_HINT          : 0x0
`
const SC_QC = `[SC] QueryServiceConfig SUCCESS

SERVICE_NAME: LagebildAgent
        TYPE               : 10  WIN32_OWN_PROCESS
        START_TYPE         : 2   AUTO_START
        ERROR_CONTROL      : 1   NORMAL
        BINARY_PATH_NAME   : "C:\\Program Files\\Lagebild\\Agent\\lagebild-service.exe"
        SERVICE_START_NAME : LocalSystem
`

describe('service state', () => {
  it('Windows: running and automatic; stopped; not installed (1060, German message)', () => {
    expect(parseScQuery(SC_RUNNING, SC_QC)).toMatchObject({ installed: true, running: true, atBoot: true })
    expect(parseScQuery(SC_RUNNING.replace('4  RUNNING', '1  STOPPED'), SC_QC.replace('2   AUTO_START', '3   DEMAND_START'))).toMatchObject({ installed: true, running: false, atBoot: false })
    expect(parseScQuery('[SC] EnumQueryServicesStatus:OpenService FEHLER 1060:\r\n\r\nDer angegebene Dienst ist kein installierter Dienst.'.replace('FEHLER', 'FAILED'))).toMatchObject({ installed: false })
    expect(parseScQuery('Zugriff verweigert').installed).toBeNull()
  })
  it('macOS: running, not loaded, unreadable', () => {
    expect(parseLaunchctlPrint('system/de.lagebild.agent = {\n\tactive count = 1\n\tstate = running\n\tpid = 412\n}', 0)).toMatchObject({ installed: true, running: true })
    expect(parseLaunchctlPrint('Could not find service "de.lagebild.agent" in domain for system', 113)).toMatchObject({ installed: false })
    expect(parseLaunchctlPrint('', 1).installed).toBeNull()
  })
  it('Linux: active/enabled, failed, unit missing', () => {
    expect(parseSystemctl('active\n', 'enabled\n')).toMatchObject({ running: true, atBoot: true })
    expect(parseSystemctl('failed\n', 'enabled\n')).toMatchObject({ installed: true, running: false })
    expect(parseSystemctl('inactive\n', 'Failed to get unit file state for lagebild-agent.service: No such file or directory\n')).toMatchObject({ installed: false })
  })
  it('Windows ACL: only SYSTEM and Administrators pass; Users (S-1-5-32-545) is named', () => {
    expect(parseAclLines('S-1-5-18\tAllow\tFullControl\r\nS-1-5-32-544\tAllow\tFullControl\r\n')).toEqual({ others: [], entries: 2 })
    expect(parseAclLines('S-1-5-18\tAllow\tFullControl\nS-1-5-32-545\tAllow\tReadAndExecute, Synchronize\n').others).toEqual(['S-1-5-32-545'])
  })
})
