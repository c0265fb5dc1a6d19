#!/usr/bin/env bash
# Installs the Debian 12 packages daihai needs to build, test and plot. Idempotent: runs
# `apt-get update` and `apt-get install` only when a package is missing. Needs root (or sudo).
#   bash scripts/install-deps.sh          what `make run` and `make test` need
#   bash scripts/install-deps.sh fuzz     and clang with its sanitizer runtimes and OpenMP (the
#                                         'fuzz' preset: `make fuzz`, the CI's fuzzing pass)
set -euo pipefail
pkgs=(build-essential cmake pkg-config libeigen3-dev libboost-dev libhdf5-dev hdf5-tools catch2
      libtomlplusplus-dev libcli11-dev libfmt-dev python3-h5py python3-matplotlib python3-numpy
      python3-netcdf4 python3-xarray python3-openpyxl fonts-noto-cjk chromium time
      libopenmpi-dev openmpi-bin libhdf5-openmpi-dev slurm-wlm munge librapidcheck-dev)
[ "${1:-}" = fuzz ] && pkgs+=(clang libclang-rt-14-dev libomp-14-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
