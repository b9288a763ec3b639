/**
 * Closed-form steady-state values for the M/M/c queue (Erlang C), against
 * which the service station is checked. Rates are per unit time; times come
 * back in the same unit.
 */
export interface MMcTheory {
  /** Server utilization, lambda / (c * mu). */
  utilization: number;
  /** Probability that an arrival has to wait (Erlang C). */
  probabilityOfWaiting: number;
  meanWait: number;
  meanSojourn: number;
  meanQueueLength: number;
  meanInSystem: number;
}

export function mmcTheory(arrivalRate: number, serviceRate: number, servers: number): MMcTheory {
  const offered = arrivalRate / serviceRate; // a = lambda / mu, in Erlangs
  const utilization = offered / servers;
  if (!(utilization < 1)) throw new RangeError(`unstable queue: utilization ${utilization} >= 1`);
  // Erlang C via the numerically stable Erlang B recursion: B(0)=1, B(k)=a B(k-1) / (k + a B(k-1)).
  let erlangB = 1;
  for (let k = 1; k <= servers; k++) erlangB = (offered * erlangB) / (k + offered * erlangB);
  const probabilityOfWaiting = erlangB / (1 - utilization * (1 - erlangB));
  const meanWait = probabilityOfWaiting / (servers * serviceRate - arrivalRate);
  const meanSojourn = meanWait + 1 / serviceRate;
  return {
    utilization,
    probabilityOfWaiting,
    meanWait,
    meanSojourn,
    meanQueueLength: arrivalRate * meanWait,
    meanInSystem: arrivalRate * meanSojourn,
  };
}
