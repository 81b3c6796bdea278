/// What a registration asks a store to write.
public struct SchemaRegistration: Sendable, Hashable {
    /// The subject to add a version to.
    public var subject: String
    /// The canonical schema text.
    public var text: String
    /// The registered schemas it imports.
    public var references: [SchemaReference]
    /// The schema type (always Protobuf in Ferry).
    public var schemaType: SchemaType
    /// The data contract's metadata (after inheriting the latest version's): part of the schema's identity.
    public var metadata: SchemaMetadata?
    /// The data contract's rules (after inheriting the latest version's): part of the schema's identity.
    public var ruleSet: SchemaRuleSet?
    /// The subject's newest live version when the caller checked compatibility (nil: it had none).
    /// The store refuses with ``RegistrationOutcome/conflict`` when the newest live version is no
    /// longer this one (by number and schema id), so that a check and the write it allowed cannot be
    /// separated by another registration. (A version deleted meanwhile below the newest can only
    /// remove a reason to refuse, so it does not matter.)
    public var expectedLatest: SubjectVersion?
    /// In IMPORT mode, the id the schema must get.
    public var id: Int?
    /// In IMPORT mode, the version number the schema must get.
    public var version: Int?

    /// The context the subject belongs to: the id space the schema's id is drawn from.
    public var context: String { QualifiedSubject.context(of: subject) }

    /// Whether `schema` is what this registration writes: the same text, references and data contract.
    public func isHeld(by schema: StoredSchema) -> Bool {
        schema.schemaType == schemaType
            && schema.holds(text: text, references: references, dataContract: (metadata, ruleSet))
    }

    /// Whether a subject whose newest live version is `latest` is still as the caller checked it:
    /// the same version number holding the same schema id, or no live version on both sides.
    public func expects(latest: SubjectVersion?) -> Bool {
        switch (latest, expectedLatest) {
        case (nil, nil): true
        case let (found?, expected?): found.version == expected.version && found.schema.id == expected.schema.id
        default: false
        }
    }

    /// Creates a registration.
    public init(
        subject: String,
        text: String,
        references: [SchemaReference] = [],
        schemaType: SchemaType = .protobuf,
        expectedLatest: SubjectVersion?,
        id: Int? = nil,
        version: Int? = nil,
        metadata: SchemaMetadata? = nil,
        ruleSet: SchemaRuleSet? = nil
    ) {
        self.metadata = metadata
        self.ruleSet = ruleSet
        self.subject = subject
        self.text = text
        self.references = references
        self.schemaType = schemaType
        self.expectedLatest = expectedLatest
        self.id = id
        self.version = version
    }
}

/// What a store did with a registration.
public enum RegistrationOutcome: Sendable, Hashable {
    /// A new version was written.
    case registered(SubjectVersion)
    /// The subject already had a live version with this schema; nothing was written.
    case alreadyRegistered(SubjectVersion)
    /// The subject's live versions changed since the caller checked; check again and retry.
    case conflict
}

/// Durable storage of subjects, versions, schemas and configuration.
///
/// Implementations: ``InMemorySchemaStore`` here, SQLite and PostgreSQL in FerryRegistryServer. Every
/// method is atomic on its own; ``register(_:)`` allocates ids and versions so that, even with several
/// registry processes sharing one store, a schema's id is unique in its context (the subject's, see
/// `QualifiedSubject`), the same text with the same references always gets the same id in a
/// context, and a subject's versions have no gaps. Subjects are stored in their normalized form. Once a method returns,
/// its write is durable. Failures are `RegistryError.Code.storeError`.
public protocol SchemaStore: Sendable {
    /// The schema with this id in `context`, if any.
    func schema(id: Int, context: String) async throws(RegistryError) -> StoredSchema?
    /// The contexts that hold a schema, sorted; the default context is always among them.
    func contexts() async throws(RegistryError) -> [String]
    /// Every subject with at least one version (with soft-deleted ones when `includeDeleted`), sorted.
    func subjects(includeDeleted: Bool) async throws(RegistryError) -> [String]
    /// A subject's versions in ascending order.
    func versions(of subject: String, includeDeleted: Bool) async throws(RegistryError) -> [SubjectVersion]
    /// The subject's newest live version, if any.
    func latestVersion(of subject: String) async throws(RegistryError) -> SubjectVersion?
    /// What a registration checks first, in one read where the store can: the subject's newest live
    /// version and its live versions holding this schema text with these references (whatever their
    /// data contract), newest first.
    func registrationState(
        subject: String,
        text: String,
        references: [SchemaReference]
    ) async throws(RegistryError) -> RegistrationState
    /// A subject's own and the global compatibility and mode, in one read where the store can.
    func settings(subject: String) async throws(RegistryError) -> RegistrySettings
    /// The subject's versions that hold this schema text with these references (whatever their data
    /// contract), newest first.
    func versions(
        of subject: String,
        holding text: String,
        references: [SchemaReference],
        includeDeleted: Bool
    ) async throws(RegistryError)
        -> [SubjectVersion]
    /// The subject versions that hold the schema with this id in `context`.
    func subjectVersions(
        schemaID: Int,
        context: String,
        includeDeleted: Bool
    ) async throws(RegistryError) -> [SubjectVersion]
    /// The ids (each in its own context) of schemas in live versions that reference `subject` at `version`.
    func referrers(subject: String, version: Int) async throws(RegistryError) -> [Int]
    /// Writes a new version unless the subject already holds the schema or changed meanwhile.
    func register(_ registration: SchemaRegistration) async throws(RegistryError) -> RegistrationOutcome
    /// Marks versions soft-deleted (all live ones when `version` is nil) and returns their numbers.
    func softDelete(subject: String, version: Int?) async throws(RegistryError) -> [Int]
    /// Removes soft-deleted versions for good (all of the subject's when `version` is nil) and returns their numbers.
    func permanentlyDelete(subject: String, version: Int?) async throws(RegistryError) -> [Int]
    /// The compatibility level of a subject, or the global one when `subject` is nil; nil when unset.
    func compatibility(subject: String?) async throws(RegistryError) -> CompatibilityLevel?
    /// Sets (or with nil, removes) a subject's or the global compatibility level.
    func setCompatibility(_ level: CompatibilityLevel?, subject: String?) async throws(RegistryError)
    /// The mode of a subject, or the global one when `subject` is nil; nil when unset.
    func mode(subject: String?) async throws(RegistryError) -> RegistryMode?
    /// Sets (or with nil, removes) a subject's or the global mode.
    func setMode(_ mode: RegistryMode?, subject: String?) async throws(RegistryError)
}

