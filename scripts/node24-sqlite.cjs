// Preloaded (NODE_OPTIONS=--require) into every process of the Node 24 test run: better-sqlite3's addon in
// node_modules is built for the Node that installed it (20); this process loads the build for its own ABI instead,
// made by scripts/node24.mjs. Nothing else changes, and node_modules stays as it is for Node 20.
'use strict'
const addon = process.env.LAGEBILD_SQLITE_ADDON
if (addon) {
  const dlopen = process.dlopen
  process.dlopen = function (module, filename, ...rest) {
    return dlopen.call(this, module, /[\\/]better_sqlite3\.node$/.test(filename) ? addon : filename, ...rest)
  }
}
