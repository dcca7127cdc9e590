/** Records the parsed-output digests of every fixture for the current PARSER_VERSION (tests/golden/parser-outputs.json). */
import { writeFileSync } from 'node:fs';
import { PARSER_VERSION } from '../shared/report/format.ts';
import { outputDigests, RECORD } from '../tests/golden/outputs.ts';

const { files, all } = await outputDigests();
writeFileSync(RECORD, `${JSON.stringify({ parser_version: PARSER_VERSION, all, files }, null, 1)}\n`);
process.stdout.write(`recorded ${Object.keys(files).length} outputs for parser ${PARSER_VERSION}\n`);
