/** Piscina worker entry: one actor of one trial per task. All logic lives in src/exec/host.ts. */
import { runActorTask } from '../src/exec/host.js';

export default runActorTask;
