// Shared by the segmentation collectors of every OS: which addresses are loopback, and which well-known ports are a risk
// when exposed to the network on a small-office computer. The name is what a person reads. SSH (22) is deliberately absent: remote login with keys is a
// normal admin tool; whether it should be reachable is a site decision, not a default alarm.

const RISKY: Readonly<Record<number, string>> = {
  21: 'FTP',
  23: 'Telnet',
  135: 'RPC',
  139: 'SMB',
  445: 'SMB',
  1433: 'MSSQL',
  3283: 'Apple Remote Desktop',
  3306: 'MySQL',
  3389: 'RDP',
  5432: 'PostgreSQL',
  5985: 'WinRM',
  5986: 'WinRM',
  6379: 'Redis',
  9200: 'Elasticsearch',
  27017: 'MongoDB',
}

/** The risky service on this TCP port, or undefined. 5900-5903: VNC (macOS Screen Sharing uses 5900). */
export function riskyTcpService(port: number): string | undefined {
  if (port >= 5900 && port <= 5903) return 'VNC'
  return RISKY[port]
}

/** 127.0.0.0/8, ::1, IPv4-mapped loopback, or the name localhost (lsof prints it): reachable from this machine only. */
export const isLoopbackAddress = (a: string) => /^127\./.test(a) || a === '::1' || a === 'localhost' || /^::ffff:127\./i.test(a)
