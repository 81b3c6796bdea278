/// What an authenticated caller may do; each role includes the ones below it.
public enum RegistryRole: String, Sendable, Hashable, Comparable, CaseIterable {
    /// Read subjects, versions, schemas, configuration and modes; look schemas up; check compatibility.
    case read
    /// Also register schemas.
    case write
    /// Also change compatibility levels and modes, and delete subjects and versions.
    case admin

    private var rank: Int {
        switch self {
        case .read: 0
        case .write: 1
        case .admin: 2
        }
    }

    /// Orders roles by what they allow: read < write < admin.
    public static func < (lhs: RegistryRole, rhs: RegistryRole) -> Bool { lhs.rank < rhs.rank }

    /// The role a request needs: deletions and configuration changes are admin, registrations write,
    /// everything else (reads, look-ups, compatibility checks) read.
    public static func required(method: String, path: String) -> RegistryRole {
        let isConfiguration = path.hasPrefix("/config") || path.hasPrefix("/mode")
        switch method.uppercased() {
        case "GET", "HEAD": return .read
        case "POST":
            // POST /subjects/{s}/versions registers; POST /subjects/{s} and /compatibility/... only read.
            return path.hasPrefix("/subjects/") && path.hasSuffix("/versions") ? .write : .read
        case "PUT": return isConfiguration ? .admin : .write
        default: return .admin
        }
    }
}
