#!/usr/bin/env bash
# Builds the Fiji update site into target/update-site/ (db.xml.gz + plugins/ + jars/ + jars/<platform>/).
# Runs 'mvn package' first when the jar is missing or older than the sources. Extra Maven options
# (e.g. -o for offline) can be given in MVN_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/instantid.jar ] || [ ! -d target/lib ] || \
   [ -n "$(find pom.xml src models -newer target/instantid.jar -print -quit)" ]; then
  mvn -B -q ${MVN_OPTS:-} package -DskipTests
fi
java -cp target/instantid.jar instantid.dist.UpdateSiteBuilder \
  --jar target/instantid.jar --lib target/lib --out target/update-site
