import FerryRegistryServer
import Foundation

// `ferry-registry [--host H] [--port P] [--sqlite PATH | --postgres URL | --memory]`: the registry
// service on its own (`ferry registry serve` runs this program). Prints `listening on http://H:P` once ready.
do {
    let configuration = try RegistryServerConfiguration(arguments: Array(CommandLine.arguments.dropFirst()))
    try await RegistryServer.run(configuration) { port in
        FileHandle.standardOutput.write(Data("listening on http://\(configuration.host):\(port)\n".utf8))
    }
} catch {
    FileHandle.standardError.write(Data("ferry-registry: \(error)\n".utf8))
    exit(1)
}
