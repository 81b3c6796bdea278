import Foundation
import HummingbirdBcrypt
import Synchronization

/// Decides who sends a request from its `Authorization` header, against a ``RegistryUsers`` set
/// that can be reloaded while the server runs (SIGHUP re-reads the users file).
///
/// A bcrypt check costs milliseconds by design, so a successful basic-auth check is remembered (by
/// a SHA-256 of name and password, never the password) until the users are reloaded; the memory
/// holds at most ``maxRememberedLogins`` entries and is emptied when full.
public final class RegistryAuthenticator: Sendable {
    /// Who a request comes from.
    public struct Identity: Sendable, Hashable {
        public var name: String
        public var role: RegistryRole
    }

    /// Why a request was not authenticated.
    public enum Failure: Error, Sendable, Hashable {
        /// No `Authorization` header, or one of another scheme.
        case missing
        /// Credentials that match no user or token.
        case invalid
    }

    /// The most successful logins remembered at once.
    public static let maxRememberedLogins = 4_096

    private struct State {
        var users: RegistryUsers
        var remembered: [String: Identity] = [:]
    }

    private let state: Mutex<State>
    /// The users file re-read by ``reload()``, if the users came from one.
    public let path: String?

    /// An authenticator for a fixed set of users.
    public init(users: RegistryUsers) {
        state = Mutex(State(users: users))
        path = nil
    }

    /// An authenticator for the users in a file.
    public init(usersFile path: String) throws(RegistryServerConfiguration.ConfigurationError) {
        state = Mutex(State(users: try RegistryUsers(contentsOf: path)))
        self.path = path
    }

    /// Re-reads the users file. On an error the current users stay in force.
    public func reload() throws(RegistryServerConfiguration.ConfigurationError) {
        guard let path else { return }
        let users = try RegistryUsers(contentsOf: path)
        state.withLock { $0 = State(users: users) }
    }

    /// The identity an `Authorization` header value proves.
    public func authenticate(_ authorization: String?) -> Result<Identity, Failure> {
        guard let authorization, let space = authorization.firstIndex(of: " ") else { return .failure(.missing) }
        let scheme = authorization[..<space].lowercased()
        let credentials = authorization[authorization.index(after: space)...].trimmingCharacters(in: .whitespaces)
        switch scheme {
        case "basic":
            guard let data = Data(base64Encoded: credentials), let text = String(data: data, encoding: .utf8),
                let colon = text.firstIndex(of: ":")
            else { return .failure(.invalid) }
            return basic(name: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
        case "bearer":
            let hash = RegistryUsers.sha256Hex(credentials)
            guard let token = state.withLock({ $0.users.tokens[hash] }) else { return .failure(.invalid) }
            return .success(Identity(name: token.name, role: token.role))
        default:
            return .failure(.missing)
        }
    }

    private func basic(name: String, password: String) -> Result<Identity, Failure> {
        let key = RegistryUsers.sha256Hex(name + "\u{0}" + password)
        let (user, known) = state.withLock { ($0.users.users[name], $0.remembered[key]) }
        if let known { return .success(known) }
        // The check runs outside the lock: it takes milliseconds.
        guard let user, Bcrypt.verify(password, hash: user.passwordHash) else { return .failure(.invalid) }
        let identity = Identity(name: user.name, role: user.role)
        state.withLock { state in
            // Only if the users were not reloaded meanwhile.
            guard state.users.users[name] == user else { return }
            if state.remembered.count >= Self.maxRememberedLogins { state.remembered.removeAll() }
            state.remembered[key] = identity
        }
        return .success(identity)
    }
}
