#!/usr/bin/env node
// The installed entry point: the compiled CLI does the work.
import '../server/out/main.js';
