/** Tinypool worker entry for `--jobs`: one batch of inline trials per task (src/campaign/batch.ts). */
import { runBatch } from '../src/campaign/batch.js';

export default runBatch;
