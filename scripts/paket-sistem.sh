#!/usr/bin/env bash
# The few system programs the tests use besides Python: a headless browser (the publication
# site is tested in Chromium), pdftoppm (PDF pages to PNG) and LibreOffice (Word and PowerPoint
# outputs are opened and converted). Debian/Ubuntu package names; installed when missing and
# this runs as root with apt-get, otherwise the missing ones are named and the run stops.
set -euo pipefail
declare -A PAKET=(
  [chromium]=chromium
  [pdftoppm]=poppler-utils
  [soffice]="libreoffice-writer-nogui libreoffice-impress-nogui"
)
kurang=()
for program in "${!PAKET[@]}"; do
  command -v "$program" >/dev/null 2>&1 || kurang+=(${PAKET[$program]})
done
[ ${#kurang[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Memasang paket sistem untuk pengujian: ${kurang[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${kurang[@]}" fonts-dejavu-core >/dev/null
else
  echo "Program sistem untuk pengujian belum terpasang: ${kurang[*]}" >&2
  echo "Pasang dengan: sudo apt-get install ${kurang[*]}" >&2
  exit 1
fi
