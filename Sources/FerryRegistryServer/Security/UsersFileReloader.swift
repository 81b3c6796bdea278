import Dispatch
import Foundation

/// Re-reads a registry's users file on SIGHUP, the usual signal for "reload your configuration".
/// A file that no longer parses is reported on standard error and the users in force stay.
final class UsersFileReloader {
    private let source: any DispatchSourceSignal

    init(_ authenticator: RegistryAuthenticator) {
        // The default action of SIGHUP ends the process; the dispatch source needs it ignored.
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler {
            do {
                try authenticator.reload()
                FileHandle.standardError.write(Data("ferry-registry: users file reloaded\n".utf8))
            } catch {
                FileHandle.standardError.write(
                    Data("ferry-registry: users file not reloaded, the previous users stay: \(error)\n".utf8)
                )
            }
        }
        source.resume()
    }

    func cancel() { source.cancel() }
}
