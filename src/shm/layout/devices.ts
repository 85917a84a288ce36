/** The device table, at `Layout.devices`. */

/** Device: state (DVS_*), who removed it at which step. */
export const DV_STATE = 0;
export const DV_REMOVED_BY = 1;
export const DV_REMOVED_STEP = 2;
export const DEVICE_WORDS = 4;
export const DVS_BOUND = 0;
export const DVS_REMOVED = 1;
