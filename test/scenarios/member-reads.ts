/**
 * Run-time structural checks (issue 17: a party decides only from its own
 * state and the messages it received). Instead of reading source text for
 * names, a test hands a party a recording stand-in for what it holds of
 * another party, runs the world, and then looks at what the party
 * actually read of it. A renamed member is still seen; a member the party
 * should not read fails the check whatever it is called.
 */

/**
 * `target` as its holder sees it, noting in `reads` the name of every
 * member the holder reads. Methods run on the target itself (bound), so
 * the target's own reads of its state are not the holder's and are not
 * noted.
 */
export function recordingReads<T extends object>(target: T, reads: Set<string>): T {
  return new Proxy(target, {
    get(object, key) {
      if (typeof key === 'string') reads.add(key);
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

/** The members read that are not in `allowed`, sorted. */
export function readsOutside(reads: Iterable<string>, allowed: readonly string[]): string[] {
  return [...reads].filter((member) => !allowed.includes(member)).sort();
}
