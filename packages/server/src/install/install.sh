#!/bin/sh
# Lagebild agent installer for Linux (systemd) and macOS (launchd). Served by the Lagebild server at /install.sh
# with its own address filled in. Run as root:
#   curl -fsSL __SERVER__/install.sh | sudo sh -s -- --token TOKEN
# Options:
#   --token TOKEN  enrollment token from the board (not needed when this PC is enrolled already)
#   --server URL   server address (default: __SERVER__)
#   --ca FILE      PEM file of the private CA that signed the server certificate
#   --reenroll     enroll again although this PC is enrolled (needs --token)
#   --no-wait      if the server knows this PC already, ask an admin on the board but do not wait for the answer
#                  (exit code __INSTALL_PENDING__; run the same line again once it is allowed). Without it the line waits.
#   --no-start     install and enroll, but do not start the service
#   --root DIR     install below DIR instead of / and leave the service manager alone (tests)
#   --uninstall    remove the agent, its service and its files (same as: lagebild-agent uninstall)
# A PC the server knows already (a reinstall; the server's own PC after `npm start`) is enrolled only after an admin
# allows it on the host page of the board (or with a token created with "may replace"); the line waits for that.
# Exit codes: 0 installed, 1 not root or unsupported system, 2 bad arguments, 3 download or checksum failed,
#             4 enrollment failed, 5 service could not be set up, __INSTALL_PENDING__ waiting for an admin on the board.
set -eu

SERVER='__SERVER__'
# SHA-256 of the server's public key when its certificate comes from a private CA (see docs/deploy.md): the CA
# itself is then fetched over a connection pinned to that key.
PIN='__PIN__'
TOKEN=''
CA=''
ROOT=''
START=1
REENROLL=0
WAIT=1
UNINSTALL=0

say() { printf 'lagebild: %s\n' "$*" >&2; }
die() { code=$1; shift; say "$*"; exit "$code"; }

while [ $# -gt 0 ]; do
  case $1 in
    --token) [ $# -ge 2 ] || die 2 "--token needs a value / --token braucht einen Wert"; TOKEN=$2; shift 2 ;;
    --server) [ $# -ge 2 ] || die 2 "--server needs a value / --server braucht einen Wert"; [ "${2%/}" = "$SERVER" ] || PIN=''; SERVER=${2%/}; shift 2 ;;
    --ca) [ $# -ge 2 ] || die 2 "--ca needs a file / --ca braucht eine Datei"; CA=$2; shift 2 ;;
    --root) [ $# -ge 2 ] || die 2 "--root needs a folder / --root braucht einen Ordner"; ROOT=${2%/}; shift 2 ;;
    --reenroll) REENROLL=1; shift ;;
    --no-wait) WAIT=0; shift ;;
    --no-start) START=0; shift ;;
    --uninstall) UNINSTALL=1; shift ;;
    -h|--help) sed -n '2,20p' "$0" 2>/dev/null || true; exit 0 ;;
    *) die 2 "unknown option $1 / unbekannte Option $1" ;;
  esac
done

# Everything below is quoted, but these values also end up in a service definition: allow only what they can be.
printf '%s' "$SERVER" | grep -Eq '^https?://[A-Za-z0-9.:-]+$|^https?://\[[0-9A-Fa-f:.]+\](:[0-9]+)?$' || die 2 "--server $SERVER: expected http(s)://host[:port] / erwartet http(s)://host[:port]"
[ -z "$TOKEN" ] || printf '%s' "$TOKEN" | grep -Eq '^[A-Za-z0-9_-]{1,200}$' || die 2 "--token: not an enrollment token / kein Anmelde-Token"
[ -z "$ROOT" ] || printf '%s' "$ROOT" | grep -Eq "^/[A-Za-z0-9._/-]+$" || die 2 "--root: an absolute path of letters, digits, . _ - / / ein absoluter Pfad"
[ -z "$CA" ] || [ -r "$CA" ] || die 2 "--ca $CA: cannot read the file / Datei nicht lesbar"
[ "$(id -u)" = 0 ] || die 1 "run as root (sudo) / als root ausführen (sudo)"

case $(uname -s) in
  Linux) OS=linux ;;
  Darwin) OS=macos ;;
  *) die 1 "unsupported system $(uname -s): Linux or macOS / nicht unterstütztes System: Linux oder macOS" ;;
