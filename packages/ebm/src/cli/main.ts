#!/usr/bin/env node
/**
 * The `ebm` command-line tool (subcommands live one per file in this folder; issue 7).
 */
process.stdout.write('ebm: no subcommands yet\n');
