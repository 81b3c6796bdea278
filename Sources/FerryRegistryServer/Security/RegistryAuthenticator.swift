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
        /// The user's or token's name.
        public var name: String
        /// What the caller may do.
        public var role: RegistryRole
    }

    /// Why a request was not authenticated.
    public enum Failure: Error, Sendable, Hashable {
        /// No `Authorization` header, or one of another scheme.
        case missing
        /// Credentials that match no user or token.
        case invalid
        /// Too many password checks are running; the request may be retried (HTTP 429).
        case busy
    }

    /// The most successful logins, and separately the most failed ones, remembered at once.
    public static let maxRememberedLogins = 4_096

    private struct State {
        var users: RegistryUsers
        var remembered: [String: Identity] = [:]
        /// Name-and-password keys known to be wrong: answered without another bcrypt check.
        var rejected: Set<String> = []
        var checksRunning = 0
    }

    private let state: Mutex<State>
    /// The users file re-read by ``reload()``, if the users came from one.
    public let path: String?
    /// The most bcrypt checks that run at once; a request that would start one more gets
    /// ``Failure/busy``. Failed log-ins thus cost at most this many cores, whatever a client sends.
    public let maxConcurrentChecks: Int

    /// An authenticator for a fixed set of users.
    public init(users: RegistryUsers, maxConcurrentChecks: Int = 2) {
        state = Mutex(State(users: users))
        path = nil
        self.maxConcurrentChecks = maxConcurrentChecks
    }

    /// An authenticator for the users in a file.
    public init(
        usersFile path: String,
        maxConcurrentChecks: Int = 2
    ) throws(RegistryServerConfiguration.ConfigurationError) {
        state = Mutex(State(users: try RegistryUsers(contentsOf: path)))
        self.path = path
        self.maxConcurrentChecks = maxConcurrentChecks
    }

    /// How many wrong name-and-password pairs are remembered (for tests).
    var rememberedRejections: Int { state.withLock { $0.rejected.count } }

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

    private enum Decision {
        case known(Identity)
        case unknown
        case check(RegistryUsers.User)
        case busy
    }

    private func basic(name: String, password: String) -> Result<Identity, Failure> {
        let key = RegistryUsers.sha256Hex(name + "\u{0}" + password)
        let decision = state.withLock { state -> Decision in
            if let known = state.remembered[key] { return .known(known) }
            guard let user = state.users.users[name], !state.rejected.contains(key) else { return .unknown }
            guard state.checksRunning < maxConcurrentChecks else { return .busy }
            state.checksRunning += 1
            return .check(user)
        }
        let user: RegistryUsers.User
        switch decision {
        case .known(let identity): return .success(identity)
        case .unknown: return .failure(.invalid)
        case .busy: return .failure(.busy)
        case .check(let found): user = found
        }
        // The check runs outside the lock: it takes milliseconds.
        let verified = Bcrypt.verify(password, hash: user.passwordHash)
        let identity = Identity(name: user.name, role: user.role)
        state.withLock { state in
            state.checksRunning -= 1
            // Only if the users were not reloaded meanwhile.
            guard state.users.users[name] == user else { return }
            if verified {
                if state.remembered.count >= Self.maxRememberedLogins { state.remembered.removeAll() }
                state.remembered[key] = identity
            } else {
                if state.rejected.count >= Self.maxRememberedLogins { state.rejected.removeAll() }
                state.rejected.insert(key)
            }
        }
        return verified ? .success(identity) : .failure(.invalid)
    }
}
