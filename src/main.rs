//! The `embedguard` binary: a thin shell over `embedguard-cli`.

// `check` builds and drops a small tree per file on every core at once: glibc's allocator spent a
// third of the run in malloc/free and their locks (bench/check-files); mimalloc's thread-local
// heaps do not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    embedguard_cli::main()
}
