/** The ww_class table, at `Layout.classes`. */

export const W_STAMP = 0;
export const W_WAIT_DIE = 1;
export const CLASS_WORDS = 2;
