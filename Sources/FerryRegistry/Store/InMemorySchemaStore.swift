import Synchronization

/// A ``SchemaStore`` in memory: for tests and for clients that want a registry without a server.
public final class InMemorySchemaStore: SchemaStore {
    private struct SchemaKey: Hashable {
        var context: String
        var text: String
        var references: [SchemaReference]
        var schemaType: SchemaType
        var metadata: SchemaMetadata?
        var ruleSet: SchemaRuleSet?
    }

    private struct State {
        /// By context, then id.
        var schemas: [String: [Int: StoredSchema]] = [:]
        var idsByKey: [SchemaKey: Int] = [:]
        var versions: [String: [SubjectVersion]] = [:]
        var compatibility: [String: CompatibilityLevel] = [:]
        var globalCompatibility: CompatibilityLevel?
        var modes: [String: RegistryMode] = [:]
        var globalMode: RegistryMode?
        /// The next id to give in each context.
        var nextID: [String: Int] = [:]
    }

    private let state = Mutex(State())

    /// Creates an empty store.
    public init() {}

    /// The schema with this id in `context`, if any.
    public func schema(id: Int, context: String) async throws(RegistryError) -> StoredSchema? {
        state.withLock { $0.schemas[context]?[id] }
    }

    /// The contexts that hold a schema, sorted; the default context is always among them.
    public func contexts() async throws(RegistryError) -> [String] {
        state.withLock { state in Set(state.schemas.keys).union([QualifiedSubject.defaultContext]).sorted() }
    }

    /// Every subject with at least one version (with soft-deleted ones when `includeDeleted`), sorted.
    public func subjects(includeDeleted: Bool) async throws(RegistryError) -> [String] {
        state.withLock { state in
            state.versions.filter { $0.value.contains { includeDeleted || !$0.isDeleted } }.keys.sorted()
        }
    }

    /// A subject's versions in ascending order.
    public func versions(of subject: String, includeDeleted: Bool) async throws(RegistryError) -> [SubjectVersion] {
        state.withLock { ($0.versions[subject] ?? []).filter { includeDeleted || !$0.isDeleted } }
    }

    /// The subject versions that hold the schema with this id in `context`.
    public func subjectVersions(
        schemaID: Int,
        context: String,
        includeDeleted: Bool
    ) async throws(RegistryError) -> [SubjectVersion] {
        state.withLock { state in
            state.versions.keys.sorted().flatMap { subject in
                (state.versions[subject] ?? []).filter {
                    $0.schema.id == schemaID && $0.schema.context == context && (includeDeleted || !$0.isDeleted)
                }
            }
        }
    }

    /// The ids (each in its own context) of schemas in live versions that reference `subject` at `version`.
    public func referrers(subject: String, version: Int) async throws(RegistryError) -> [Int] {
        state.withLock { state in
            let live = Set(state.versions.values.joined().filter { !$0.isDeleted }.map(\.schema))
            return Set(
                live.filter { schema in
                    schema.references.contains { $0.subject == subject && $0.version == version }
                }.map(\.id)
            ).sorted()
        }
    }

    /// Writes a new version unless the subject already holds the schema or changed meanwhile.
    public func register(_ registration: SchemaRegistration) async throws(RegistryError) -> RegistrationOutcome {
        try state.withLock { state throws(RegistryError) in
            let existing = state.versions[registration.subject] ?? []
            let live = existing.filter { !$0.isDeleted }
            if let same = live.first(where: { registration.isHeld(by: $0.schema) }),
                registration.id == nil || registration.id == same.schema.id
            {
                return .alreadyRegistered(same)
            }
            guard registration.expects(latest: live.last) else { return .conflict }
            let context = registration.context
            let key = SchemaKey(
                context: context,
                text: registration.text,
                references: registration.references,
                schemaType: registration.schemaType,
                metadata: registration.metadata,
                ruleSet: registration.ruleSet
            )
            let id: Int
            if let requested = registration.id {
                if let held = state.schemas[context]?[requested], !registration.isHeld(by: held) {
                    throw RegistryError.schemaIDInUse(requested)
                }
                id = requested
            } else if let known = state.idsByKey[key] {
                id = known
            } else {
                id = state.nextID[context] ?? 1
            }
            state.nextID[context] = max(state.nextID[context] ?? 1, id + 1)
            let schema = StoredSchema(
                id: id,
                text: registration.text,
                references: registration.references,
                schemaType: registration.schemaType,
                metadata: registration.metadata,
                ruleSet: registration.ruleSet,
                context: context
            )
            state.schemas[context, default: [:]][id] = schema
            state.idsByKey[key] = id
            let version = registration.version ?? ((existing.map(\.version).max() ?? 0) + 1)
            let created = SubjectVersion(subject: registration.subject, version: version, schema: schema)
            state.versions[registration.subject, default: []].append(created)
            state.versions[registration.subject]?.sort { $0.version < $1.version }
            return .registered(created)
        }
    }

    /// Marks versions soft-deleted (all live ones when `version` is nil) and returns their numbers.
    public func softDelete(subject: String, version: Int?) async throws(RegistryError) -> [Int] {
        state.withLock { state in
            var deleted: [Int] = []
            for index in (state.versions[subject] ?? []).indices {
                guard let entry = state.versions[subject]?[index], !entry.isDeleted,
                    version == nil || entry.version == version
                else { continue }
                state.versions[subject]?[index].isDeleted = true
                deleted.append(entry.version)
            }
            return deleted
        }
    }

    /// Removes soft-deleted versions for good (all of the subject's when `version` is nil) and returns their numbers.
    public func permanentlyDelete(subject: String, version: Int?) async throws(RegistryError) -> [Int] {
        state.withLock { state in
            let removed = (state.versions[subject] ?? []).filter {
                $0.isDeleted && (version == nil || $0.version == version)
            }
            state.versions[subject]?.removeAll { $0.isDeleted && (version == nil || $0.version == version) }
            if state.versions[subject]?.isEmpty == true {
                state.versions[subject] = nil
                state.compatibility[subject] = nil
                state.modes[subject] = nil
            }
            return removed.map(\.version)
        }
    }

    /// The compatibility level of a subject, or the global one when `subject` is nil; nil when unset.
    public func compatibility(subject: String?) async throws(RegistryError) -> CompatibilityLevel? {
        state.withLock { state in
            if let subject { return state.compatibility[subject] }
            return state.globalCompatibility
        }
    }

    /// Sets (or with nil, removes) a subject's or the global compatibility level.
    public func setCompatibility(_ level: CompatibilityLevel?, subject: String?) async throws(RegistryError) {
        state.withLock { state in
            if let subject { state.compatibility[subject] = level } else { state.globalCompatibility = level }
        }
    }

    /// The mode of a subject, or the global one when `subject` is nil; nil when unset.
    public func mode(subject: String?) async throws(RegistryError) -> RegistryMode? {
        state.withLock { state in
            if let subject { return state.modes[subject] }
            return state.globalMode
        }
    }

    /// Sets (or with nil, removes) a subject's or the global mode.
    public func setMode(_ mode: RegistryMode?, subject: String?) async throws(RegistryError) {
        state.withLock { state in
            if let subject { state.modes[subject] = mode } else { state.globalMode = mode }
        }
    }
}
