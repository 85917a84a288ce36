/** The harness version, from package.json: replay files record it and refuse other versions. */
import { HARNESS_PACKAGE } from '../exec/package_json.js';

export const HARNESS_VERSION = HARNESS_PACKAGE.version;
