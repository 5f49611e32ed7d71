#!/bin/sh
# Makes the README's screenshots from the real program: Debian's ImageJ 1 (apt-get install imagej xvfb)
# with the ImageJ 1 zip installed, driven under a private Xvfb by ImageJ1InstallTest / ImageJ1Driver on
# the tiny fixture models: docs/menu.png, docs/generate-dialog.png, docs/result-info.png,
# docs/detect-faces.png, docs/error.png. Usage (from the project root): sh docs/screenshots.sh
set -e
mvn -B -q -o test -Dtest=ImageJ1InstallTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dinstantid.screenshots="$(pwd)/docs"
ls -l docs/*.png
