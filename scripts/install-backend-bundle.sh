#!/bin/sh
# Copyright 2026 The Archipelago Authors
# SPDX-License-Identifier: Apache-2.0
#
# Production install of the backend bundle (scripts/build-backend.mjs) into a folder:
#   install-backend-bundle.sh <folder with skeleton.tar.gz and bundle.tar.gz> <target>
# The same step the Dockerfile's last stage runs. Dependencies first (from the skeleton and
# npm's lockfile, so the versions are the ones tested), then the built code on top.
set -eu
src=$(cd "$1" && pwd)
target=$2
mkdir -p "$target"
cd "$target"
# A fresh install each time: stale packages of an earlier build never linger.
rm -rf node_modules packages plugins
tar -xzf "$src/skeleton.tar.gz"
# `npm install` and not `npm ci`: the skeleton's manifests drop devDependencies and the
# app's (bundled) dependencies, so the lockfile is a superset; npm keeps its versions and
# prunes the rest. Workspaces are linked into node_modules as in development.
npm install --omit=dev --no-audit --no-fund --loglevel=error
tar -xzf "$src/bundle.tar.gz"
echo "installed into $(pwd); run: node packages/backend --config app-config.yaml --config app-config.production.yaml"
