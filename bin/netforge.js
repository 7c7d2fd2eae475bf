#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  console.error('netforge: not built yet; run `npm ci` (or `npm run build`) in ' + path.dirname(__dirname));
  process.exit(1);
}
require(entry).buildCli().parseAsync(process.argv).catch((err) => {
  console.error('netforge: ' + (err && err.message ? err.message : String(err)));
  process.exit(1);
});
