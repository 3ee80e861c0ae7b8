// Server configuration from the environment. Odd values stop the start with a clear message.
import { resolve } from 'node:path'

export interface ServerConfig {
  dataDir: string
  host: string
  port: number
  /** Largest accepted HTTP body (bytes). */
  bodyLimit: number
  /** Public URL printed in install commands and messages, e.g. https://lagebild.example */
  publicUrl: string | null
  logLevel: string
}

export class ConfigError extends Error {}

function int(name: string, def: number, min: number, max: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return def
  const v = Number(raw)
  if (!Number.isInteger(v) || v < min || v > max) throw new ConfigError(`${name}=${raw}: expected a whole number from ${min} to ${max}`)
  return v
}

export function configFromEnv(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const publicUrl = process.env.LAGEBILD_PUBLIC_URL || null
  if (publicUrl && !/^https?:\/\/[^\s/]+/.test(publicUrl)) throw new ConfigError(`LAGEBILD_PUBLIC_URL=${publicUrl}: expected http(s)://host[:port]`)
  return {
    dataDir: resolve(process.env.LAGEBILD_DATA_DIR || 'data'),
    host: process.env.LAGEBILD_HOST || '127.0.0.1',
    port: int('LAGEBILD_PORT', 8420, 0, 65535),
    bodyLimit: int('LAGEBILD_BODY_LIMIT', 1024 * 1024, 1024, 64 * 1024 * 1024),
    publicUrl,
    logLevel: process.env.LAGEBILD_LOG_LEVEL || 'info',
    ...overrides,
  }
}
