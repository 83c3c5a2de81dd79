#!/usr/bin/env bash
# Fetch the pinned chart libraries from the npm registry into static/vendor/<package>/, and the
# accessibility checker the browser tests inject into tests/assets/vendor/<package>/.
# The fetched files are committed (the chart libraries served from static/); nothing is fetched
# at run time.
# Each tarball is checked against the registry's published sha512 before anything is copied.
set -euo pipefail
cd "$(dirname "$0")/.."

REGISTRY="${NPM_REGISTRY:-https://registry.npmjs.org}"

# destination package version integrity(sha512, as published) files-to-copy (paths inside the tarball's package/)
PACKAGES=(
  "static/vendor|chart.js|4.6.1|hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g==|dist/chart.umd.min.js dist/chart.umd.min.js.map LICENSE.md"
  "static/vendor|chartjs-adapter-date-fns|3.0.0|Rs3iEB3Q5pJ973J93OBTpnP7qoGwvq3nUnoMdtxO+9aoJof7UFcRbWcIDteXuYd1fgAvct/32T9qaLyLuZVwCg==|dist/chartjs-adapter-date-fns.bundle.min.js LICENSE.md"
  "static/vendor|chartjs-plugin-annotation|3.1.0|EkAed6/ycXD/7n0ShrlT1T2Hm3acnbFhgkIEJLa0X+M6S16x0zwj1Fv4suv/2bwayCT3jGPdAtI9uLcAMToaQQ==|dist/chartjs-plugin-annotation.min.js LICENSE.md"
  "tests/assets/vendor|axe-core|4.14.1|FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==|axe.min.js LICENSE"
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r dest name version integrity files <<<"$entry"
  tarball="$work/$name-$version.tgz"
  echo "Fetching $name $version"
  curl -fsSL --retry 3 -o "$tarball" "$REGISTRY/$name/-/$name-$version.tgz"
  actual=$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)
  if [ "$actual" != "$integrity" ]; then
    echo "$name $version: checksum mismatch (expected sha512-$integrity, got sha512-$actual)" >&2
    exit 1
  fi
  mkdir -p "$work/$name"
  tar -xzf "$tarball" -C "$work/$name"
  target="$dest/$name"
  rm -rf "$target"
  mkdir -p "$target"
  for file in $files; do
    cp "$work/$name/package/$file" "$target/$(basename "$file")"
  done
  echo "$name $version" >"$target/VERSION"
done
echo "Vendored into static/vendor/ and tests/assets/vendor/"
