#!/usr/bin/env node
// The compiled command line; `npm run build` produces it.
import "../dist/cli/main.js";