esac
case $(uname -m) in
  x86_64|amd64) ARCH=x64 ;;
  aarch64|arm64) ARCH=arm64 ;;
  *) die 1 "unsupported CPU $(uname -m): x86-64 or ARM64 / nicht unterstützte CPU" ;;
esac

if [ "$OS" = linux ]; then
  PROG='__LINUX_PROGRAM__'; CONF='__LINUX_CONFIG__'; CAFILE='__LINUX_CA__'; STATE='__LINUX_STATE__'
  SERVICE='__LINUX_SERVICE__'; SERVICE_FILE='__LINUX_SERVICE_FILE__'; BINLINK='__LINUX_BINLINK__'
  PLATFORM=linux-$ARCH
else
  PROG='__MACOS_PROGRAM__'; CONF='__MACOS_CONFIG__'; CAFILE='__MACOS_CA__'; STATE='__MACOS_STATE__'
  SERVICE='__MACOS_SERVICE__'; SERVICE_FILE='__MACOS_SERVICE_FILE__'; BINLINK='__MACOS_BINLINK__'; LOG='__MACOS_LOG__'
  # Apple silicon runs the x64 runtime under Rosetta 2: the registry's Node for arm64 Macs stops at Node 18.
  PLATFORM=darwin-x64
  if [ "$ARCH" = arm64 ] && [ -z "$ROOT" ] && ! /usr/bin/arch -x86_64 /usr/bin/true 2>/dev/null; then
    say "installing Rosetta 2 (Apple) for the agent's runtime / installiere Rosetta 2 für die Laufzeit des Agenten"
    /usr/sbin/softwareupdate --install-rosetta --agree-to-license >/dev/null || die 1 "Rosetta 2 could not be installed / Rosetta 2 ließ sich nicht installieren"
  fi
fi
P="$ROOT$PROG"
LAUNCHER="$P/lagebild-agent"

if [ "$UNINSTALL" = 1 ]; then
  [ -x "$LAUNCHER" ] || die 1 "no Lagebild agent installed in $P / kein Lagebild-Agent in $P installiert"
  exec "$LAUNCHER" uninstall --yes
fi

