/**
 * The library API: define scenarios over the kernel model (`dmabuf-harness/kernel`) and run them
 * under an executor, or hunt them like the built-in catalog.
 */
export { defineScenario, type ActorDef, type AnyScenario, type Params, type Scenario, type ScenarioDef } from './exec/scenario.js';
export type { IntRange, ParamRange, ParamRanges, StringRange } from './exec/param_ranges.js';
export type { ParamRule, ParamRules } from './exec/param_rules.js';
export { InlineExecutor } from './exec/inline.js';
export type { ExecOptions } from './exec/exec_options.js';
export { ControlledExecutor, type ControlledOptions } from './exec/controlled.js';
export { StressExecutor, type StressOptions, type StressResult } from './exec/stress.js';
export type { Decision, Finding, TrialResult } from './exec/result.js';
export { hunt, type HuntOptions, type HuntReport } from './campaign/hunt.js';
export { DEFAULT_PORTFOLIO } from './campaign/portfolio.js';
export { defineModule, type ModuleDef } from './kernel/module/define.js';
export { moduleRef, symbols, type ModuleRef } from './kernel/module/this_module.js';
export type { KernelApi } from './kernel/module/api.js';
export { runCampaign, type CampaignEntry, type CampaignOptions, type CampaignRow } from './campaign/campaign.js';
export { reproduce, type ReproducedFinding, type Reproduction } from './campaign/reproduce.js';
export { shrink, type ShrinkResult } from './campaign/shrink.js';
export { readReplayFile, replayDecisions, type ReplayFile } from './campaign/replay_file.js';
export { chromeTrace, type ChromeTrace } from './trace/perfetto.js';
