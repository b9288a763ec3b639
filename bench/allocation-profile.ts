/**
 * Bytes allocated while a run goes, from V8's sampling heap profiler (an
 * inspector session in the process itself): every allocation, the ones a
 * collection freed too (`all`), or only those no scavenge freed (`survivors`:
 * promoted to the old generation, or alive at the end). The profiler samples
 * about one allocation per 16 KiB and weighs each sample by its chance of
 * being taken, so the total is an estimate of all bytes allocated
 * (docs/benchmarks.md, "Allocation per event").
 */
import { Session } from 'node:inspector';

export type AllocationSampling = 'all' | 'survivors';

/** A node of the profile's call tree: the bytes sampled in that function itself, and its callees. */
export interface AllocationNode {
  selfSize: number;
  children: AllocationNode[];
}

/** The estimated bytes of a profile: every node's own bytes, summed over the tree. */
export function profileBytes(node: AllocationNode): number {
  let bytes = node.selfSize;
  for (const child of node.children) bytes += profileBytes(child);
  return bytes;
}

/** Starts sampling; `stop` ends it and gives the estimated bytes. An in-process session answers synchronously. */
export function startAllocationSampling(kind: AllocationSampling): { stop(): number } {
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: kind === 'all',
  });
  return {
    stop(): number {
      let bytes: number | undefined;
      session.post('HeapProfiler.stopSampling', (error, result) => {
        if (error) throw error;
        bytes = profileBytes(result.profile.head as AllocationNode);
      });
      session.disconnect();
      if (bytes === undefined) throw new Error('the heap profiler did not answer');
      return bytes;
    },
  };
}
