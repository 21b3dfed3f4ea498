//! The `embedguard` binary: a thin shell over `embedguard-cli`.

fn main() -> std::process::ExitCode {
    embedguard_cli::main()
}