fetch() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    if [ -n "$CA" ]; then curl -fsSL --cacert "$CA" -o "$2" "$1"
    elif [ -n "$PIN" ]; then curl -fsSL --insecure --pinnedpubkey "$PIN" -o "$2" "$1"  # --insecure: the pin replaces the CA check
    else curl -fsSL -o "$2" "$1"; fi
  elif command -v wget >/dev/null 2>&1 && [ -z "$PIN" ]; then
    if [ -n "$CA" ]; then wget -q --ca-certificate="$CA" -O "$2" "$1"; else wget -q -O "$2" "$1"; fi
  else
    die 3 "curl is needed / curl wird benötigt"
  fi
}
sha256() { if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The package and its checksum, both from this server; the checksum guards against a broken or swapped download.
fetch "$SERVER/api/v1/agent-packages/$PLATFORM/sha256" "$tmp/sha256" || die 3 "cannot download from $SERVER / Download von $SERVER fehlgeschlagen"
WANT=$(cut -d' ' -f1 "$tmp/sha256")
FILE=$(awk '{print $2}' "$tmp/sha256")
printf '%s' "$WANT" | grep -Eq '^[0-9a-f]{64}$' || die 3 "the server sent no SHA-256 / der Server lieferte keine SHA-256"
printf '%s' "$FILE" | grep -Eq '^lagebild-agent-[0-9]+\.[0-9]+\.[0-9]+-[a-z0-9-]+\.tar\.gz$' || die 3 "unexpected package name $FILE / unerwarteter Paketname"
VERSION=$(printf '%s' "$FILE" | sed -E 's/^lagebild-agent-([0-9]+\.[0-9]+\.[0-9]+)-.*/\1/')
CURRENT=$(cat "$P/current" 2>/dev/null || true)
ENROLLED=0
grep -q '"agentId"' "$ROOT$CONF" 2>/dev/null && ENROLLED=1

if [ "$CURRENT" = "$VERSION" ] && [ -x "$P/versions/$VERSION/bin/node" ]; then
  say "agent $VERSION is installed already / Agent $VERSION ist bereits installiert"
else
  fetch "$SERVER/api/v1/agent-packages/$PLATFORM" "$tmp/$FILE" || die 3 "cannot download $FILE / Download von $FILE fehlgeschlagen"
  HAVE=$(sha256 "$tmp/$FILE")
  [ "$HAVE" = "$WANT" ] || die 3 "checksum mismatch for $FILE (expected $WANT, got $HAVE): nothing installed / Prüfsumme falsch: nichts installiert"
  mkdir "$tmp/x"
  tar -xzf "$tmp/$FILE" -C "$tmp/x" || die 3 "cannot unpack $FILE / $FILE lässt sich nicht entpacken"
  [ "$(cat "$tmp/x/lagebild-agent/VERSION")" = "$VERSION" ] || die 3 "package content does not match its name / Paketinhalt passt nicht zum Namen"
  mkdir -p "$P/versions"
  rm -rf "$P/versions/$VERSION"
  mv "$tmp/x/lagebild-agent" "$P/versions/$VERSION"
  if [ -n "$CURRENT" ] && [ "$CURRENT" != "$VERSION" ]; then printf '%s\n' "$CURRENT" > "$P/previous"; fi
  printf '%s\n' "$VERSION" > "$P/current.tmp" && mv "$P/current.tmp" "$P/current"
  rm -f "$P/__PENDING__"
fi
chmod 755 "$P"

# The launcher the service and people run: the version in ./current, back to ./previous when an update failed to
# start __ROLLBACK_AFTER__ times in a row (the new version confirms itself after its first delivered report).
cat > "$LAUNCHER.tmp" <<EOF
#!/bin/sh
# Lagebild agent launcher, written by install.sh.
P='$P'
$( [ -n "$ROOT" ] && printf "export LAGEBILD_INSTALL_ROOT='%s'" "$ROOT" )
if [ "\${1:-}" = run ] && [ -f "\$P/__PENDING__" ]; then
  n=\$(( \$(cat "\$P/__PENDING__" 2>/dev/null || echo 0) + 1 ))
  if [ "\$n" -gt __ROLLBACK_AFTER__ ] && [ -s "\$P/__PREVIOUS__" ]; then
    cat "\$P/__CURRENT__" > "\$P/__ROLLED_BACK__"
    cp "\$P/__PREVIOUS__" "\$P/__CURRENT__.tmp" && mv "\$P/__CURRENT__.tmp" "\$P/__CURRENT__"
    rm -f "\$P/__PENDING__"
    echo "lagebild-agent: the new version did not start; back to \$(cat "\$P/__CURRENT__") / neue Version startete nicht; zurück zur vorigen" >&2
  else
    echo "\$n" > "\$P/__PENDING__"
  fi
fi
v=\$(cat "\$P/__CURRENT__")
exec "\$P/__VERSIONS__/\$v/bin/node" --use-system-ca --lite-mode "\$P/__VERSIONS__/\$v/agent/lagebild-agent.mjs" "\$@"
EOF
chmod 755 "$LAUNCHER.tmp" && mv "$LAUNCHER.tmp" "$LAUNCHER"
mkdir -p "$(dirname "$ROOT$BINLINK")" && ln -sf "$LAUNCHER" "$ROOT$BINLINK"

# Config (holds the agent secret) and state: root only.
CONFDIR=$(dirname "$ROOT$CONF")
mkdir -p "$CONFDIR" "$ROOT$STATE"
chmod 700 "$CONFDIR" "$ROOT$STATE"
CAARG=''
if [ -n "$CA" ]; then
  cp "$CA" "$ROOT$CAFILE.tmp" && chmod 644 "$ROOT$CAFILE.tmp" && mv "$ROOT$CAFILE.tmp" "$ROOT$CAFILE"
  CAARG=1
elif [ -n "$PIN" ]; then
  fetch "$SERVER/ca.pem" "$ROOT$CAFILE.tmp" || die 3 "cannot download the server's CA / CA des Servers nicht ladbar"
  chmod 644 "$ROOT$CAFILE.tmp" && mv "$ROOT$CAFILE.tmp" "$ROOT$CAFILE"
  CAARG=1
fi

if [ "$ENROLLED" = 1 ] && [ "$REENROLL" = 0 ]; then
  say "this PC is enrolled already; keeping its credentials (--reenroll to enroll again) / bereits angemeldet"
else
  [ -n "$TOKEN" ] || die 2 "--token TOKEN is needed: create one on the board (Enroll) / --token TOKEN fehlt: im Statusboard erzeugen"
  set -- enroll --server "$SERVER" --token "$TOKEN" --config "$ROOT$CONF" --dir "$ROOT$STATE"
  [ -z "$CAARG" ] || set -- "$@" --ca "$ROOT$CAFILE"
  [ "$WAIT" = 1 ] || set -- "$@" --no-wait
  # A PC the server knows already: the agent says where an admin confirms, and waits (unless --no-wait).
  rc=0
  "$LAUNCHER" "$@" || rc=$?
  [ "$rc" = __ENROLL_PENDING__ ] && die __INSTALL_PENDING__ "not enrolled yet: an admin must allow it on the board; then run this line again / noch nicht angemeldet: ein Admin muss es im Statusboard erlauben; dann diese Zeile erneut ausführen"
  [ "$rc" = 0 ] || die 4 "enrollment failed (see above) / Anmeldung fehlgeschlagen (siehe oben)"
fi
chmod 600 "$ROOT$CONF"

mkdir -p "$(dirname "$ROOT$SERVICE_FILE")"
if [ "$OS" = linux ]; then
  cat > "$ROOT$SERVICE_FILE" <<EOF
[Unit]
Description=Lagebild agent: security status of this PC
Documentation=$SERVER/docs
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
ExecStart="$LAUNCHER" run --config "$ROOT$CONF" --dir "$ROOT$STATE"
User=root
UMask=0077
Restart=on-failure
RestartSec=10
TimeoutStopSec=20

[Install]
WantedBy=multi-user.target
EOF
  chmod 644 "$ROOT$SERVICE_FILE"
  if [ -z "$ROOT" ] && [ -d /run/systemd/system ]; then
    systemctl daemon-reload && systemctl enable "$SERVICE" >/dev/null 2>&1 || die 5 "systemctl enable $SERVICE failed / fehlgeschlagen"
    if [ "$START" = 1 ]; then
      systemctl restart "$SERVICE" || die 5 "systemctl restart $SERVICE failed: journalctl -u $SERVICE / Start fehlgeschlagen"
    fi
  elif [ -n "$ROOT" ]; then
    say "installed below $ROOT: no service manager touched; start the agent with: $LAUNCHER run / unter $ROOT installiert; Agent starten mit: $LAUNCHER run"
    START=0
  else
    say "systemd is not running here: the unit is in $ROOT$SERVICE_FILE; start the agent with: $LAUNCHER run / systemd läuft hier nicht; Agent starten mit: $LAUNCHER run"
    START=0
  fi
else
  mkdir -p "$(dirname "$ROOT$LOG")"
  cat > "$ROOT$SERVICE_FILE" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>$SERVICE</string>
  <key>ProgramArguments</key>
  <array>
    <string>$LAUNCHER</string>
    <string>run</string>
    <string>--config</string><string>$ROOT$CONF</string>
    <string>--dir</string><string>$ROOT$STATE</string>
  </array>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>
  <key>ThrottleInterval</key><integer>10</integer>
  <key>ProcessType</key><string>Background</string>
  <key>StandardOutPath</key><string>$ROOT$LOG</string>
  <key>StandardErrorPath</key><string>$ROOT$LOG</string>
</dict>
</plist>
EOF
  chmod 644 "$ROOT$SERVICE_FILE"
  if [ -z "$ROOT" ]; then
    chown root:wheel "$SERVICE_FILE"
    launchctl bootout "system/$SERVICE" >/dev/null 2>&1 || true
    if [ "$START" = 1 ]; then
      launchctl bootstrap system "$SERVICE_FILE" || die 5 "launchctl bootstrap failed / fehlgeschlagen"
      launchctl enable "system/$SERVICE" || true
    fi
  else
    START=0
  fi
fi

VERSION_NOW=$(cat "$P/current")
if [ "$START" = 1 ]; then
  say "agent $VERSION_NOW installed and running; check it with: sudo lagebild-agent doctor / Agent installiert und gestartet; prüfen mit: sudo lagebild-agent doctor"
else
  say "agent $VERSION_NOW installed (not started) / Agent installiert (nicht gestartet)"
fi
