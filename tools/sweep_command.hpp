#pragma once

namespace extrasim::cli {

// extrasim sweep SWEEP.yaml --out results.csv [--resume] [--threads T]
int command_sweep(int argc, char** argv);

// extrasim sensitivity results.csv [--bootstrap B] [--seed S] [--format F] [--out FILE]
int command_sensitivity(int argc, char** argv);

}  // namespace extrasim::cli
