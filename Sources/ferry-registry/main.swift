import FerryRegistryServer
import Foundation

// `ferry-registry [--host H] [--port P] [--sqlite PATH | --postgres URL | --memory] [--users FILE]
// [--tls-certificate PEM --tls-key PEM [--tls-client-ca PEM]]`: the registry service on its own
// (`ferry registry serve` runs this program). Prints `listening on http(s)://H:P` once ready.
// `ferry-registry user NAME ROLE` (password on standard input) and `ferry-registry token NAME ROLE`
// print users-file lines.
let arguments = Array(CommandLine.arguments.dropFirst())
if let kind = arguments.first, kind == "user" || kind == "token" {
    guard arguments.count == 3, let role = RegistryRole(rawValue: arguments[2]) else {
        FileHandle.standardError.write(Data("usage: ferry-registry user|token NAME read|write|admin\n".utf8))
        exit(2)
    }
    if kind == "user" {
        let password = (readLine(strippingNewline: true) ?? "")
        guard !password.isEmpty else {
            FileHandle.standardError.write(Data("ferry-registry: give the password on standard input\n".utf8))
            exit(2)
        }
        print(RegistryUsers.userLine(name: arguments[1], role: role, password: password))
    } else {
        let (token, line) = RegistryUsers.newToken(name: arguments[1], role: role)
        FileHandle.standardError.write(Data("token for \(arguments[1]) (shown once; keep it secret): \(token)\n".utf8))
        print(line)
    }
    exit(0)
}

do {
    let configuration = try RegistryServerConfiguration(arguments: arguments)
    try await RegistryServer.run(configuration) { port in
        let scheme = configuration.tls == nil ? "http" : "https"
        FileHandle.standardOutput.write(Data("listening on \(scheme)://\(configuration.host):\(port)\n".utf8))
    }
} catch {
    FileHandle.standardError.write(Data("ferry-registry: \(error)\n".utf8))
    exit(1)
}
