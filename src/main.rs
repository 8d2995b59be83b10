fn main() -> std::process::ExitCode {
    beslecht::cli::main()
}
