//! The `attrition` command. All logic lives in the library; this file only wires the
//! command line to it and turns outcomes into exit codes (0 ok, 1 failure, 2 bad input).

mod cli;
mod output;
mod progress;

fn main() {
    std::process::exit(cli::main());
}
