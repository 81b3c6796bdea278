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

        @Option(
            help: ArgumentHelp("PostgreSQL URL, for several registry instances sharing one store.", valueName: "url")
        )
        var postgres: String?

        @Option(
            help: ArgumentHelp(
                """
                Users file (`ferry registry user`, `ferry registry token`): every \
                request then needs credentials; SIGHUP re-reads it.
                """,
                valueName: "path"
            )
        )
        var users: String?

        @Option(help: ArgumentHelp("PEM certificate chain: serve HTTPS only.", valueName: "path"))
        var tlsCertificate: String?

        @Option(help: ArgumentHelp("PEM private key of the certificate.", valueName: "path"))
        var tlsKey: String?

        @Option(
            help: ArgumentHelp(
                "PEM CA certificates: clients must present a certificate they signed.",
                valueName: "path"
            )
        )
        var tlsClientCa: String?

        func validate() throws {
            if sqlite != nil && postgres != nil { throw ValidationError("give --sqlite or --postgres, not both") }
        }

        func run() throws {
            var arguments = ["--host", host, "--port", String(port)]
            if let sqlite { arguments += ["--sqlite", sqlite] }
            if let postgres { arguments += ["--postgres", postgres] }
            if let users { arguments += ["--users", users] }
            if let tlsCertificate { arguments += ["--tls-certificate", tlsCertificate] }
            if let tlsKey { arguments += ["--tls-key", tlsKey] }
            if let tlsClientCa { arguments += ["--tls-client-ca", tlsClientCa] }
            try RegistryCommand.replaceWithRegistryProgram(arguments)
        }
    }

    /// `ferry registry user NAME --role ROLE`: a users-file line for a password read from standard input.
    struct User: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                """
                Print a users-file line for a user; the password is read from \
                standard input and only its bcrypt hash is printed.
                """
        )

        @Argument(help: "The user name.")
        var name: String

        @Option(help: "read, write or admin.")
        var role = "read"

        func run() throws { try RegistryCommand.replaceWithRegistryProgram(["user", name, role]) }
    }

    /// `ferry registry token NAME --role ROLE`: a new bearer token and its users-file line.
    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                """
                Make a bearer token: prints the token on standard error and its \
                users-file line (a SHA-256 of it) on standard output.
                """
        )

        @Argument(help: "A name for the token's holder.")
        var name: String

        @Option(help: "read, write or admin.")
        var role = "read"

        func run() throws { try RegistryCommand.replaceWithRegistryProgram(["token", name, role]) }
    }

    /// Replaces this process with `ferry-registry` (built beside `ferry`), which holds the server and
    /// its security code, kept out of `ferry` so that the code generator stays lean.
    static func replaceWithRegistryProgram(_ arguments: [String]) throws -> Never {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("ferry-registry").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ValidationError(
                "ferry-registry is not built beside ferry (\(executable)); run `swift build --product ferry-registry`"
            )
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        execv(executable, argv)
        throw ValidationError("cannot start \(executable): \(String(cString: strerror(errno)))")
    }
}
