#!/usr/bin/env bash
# Debian's postgresql and nginx for the store and cluster tests and `make cluster`, and
# LibreOffice headless (calc + impress, no GUI) for the report tests: a workbook edited
# and recalculated, a deck rendered slide by slide.
#
# Installs what is missing when we are root (CI, a fresh machine); otherwise prints a
# loud notice and the tests that need them skip (on CI, CI=true, they fail instead).
# The distro services are never started: while apt runs, /usr/sbin/policy-rc.d answers
# "no" to every service start (unless a policy is already in place), and whatever we
# installed is stopped and disabled afterwards. Our tests and `make cluster` start
# their own PostgreSQL and nginx on loopback ports with their own data directories.
set -euo pipefail

missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
has_deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
for office in libreoffice-calc-nogui libreoffice-impress-nogui; do
  # A LibreOffice installed some other way (not from Debian's packages) is used as it is.
  if command -v dpkg-query >/dev/null; then has_deb "$office" || has_deb "${office%-nogui}" || missing+=("$office")
  elif ! command -v soffice >/dev/null; then missing+=("$office"); fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  cat >&2 <<MSG
########################################################################################
# NOTICE: Debian's ${missing[*]} missing and we are not root.
# The PostgreSQL store tests, the cluster tests (nginx + replicas) and the report
# tests that need LibreOffice will SKIP
# (on CI, CI=true, they FAIL).
# Install once with:  sudo apt-get install -y ${missing[*]}
########################################################################################
MSG
  exit 0
fi

echo "installing Debian's ${missing[*]} for the store, cluster and report tests (services not started)"
policy=/usr/sbin/policy-rc.d
ours=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# written by deploy/install-deps.sh while apt runs\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  ours=1
fi
cleanup() { if [ -n "$ours" ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

apt_opts=(-o DPkg::Lock::Timeout=300 -qq)
if ! DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y --no-install-recommends \
    "${missing[@]}" >/dev/null; then
  apt-get "${apt_opts[@]}" update
  DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# Belt and braces: nothing of the distro's keeps running (or starts at the next boot).
for service in "${missing[@]}"; do
  if [ -d /run/systemd/system ]; then
    systemctl disable --now "$service" >/dev/null 2>&1 || true
  elif command -v service >/dev/null; then
    service "$service" stop >/dev/null 2>&1 || true
  fi
done
echo "installed: ${missing[*]} ($(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | head -1), $(/usr/sbin/nginx -v 2>&1))"
