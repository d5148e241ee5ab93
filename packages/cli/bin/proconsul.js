#!/usr/bin/env node
// Committed launcher so npm can link the `proconsul` bin at install time, before the
// TypeScript build has produced dist/ (npm ci links bins first, then runs prepare).
import('../dist/main.js');
