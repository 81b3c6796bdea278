import ArgumentParser
import Foundation

extension RegistryCommand {
    /// `ferry registry serve`: runs the registry service.
    ///
    /// The service lives in the `ferry-registry` executable (Hummingbird and the database drivers
    /// stay out of `ferry`, which the build plugin runs); this command replaces itself with that
    /// program, found beside `ferry`, passing the same flags.
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the schema registry (Confluent REST API) on SQLite or PostgreSQL.",
            discussion: "With no flags: 127.0.0.1:8081, data in ./ferry-registry.sqlite."
        )

        @Option(help: "Address to listen on.")
        var host = "127.0.0.1"

        @Option(help: "Port to listen on.")
        var port = 8081

        @Option(help: ArgumentHelp("SQLite database file (the embedded default).", valueName: "path"))
        var sqlite: String?

        @Option(help: ArgumentHelp("PostgreSQL URL, for several registry instances sharing one store.", valueName: "url"))
        var postgres: String?

        func validate() throws {
            if sqlite != nil && postgres != nil { throw ValidationError("give --sqlite or --postgres, not both") }
        }

        func run() throws {
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
                .deletingLastPathComponent().appendingPathComponent("ferry-registry").path
            guard FileManager.default.isExecutableFile(atPath: executable) else {
                throw ValidationError("ferry-registry is not built beside ferry (\(executable)); run `swift build --product ferry-registry`")
            }
            var arguments = [executable, "--host", host, "--port", String(port)]
            if let sqlite { arguments += ["--sqlite", sqlite] }
            if let postgres { arguments += ["--postgres", postgres] }
            let argv = arguments.map { strdup($0) } + [nil]
            execv(executable, argv)
            throw ValidationError("cannot start \(executable): \(String(cString: strerror(errno)))")
        }
    }
}
