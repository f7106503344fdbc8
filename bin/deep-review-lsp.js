#!/usr/bin/env node
// The installed entry point: the bundled CLI does the work (npm run build makes it).
import "../server/out/bundle/main.js";
