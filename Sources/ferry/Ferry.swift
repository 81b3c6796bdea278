import ArgumentParser

/// The `ferry` command line: compile schemas, generate Swift, and later serve and call.
@main
struct Ferry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry",
        abstract: "Schema-first RPC and events for Swift: .proto files in, Swift messages and stubs out.",
        discussion: """
            Ferry reads real protobuf .proto files (proto2 and proto3). `ferry generate` writes Swift \
            for them; `ferry descriptors` writes the same FileDescriptorSet protoc would, so ferry can \
            stand in for protoc in scripts. The well-known types (google/protobuf/*.proto) are built \
            in: imports of them resolve without an -I for them. As with protoc, an argument @FILE \
            stands for the lines of FILE, one argument per line (for long lists of .proto files).
            """,
        version: "0.1.0",
        subcommands: [Generate.self, Descriptors.self, Breaking.self, RegistryCommand.self]
    )

    /// Expands response files (`@args.txt`, one argument per line, as protoc reads them), then runs
    /// the command. Thousands of .proto paths fit in a response file where a command line may not.
    static func main() async {
        do {
            await main(try ResponseFiles.expand(Array(CommandLine.arguments.dropFirst())))
        } catch {
            exit(withError: error)
        }
    }
}
