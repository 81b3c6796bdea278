import Crypto
import Foundation
import HummingbirdBcrypt

/// The users and tokens a registry accepts, read from a file that holds only hashes:
///
/// ```
/// # kind  name   role   hash
/// user    alice  admin  $2b$10$...        (bcrypt of the password: `ferry registry user alice --role admin`)
/// token   ci     write  sha256:9f86d0...  (SHA-256 of a random token: `ferry registry token ci --role write`)
/// ```
///
/// Passwords are people's and may be weak, so they are kept as salted bcrypt hashes; tokens are
/// random 256-bit secrets, for which a SHA-256 is enough and keeps each request cheap.
public struct RegistryUsers: Sendable, Hashable {
    /// A user who signs in with HTTP basic authentication.
    public struct User: Sendable, Hashable {
        /// The name, as the users file gives it.
        public var name: String
        /// What it may do.
        public var role: RegistryRole
        /// The bcrypt hash of the password.
        public var passwordHash: String
    }

    /// A bearer token.
    public struct Token: Sendable, Hashable {
        /// The name, as the users file gives it.
        public var name: String
        /// What it may do.
        public var role: RegistryRole
        /// The token's SHA-256, lowercase hex.
        public var sha256: String
    }

    /// Users by name.
    public var users: [String: User] = [:]
    /// Tokens by the hex SHA-256 of the token.
    public var tokens: [String: Token] = [:]

    /// An empty set: nobody may sign in.
    public init() {}

    /// Parses a users file's text.
    ///
    /// - Throws: ``RegistryServerConfiguration/ConfigurationError`` naming the line that is not
    ///   `user NAME ROLE BCRYPT` or `token NAME ROLE sha256:HEX`, or that repeats a name.
    public init(parsing text: String) throws(RegistryServerConfiguration.ConfigurationError) {
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            func failure(_ why: String) -> RegistryServerConfiguration.ConfigurationError {
                RegistryServerConfiguration.ConfigurationError(message: "users file, line \(index + 1): \(why)")
            }
            guard fields.count == 4 else {
                throw failure("expected 'user NAME ROLE BCRYPT' or 'token NAME ROLE sha256:HEX'")
            }
            guard let role = RegistryRole(rawValue: fields[2]) else {
                throw failure("unknown role '\(fields[2])' (read, write or admin)")
            }
            switch fields[0] {
            case "user":
                guard fields[3].hasPrefix("$2"), fields[3].count == 60 else {
                    throw failure("the password must be a bcrypt hash ($2b$...), never the password itself")
                }
                guard users[fields[1]] == nil else { throw failure("user \(fields[1]) appears twice") }
                users[fields[1]] = User(name: fields[1], role: role, passwordHash: fields[3])
            case "token":
                let hex = fields[3].hasPrefix("sha256:") ? String(fields[3].dropFirst(7)).lowercased() : ""
                guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else {
                    throw failure("a token must be given as sha256:<64 hex digits>")
                }
                guard !tokens.values.contains(where: { $0.name == fields[1] }) else {
                    throw failure("token \(fields[1]) appears twice")
                }
                tokens[hex] = Token(name: fields[1], role: role, sha256: hex)
            default:
                throw failure("unknown kind '\(fields[0])' (user or token)")
            }
        }
    }

    /// Reads and parses a users file.
    public init(contentsOf path: String) throws(RegistryServerConfiguration.ConfigurationError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RegistryServerConfiguration.ConfigurationError(message: "cannot read the users file \(path)")
        }
        try self.init(parsing: String(decoding: data, as: UTF8.self))
    }

    /// A `user` line for a users file: the password bcrypt-hashed with a fresh salt.
    public static func userLine(name: String, role: RegistryRole, password: String, cost: UInt8 = 10) -> String {
        "user \(name) \(role.rawValue) \(Bcrypt.hash(password, cost: cost))"
    }

    /// A new random token, and its `token` line for a users file.
    public static func newToken(name: String, role: RegistryRole) -> (token: String, line: String) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(
                of: "=",
                with: ""
            )
        return (token, "token \(name) \(role.rawValue) sha256:\(sha256Hex(token))")
    }

    /// The lowercase hex SHA-256 of `text`.
    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
