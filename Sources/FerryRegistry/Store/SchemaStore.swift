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
    /// The live version numbers the caller checked compatibility against. The store refuses with
    /// ``RegistrationOutcome/conflict`` when the subject's live versions are no longer these, so that a
    /// check and the write it allowed cannot be separated by another registration.
    public var expectedLiveVersions: [Int]
    /// In IMPORT mode, the id the schema must get.
    public var id: Int?
    /// In IMPORT mode, the version number the schema must get.
    public var version: Int?

    /// Creates a registration.
    public init(
        subject: String, text: String, references: [SchemaReference] = [], schemaType: SchemaType = .protobuf,
        expectedLiveVersions: [Int], id: Int? = nil, version: Int? = nil
    ) {
        self.subject = subject
        self.text = text
        self.references = references
        self.schemaType = schemaType
        self.expectedLiveVersions = expectedLiveVersions
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
/// registry processes sharing one store, a schema's id is unique, the same text with the same
/// references always gets the same id, and a subject's versions have no gaps. Once a method returns,
/// its write is durable. Failures are ``RegistryError/Code/storeError``.
public protocol SchemaStore: Sendable {
    /// The schema with this global id, if any.
    func schema(id: Int) async throws(RegistryError) -> StoredSchema?
    /// Every subject with at least one version (with soft-deleted ones when `includeDeleted`), sorted.
    func subjects(includeDeleted: Bool) async throws(RegistryError) -> [String]
    /// A subject's versions in ascending order.
    func versions(of subject: String, includeDeleted: Bool) async throws(RegistryError) -> [SubjectVersion]
    /// The subject versions that hold the schema with this id.
    func subjectVersions(schemaID: Int, includeDeleted: Bool) async throws(RegistryError) -> [SubjectVersion]
    /// The ids of schemas in live versions that reference `subject` at `version`.
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
