fn main() -> std::process::ExitCode {
    annalist::cli::main()
}
