// Types for scripts/build.mjs (plain JavaScript, so that it runs before anything is built).
export type BuildPart = 'node' | 'web';
export declare const ROOT: string;
export declare const DIST: string;
/** Why a part must be built, or undefined when dist/ holds a build of the sources on disk now. */
export declare function staleReason(part: BuildPart): string | undefined;
/** Builds a part if its sources changed since its last build, saying why on stderr. */
export declare function ensureBuilt(part: BuildPart): Promise<void>;
/**
 * Compiles native/line-sha256.c into `dist`/native/line-sha256.node with the C compiler; returns the output to
 * record, or none (saying why through `say`) when there is no compiler or it failed.
 */
export declare function buildNativeLineSha256(options?: { dist?: string; compiler?: string; say?: (line: string) => void }): string[];
