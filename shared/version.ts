/**
 * The one version of nianbao: package.json's, shown by `--version`, sent in the User-Agent and written into WARC
 * `warcinfo` (`software`). A test keeps it equal to package.json. The parser's own version (PARSER_VERSION in
 * report/format.ts) is separate: it changes whenever parsed output changes, so stored figures can be re-parsed.
 */
export const VERSION = '0.2.0';

/** The product token of the User-Agent and of WARC `software`. */
export const PRODUCT = `nianbao/${VERSION}`;
