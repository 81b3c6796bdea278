import ArgumentParser
import FerryCodec
import FerryRegistry
import FerrySchema
import Foundation

/// `ferry registry`: talk to a schema registry (Ferry's or Confluent's) from the command line.
///
/// The server itself is the `ferry-registry` executable, kept out of `ferry` so that the code
/// generator (which the build plugin runs) does not pull in Hummingbird and the database drivers.
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Run a schema registry, register schemas in it and check them against it.",
        discussion:
            "Start a registry with `ferry registry serve [--host H] [--port 8081] [--sqlite PATH | --postgres URL]`.",
        subcommands: [Serve.self, Register.self, Check.self, User.self, Token.self]
    )

    struct Options: ParsableArguments {
        @Option(help: ArgumentHelp("The registry's base URL.", valueName: "url"))
        var url = "http://127.0.0.1:8081"

        @Option(
            help: ArgumentHelp(
                """
                USER:PASSWORD for a registry that asks for credentials (or \
                FERRY_REGISTRY_USER_INFO; FERRY_REGISTRY_TOKEN for a bearer token).
                """,
                valueName: "user:password"
            )
        )
        var userInfo: String?

        /// The credentials from --user-info or the environment, if any.
        func credentials() throws -> RegistryCredentials? {
            let environment = ProcessInfo.processInfo.environment
            if let info = userInfo ?? environment["FERRY_REGISTRY_USER_INFO"] {
                guard let credentials = RegistryCredentials(userInfo: info) else {
                    throw ValidationError("--user-info must be USER:PASSWORD")
                }
                return credentials
            }
            return environment["FERRY_REGISTRY_TOKEN"].map { .bearer(token: $0) }
        }

        /// A client for --url with the credentials.
        func client() throws -> HTTPRegistryClient {
            HTTPRegistryClient(baseURL: url, credentials: try credentials())
        }

        @Option(
            name: [.customShort("I", allowingJoined: true), .customLong("proto_path")],
            help: ArgumentHelp("More directories to look for imports in.", valueName: "dir")
        )
        var importPaths: [String] = []

        @Argument(help: "The subject, e.g. orders-value.")
        var subject: String

        @Argument(help: ArgumentHelp("The .proto file.", valueName: "file.proto"))
        var file: String

        /// Compiles the file (its directory is the first import path); exits 1 with diagnostics on errors.
        func schema() throws -> ProtobufSchema {
            let url = URL(fileURLWithPath: file)
            let name = url.lastPathComponent
            let result = try SchemaInputOptions.compile(
                [name],
                importPaths: [url.deletingLastPathComponent().path] + importPaths
            )
            guard let main = result.file(named: name) else { throw ExitCode(1) }
            return ProtobufSchema(file: main, dependencies: result.files.filter { $0.name != name })
        }
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a .proto file under a subject (its imports first, as references); prints the schema id."
        )

        @OptionGroup var options: Options

        func run() async throws {
            let schema = try options.schema()
            let client = try options.client()
            do {
                let input = try await client.schemaInput(for: schema.file, in: schema, registerReferences: true)
                let id = try await client.registerSchema(subject: options.subject, input)
                print(id)
            } catch {
                FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
                for detail in error.details { FileHandle.standardError.write(Data("  \(detail)\n".utf8)) }
                throw ExitCode(1)
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check a .proto file against a subject's compatibility level; exits 1 with the reasons when it breaks."
        )

        @OptionGroup var options: Options

        func run() async throws {
            let schema = try options.schema()
            let client = try options.client()
            let problems: [String]
            do {
                let input = try await client.schemaInput(for: schema.file, in: schema, registerReferences: false)
                problems = try await client.compatibilityProblems(subject: options.subject, version: nil, input)
            } catch {
                FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
                throw ExitCode(1)
            }
            if problems.isEmpty {
                print("compatible")
            } else {
                print(problems.joined(separator: "\n"))
                throw ExitCode(1)
            }
        }
    }
}
