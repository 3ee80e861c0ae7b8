export { Agent, QUICK_FACTS } from './agent.js'
export { collectReport, collectFacts } from './run.js'
export { loadConfig, saveConfig, type AgentConfig } from './config.js'
export { Spool } from './transport/spool.js'
