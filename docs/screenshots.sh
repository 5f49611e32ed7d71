#!/bin/sh
# Makes docs/menu.png and docs/generate-dialog.png under a virtual display (not part of mvn test).
# Usage (from the project root): sh docs/screenshots.sh
set -e
mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
Xvfb :99 -screen 0 1280x1024x24 >/dev/null 2>&1 &
XPID=$!
trap 'kill $XPID' EXIT
sleep 2
DISPLAY=:99 java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" instantid.fiji.Screenshots docs
