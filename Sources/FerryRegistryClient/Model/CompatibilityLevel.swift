/// How a new schema version must relate to the versions already registered under a subject.
///
/// The spelling of each case is the one Confluent's REST API uses (`BACKWARD`, `FULL_TRANSITIVE`, ...).
public enum CompatibilityLevel: String, Sendable, Hashable, CaseIterable, Codable {
    /// New readers can read data written with the latest registered schema (the default).
    case backward = "BACKWARD"
    /// New readers can read data written with every registered schema.
    case backwardTransitive = "BACKWARD_TRANSITIVE"
    /// Readers of the latest registered schema can read data written with the new one.
    case forward = "FORWARD"
    /// Readers of every registered schema can read data written with the new one.
    case forwardTransitive = "FORWARD_TRANSITIVE"
    /// Both backward and forward against the latest registered schema.
    case full = "FULL"
    /// Both backward and forward against every registered schema.
    case fullTransitive = "FULL_TRANSITIVE"
    /// No check.
    case none = "NONE"

    /// The level a registry starts with.
    public static let `default`: CompatibilityLevel = .backward

    /// Whether the new schema must be able to read data written with older ones.
    public var checksBackward: Bool {
        switch self {
        case .backward, .backwardTransitive, .full, .fullTransitive: true
        case .forward, .forwardTransitive, .none: false
        }
    }

    /// Whether readers of older schemas must be able to read data written with the new one.
    public var checksForward: Bool {
        switch self {
        case .forward, .forwardTransitive, .full, .fullTransitive: true
        case .backward, .backwardTransitive, .none: false
        }
    }

    /// Whether every earlier version is checked rather than only the latest.
    public var isTransitive: Bool {
        switch self {
        case .backwardTransitive, .forwardTransitive, .fullTransitive: true
        case .backward, .forward, .full, .none: false
        }
    }

    /// Parses a level as the REST API spells it; the comparison ignores case, as Confluent's does.
    public init?(apiName: String) {
        self.init(rawValue: apiName.uppercased())
    }
}

/// Whether a registry (or one subject) accepts writes.
public enum RegistryMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// Normal operation: schemas can be registered and deleted.
    case readWrite = "READWRITE"
    /// Reads only: registering or deleting fails with error 42205.
    case readOnly = "READONLY"
    /// Reads only, like ``readOnly``; set globally, it also overrides every subject's own mode, so a
    /// whole registry can be frozen (for a migration or an incident) whatever its subjects say.
    case readOnlyOverride = "READONLY_OVERRIDE"
    /// Schemas are registered with the ids and versions the caller gives, without compatibility checks
    /// (used to copy one registry into another).
    case `import` = "IMPORT"

    /// Whether schemas may not be registered or deleted in this mode.
    public var isReadOnly: Bool { self == .readOnly || self == .readOnlyOverride }

    /// Parses a mode as the REST API spells it, ignoring case.
    public init?(apiName: String) {
        self.init(rawValue: apiName.uppercased())
    }
}