/// A subject as a registration first sees it.
public struct RegistrationState: Sendable, Hashable {
    /// The newest live version, if any.
    public var latest: SubjectVersion?
    /// The live versions holding the schema text being registered with its references, whatever
    /// their data contract, newest first.
    public var holding: [SubjectVersion]

    /// Creates a state.
    public init(latest: SubjectVersion?, holding: [SubjectVersion]) {
        self.latest = latest
        self.holding = holding
    }
}

/// The compatibility levels and modes set on a subject, its context and globally (nil where unset).
public struct RegistrySettings: Sendable, Hashable {
    /// The subject's own compatibility level.
    public var subjectCompatibility: CompatibilityLevel?
    /// The subject's own mode.
    public var subjectMode: RegistryMode?
    /// The compatibility level set on the subject's context (`/config/:.ctx:`); nil in the default
    /// context, whose level is the global one.
    public var contextCompatibility: CompatibilityLevel?
    /// The mode set on the subject's context; nil in the default context.
    public var contextMode: RegistryMode?
    /// The global compatibility level.
    public var globalCompatibility: CompatibilityLevel?
    /// The global mode.
    public var globalMode: RegistryMode?

    /// Creates settings with nothing set.
    public init() {}

    /// The level that applies to the subject: its own, else its context's, else the global one,
    /// else BACKWARD.
    public var effectiveCompatibility: CompatibilityLevel {
        subjectCompatibility ?? contextCompatibility ?? globalCompatibility ?? .default
    }

    /// The mode that applies to the subject: READONLY_OVERRIDE when set globally, else the subject's
    /// own, else its context's, else the global one, else READWRITE.
    public var effectiveMode: RegistryMode {
        if globalMode == .readOnlyOverride { return .readOnlyOverride }
        return subjectMode ?? contextMode ?? globalMode ?? .readWrite
    }

    /// The configuration key of `subject`'s context (`:.ctx:`), or nil in the default context, which
    /// has no configuration apart from the global one.
    public static func contextKey(of subject: String) -> String? {
        let context = QualifiedSubject.context(of: subject)
        guard context != QualifiedSubject.defaultContext else { return nil }
        return QualifiedSubject(context: context, name: "").qualified
    }
}

extension SchemaStore {
    /// The registration state from ``latestVersion(of:)`` and ``versions(of:holding:references:includeDeleted:)``.
    public func registrationState(
        subject: String,
        text: String,
        references: [SchemaReference]
    ) async throws(RegistryError) -> RegistrationState {
        RegistrationState(
            latest: try await latestVersion(of: subject),
            holding: try await versions(of: subject, holding: text, references: references, includeDeleted: false)
        )
    }

    /// The settings from reads of ``compatibility(subject:)`` and ``mode(subject:)``.
    public func settings(subject: String) async throws(RegistryError) -> RegistrySettings {
        var settings = RegistrySettings()
        settings.subjectCompatibility = try await compatibility(subject: subject)
        settings.subjectMode = try await mode(subject: subject)
        if let context = RegistrySettings.contextKey(of: subject), context != subject {
            settings.contextCompatibility = try await compatibility(subject: context)
            settings.contextMode = try await mode(subject: context)
        }
        settings.globalCompatibility = try await compatibility(subject: nil)
        settings.globalMode = try await mode(subject: nil)
        return settings
    }

    /// The subject's newest live version, found among all its versions (a store with an index does better).
    public func latestVersion(of subject: String) async throws(RegistryError) -> SubjectVersion? {
        try await versions(of: subject, includeDeleted: false).last
    }

    /// The subject's versions holding the schema text, found among all its versions (a store with an
    /// index does better).
    public func versions(
        of subject: String,
        holding text: String,
        references: [SchemaReference],
        includeDeleted: Bool
    ) async throws(RegistryError)
        -> [SubjectVersion]
    {
        try await versions(of: subject, includeDeleted: includeDeleted).reversed().filter {
            $0.schema.holds(text: text, references: references)
        }
    }
}
