#!/usr/bin/env bash
# Builds the ImageJ 1 drop-in (docs/imagej.md) into target/InstantID-ImageJ1-<version>.zip:
# plugins/InstantID_Fiji-<version>.jar + jars/ with every runtime dependency, scijava-common included.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/instantid.jar ] || [ ! -d target/lib ] || [ ! -f target/provided-classpath.txt ] || \
   [ -n "$(find pom.xml src models -newer target/instantid.jar -print -quit)" ]; then
  mvn -B -q ${MVN_OPTS:-} package -DskipTests
fi
java -cp target/instantid.jar instantid.dist.ImageJ1Zip --jar target/instantid.jar --lib target/lib \
  --extra "$(cat target/provided-classpath.txt)"
