/**
 * The response header on every /api/ answer an analysis gave naming it, or
 * the refusal it is (serve rebuilds an analysis whose runs changed:
 * cli/fresh-sessions.ts). The page draws its check banner and its views
 * from one analysis, and draws them again when an answer names another
 * (web/drawn-from.ts): no banner of one check beside the charts of another.
 * Answers no analysis gave (an unknown gap, a method other than GET) have none.
 * Shared by the server (cli/serve.ts) and the page, so a module of its own
 * with nothing for Node in it.
 */
export const ANALYSIS_HEADER = 'x-missionbench-analysis';
