#!/usr/bin/env bash
# What the SFTP tests need besides npm packages: OpenSSH's sshd (Debian's openssh-server), which
# integration-tests/helpers/sftp-server.ts starts on a free local port with its own config.
# Installs it only when it is missing (CI calls this before `npm test`).
set -euo pipefail
if [ -x /usr/sbin/sshd ]; then
  echo "sshd: $(/usr/sbin/sshd -V 2>&1 | head -1 || echo present)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends openssh-server openssh-client
/usr/sbin/sshd -V 2>&1 | head -1 || true
