"""The textbook M/M/1 in SimPy 3, the peer missionbench is measured against.

A `Resource` with one server and one generator per customer, as in SimPy's
own examples: Poisson arrivals (rate LAMBDA), exponential service (rate MU),
first come first served.

    /usr/bin/python3 bench/peer/mm1_simpy.py CUSTOMERS [SEED]

prints one JSON line: customers served, CPU and wall seconds of the
simulation alone (start-up excluded), and the mean sojourn time, whose
closed form is 1 / (MU - LAMBDA) = 2.5.
"""
import json
import random
import sys
import time

import simpy

LAMBDA = 0.6
MU = 1.0


def run(customers, seed=1):
    rng = random.Random(seed)
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=1)
    totals = {"sojourn": 0.0, "served": 0}

    def customer(env):
        arrived = env.now
        with server.request() as request:
            yield request
            yield env.timeout(rng.expovariate(MU))
        totals["sojourn"] += env.now - arrived
        totals["served"] += 1

    def source(env):
        for _ in range(customers):
            env.process(customer(env))
            yield env.timeout(rng.expovariate(LAMBDA))

    env.process(source(env))
    cpu = time.process_time()
    wall = time.perf_counter()
    env.run()
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    return {
        "customers": totals["served"],
        "cpu_s": cpu,
        "wall_s": wall,
        "mean_sojourn": totals["sojourn"] / totals["served"],
    }


if __name__ == "__main__":
    count = int(sys.argv[1])
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    print(json.dumps(run(count, seed)))
