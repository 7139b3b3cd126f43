#!/usr/bin/env bash
# The install test: builds the .deb from a built tree, unpacks it into a scratch root (dpkg -x) and checks what a
# user gets: declared dependencies, desktop entry, AppStream metainfo, icons, the demo pair, and the installed
# programs working on the installed demo (hybridlens-cli score; hybridlens --render, which must find the demo beside
# itself with no flags).
#   packaging/test-install.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "install test: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$scratch/pkg") >"$scratch/cpack.log" 2>&1 || { cat "$scratch/cpack.log"; fail "cpack failed"; }
deb=$(ls "$scratch"/pkg/*.deb)
echo "package: $(basename "$deb") ($(du -h "$deb" | cut -f1))"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libqt6widgets6 libopenblas libicu libonig fonts-dejavu-core; do
  [[ $depends == *"$lib"* ]] || fail "Depends does not name $lib"
done

dpkg -x "$deb" "$scratch/root"
usr=$scratch/root/usr
demo=$usr/share/hybridlens/demo
for f in bin/hybridlens bin/hybridlens-cli \
         share/applications/org.hybridlens.HybridLens.desktop share/metainfo/org.hybridlens.HybridLens.metainfo.xml \
         share/icons/hicolor/16x16/apps/hybridlens.png share/icons/hicolor/48x48/apps/hybridlens.png \
         share/icons/hicolor/256x256/apps/hybridlens.png share/icons/hicolor/scalable/apps/hybridlens.svg \
         share/hybridlens/demo/olmo-hybrid-mini/model.safetensors share/hybridlens/demo/olmo3-mini/model.safetensors \
         share/hybridlens/demo/sample.txt; do
  [[ -f $usr/$f ]] || fail "the package lacks /usr/$f"
done
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$usr"/share/applications/*.desktop; fi
if command -v appstreamcli >/dev/null; then appstreamcli validate --no-net "$usr"/share/metainfo/*.xml; fi

"$usr/bin/hybridlens-cli" score --model "$demo/olmo-hybrid-mini" --reference "$demo/olmo3-mini" --file "$demo/sample.txt" \
  --format json >"$scratch/report.json"
grep -q '"schema": *"hybridlens.report"' "$scratch/report.json" || fail "installed hybridlens-cli score wrote no report"
echo "installed hybridlens-cli score: $(wc -c <"$scratch/report.json") bytes of report"

env -u HYBRIDLENS_DEMO_DIR QT_QPA_PLATFORM=offscreen "$usr/bin/hybridlens" --render "$scratch/demo.png" \
  --title "installed demo"
[[ $(stat -c %s "$scratch/demo.png") -gt 20000 ]] || fail "installed hybridlens --render wrote no slide"
echo "install test passed"
