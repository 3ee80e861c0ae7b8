import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { Me } from './api.js'

/** The logged-in person, for role-dependent controls. The server checks the role again on every request. */
export const MeContext = createContext<Me | null>(null)
export const useIsAdmin = () => useContext(MeContext)?.user.role === 'admin'
export const useMe = () => useContext(MeContext)
