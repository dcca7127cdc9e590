/**
 * The watchdog season both the demo and the end-to-end test play on the replica portals: one portal per
 * situation a watchdog meets, set up as of the first run.
 */
import { ReplicaState } from './replica/state.ts';
import type { Replica, SiteName } from './replica/server.ts';

/** The replica states of the season's portals before run 1. */
export function seasonStates() {
  const states = {
    trs: new ReplicaState(), // on time (edited after publication later)
    trsGbk: new ReplicaState([2022, 2023]), // a GBK department portal: 2024 published 15 February, due 31 January → late
    hanweb: new ReplicaState([2021, 2022, 2023]), // a Hanweb portal: 2024 missing (published late later)
    trs2: new ReplicaState(),
    trs3: new ReplicaState(), // removed after publication later
    trs4: new ReplicaState(),
  };
  states.trsGbk.publish(2024, '2025-02-15');
  states.trs2.corrupt(2024); // a table that does not add up
  states.trs4.down = true; // an outage
  return states;
}

/** The annual-report column of a replica site (Hanweb sites keep theirs under /col/). */
export function columnUrl(replica: Pick<Replica, 'origin'>, site: SiteName): string {
  return `${replica.origin(site)}/${site === 'hanweb' ? 'col/col1229/index.html' : 'zfxxgknb/index.html'}`;
}
