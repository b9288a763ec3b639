// Types for scripts/build.mjs (plain JavaScript, so that it runs before anything is built).
export type BuildPart = 'node' | 'web';
export declare const ROOT: string;
export declare const DIST: string;
/** Why a part must be built, or undefined when dist/ holds a build of the sources on disk now. */
export declare function staleReason(part: BuildPart): string | undefined;
/** Builds a part if its sources changed since its last build, saying why on stderr. */
export declare function ensureBuilt(part: BuildPart): Promise<void>;
