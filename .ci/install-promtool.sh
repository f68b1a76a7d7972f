#!/usr/bin/env bash
# Makes `promtool` available for the metrics tests (they pipe /metrics through `promtool check metrics`).
# Idempotent: does nothing when promtool is already on the PATH. Debian/Ubuntu only: promtool ships
# in the `prometheus` package there. Needs root (or sudo) the first time.
set -euo pipefail

if command -v promtool >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-promtool: promtool is missing and apt-get is not available; install Prometheus' promtool by hand" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo -n"
  else
    echo "install-promtool: need root or sudo to apt-get install prometheus" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
# the package list may be missing in a fresh container; only refresh it when the package is unknown
if ! apt-cache show prometheus >/dev/null 2>&1; then
  $SUDO apt-get update -qq
fi
# we only want the promtool binary; recommends (node exporter, web assets) are not needed
$SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null

command -v promtool >/dev/null 2>&1 || { echo "install-promtool: prometheus installed but promtool not found" >&2; exit 1; }
