/**
 * Exit code for bad input (a scenario, a flag, a file): the user can fix it.
 * Its own module so that cli/main.ts can use it without loading the modules
 * whose errors cli/exit.ts recognises (start-up stays small).
 */
export const EXIT_BAD_INPUT = 2;
