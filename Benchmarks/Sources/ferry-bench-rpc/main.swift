import Foundation

/// `ferry-bench-rpc [run] [options]`: the driver (spawns one server process per implementation and
/// drives it with each client implementation); `ferry-bench-rpc server --impl ferry|grpcswift
/// --port N`: one server, as the driver starts it.
let arguments = Array(CommandLine.arguments.dropFirst())

do {
    if arguments.first == "server" {
        let options = try Options(parsing: Array(arguments.dropFirst()))
        guard let implementation = options.servers.first, options.servers.count == 1 else {
            throw Options.UsageError(description: "server needs exactly one --impl")
        }
        try await implementation.serve(port: options.port)
    } else {
        let options = try Options(parsing: arguments.first == "run" ? Array(arguments.dropFirst()) : arguments)
        try await Driver(options: options).run()
    }
} catch {
    FileHandleOutput.standardError("ferry-bench-rpc: \(error)\n")
    exit(1)
}

enum FileHandleOutput {
    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
