#!/bin/sh
# Installs the Debian packages umbra needs when any is missing (make deps).
set -eu
PKGS="make g++ gcc python3 verilator iverilog gcc-riscv64-unknown-elf \
qemu-system-misc libcmocka-dev libfdt-dev device-tree-compiler strace gtkwave lcov \
chromium gnuplot-nox python3-markdown xvfb imagemagick"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root: apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"
