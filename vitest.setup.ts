import fc from "fast-check";

// Property tests run 1,000 cases each unless FC_NUM_RUNS says otherwise.
fc.configureGlobal({ numRuns: Number(process.env.FC_NUM_RUNS ?? 1000) });
