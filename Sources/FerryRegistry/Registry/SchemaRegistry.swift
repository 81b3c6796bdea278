import FerryCodec
import Foundation

/// The registry's behaviour, independent of HTTP: registration with compatibility checks, look-ups,
/// deletion, configuration and modes, over any ``SchemaStore``.
///
/// Schemas are normalized on the way in: text and descriptors are linked by the ``SchemaParser`` and
/// stored as ``ProtoPrinter`` text, so the same schema sent as text or as a descriptor gets one id.
/// FerryRegistryServer puts the Confluent REST API in front of it; tests and embedded users call it
/// directly.
public final class SchemaRegistry: Sendable {
    /// Where subjects and schemas live.
    public let store: any SchemaStore
    /// Turns schema text into descriptors.
    public let parser: any SchemaParser
    /// The rules compatibility checks use (Confluent-equivalent by default).
    public let checker: CompatibilityChecker

    /// Linked descriptors by schema id (compatibility checks, `format=serialized`).
    private let parsed = SchemaCache<ProtobufSchema>(capacity: SchemaRegistry.cacheCapacity)
    /// Stored schemas by id: a consumer's look-up by id reaches no database after the first.
    private let stored = SchemaCache<StoredSchema>(capacity: SchemaRegistry.cacheCapacity)
    /// How many schemas each in-memory cache keeps (by id; the oldest make way).
    public static let cacheCapacity = 10_000
    private let printer = ProtoPrinter()

    /// Creates a registry.
    public init(
        store: any SchemaStore,
        parser: any SchemaParser = FerrySchemaParser(),
        checker: CompatibilityChecker = CompatibilityChecker()
    ) {
        self.store = store
        self.parser = parser
        self.checker = checker
    }

    // MARK: Registration and look-up

    /// Registers a schema under a subject, or returns the version that already holds it.
    ///
    /// - Throws: 42205 when the subject is READONLY, 42201 for a schema that does not link,
    ///   409 (`RegistryError.Code.incompatibleSchema`) with one detail per breaking change.
    public func register(subject raw: String, _ input: SchemaInput) async throws(RegistryError) -> SubjectVersion {
        // `:.name:subject` puts the subject in a context, whose schemas have ids of their own. A
        // reference without a context names a subject of the registering subject's context.
        let qualified = try QualifiedSubject(parsing: raw)
        guard !qualified.name.isEmpty else {
            throw RegistryError(.invalidSubject, "Invalid subject \(raw): it names a context but no subject")
        }
        let subject = qualified.qualified
        var input = input
        input.references = input.references.map {
            SchemaReference(name: $0.name, subject: qualified.qualifying($0.subject), version: $0.version)
        }
        // The settings are read while the schema is linked: one database round trip less to wait for.
        async let settingsRead = Self.capture { () async throws(RegistryError) in
            try await self.store.settings(subject: subject)
        }
        let preparing = await Self.capture { () async throws(RegistryError) in try await self.prepare(input) }
        let settings = try await settingsRead.get()
        let mode = settings.effectiveMode
        if mode.isReadOnly {
            throw RegistryError(.operationNotPermitted, "Subject \(subject) is in read-only mode")
        }
        if input.id != nil && mode != .import {
            throw RegistryError(
                .operationNotPermitted,
                "Subject \(subject) is not in import mode; a schema id cannot be given"
            )
        }
        let prepared = try preparing.get()
        try input.ruleSet?.validate()
        for _ in 0..<32 {
            // One read whatever the subject's history: its newest live version and the version holding
            // this schema, if any. Only transitive levels read every version.
            let state = try await store.registrationState(
                subject: subject,
                text: prepared.text,
                references: input.references
            )
            // A registration without metadata or rules keeps the latest version's, as Confluent's does
            // (so a producer that registers its schema again does not strip the subject's contract).
            // Stored in canonical form (tag sets sorted), so that a store compares and keeps one spelling.
            let metadata = (input.metadata ?? (mode == .import ? nil : state.latest?.schema.metadata))?.canonical
            let ruleSet = (input.ruleSet ?? (mode == .import ? nil : state.latest?.schema.ruleSet))?.canonical
            if let same = state.holding.first(where: {
                $0.schema.holds(text: prepared.text, references: input.references, dataContract: (metadata, ruleSet))
            }) {
                return same
            }
            if mode != .import {
                let level = settings.effectiveCompatibility
                var previous: [ProtobufSchema] = []
                if level != .none {
                    let targets =
                        level.isTransitive
                        ? try await store.versions(of: subject, includeDeleted: false) : state.latest.map { [$0] } ?? []
                    for version in targets { previous.append(try await resolve(version.schema)) }
                }
                let problems = checker.incompatibilities(of: prepared.schema, against: previous, level: level)
                if !problems.isEmpty {
                    throw RegistryError(
                        .incompatibleSchema,
                        "Schema being registered is incompatible with an earlier schema for subject \"\(subject)\"",
                        details: problems.map(Self.detail)
                    )
                }
            }
            let registration = SchemaRegistration(
                subject: subject,
                text: prepared.text,
                references: input.references,
                expectedLatest: state.latest,
                id: input.id,
                version: input.version,
                metadata: metadata,
                ruleSet: ruleSet
            )
            switch try await store.register(registration) {
            case .registered(let version), .alreadyRegistered(let version):
                parsed.insert(prepared.schema, for: Self.cacheKey(version.schema))
                return version
            case .conflict:
                continue
            }
        }
        throw RegistryError(.storeError, "Subject \(subject) kept changing while registering; try again")
    }

    /// The outcome of `body` as a value, so that it can be awaited in `async let` without losing its error type.
    private static func capture<T: Sendable>(
        _ body: () async throws(RegistryError) -> T
    ) async -> Result<T, RegistryError> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }

    /// The version of `subject` that holds `input`.
    ///
    /// - Throws: 40401 when the subject has no versions, 40403 when none holds the schema.
    public func lookup(
        subject: String,
        _ input: SchemaInput,
        includeDeleted: Bool = false
    ) async throws(RegistryError) -> SubjectVersion {
        let exists =
            includeDeleted
            ? !(try await store.versions(of: subject, includeDeleted: true).isEmpty)
            : try await store.latestVersion(of: subject) != nil
        guard exists else { throw Self.subjectNotFound(subject) }
        let prepared = try await prepare(input)
        // Without a data contract in the request any version with the schema matches (the newest);
        // with one, only a version with exactly that contract.
        let contract =
            input.metadata == nil && input.ruleSet == nil ? nil : (metadata: input.metadata, ruleSet: input.ruleSet)
        let candidates = try await store.versions(
            of: subject,
            holding: prepared.text,
            references: input.references,
            includeDeleted: includeDeleted
        )
        guard
            let match = candidates.first(where: {
                $0.schema.holds(text: prepared.text, references: input.references, dataContract: contract)
            })
        else {
            throw RegistryError(.schemaNotFound, "Schema not found")
        }
        return match
    }

    /// The newest version of `subject` whose metadata has every one of `properties`
    /// (`GET /subjects/{s}/metadata?key=…&value=…`, Confluent's latest-with-metadata look-up).
    ///
    /// - Throws: 40401 when the subject has no versions, 40403 when none has the properties.
    public func latestVersion(
        of subject: String,
        withMetadata properties: [String: String],
        includeDeleted: Bool = false
    ) async throws(RegistryError)
        -> SubjectVersion
    {
        let versions = try await store.versions(of: subject, includeDeleted: includeDeleted)
        guard !versions.isEmpty else { throw Self.subjectNotFound(subject) }
        let match = versions.last { version in
            let own = version.schema.metadata?.properties ?? [:]
            return properties.allSatisfy { own[$0.key] == $0.value }
        }
        guard let match else {
            throw RegistryError(
                .schemaNotFound,
                """
                Schema with metadata \
                \(properties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")) \
                not found
                """
            )
        }
        return match
    }

    /// Every subject, sorted.
    public func subjects(includeDeleted: Bool = false) async throws(RegistryError) -> [String] {
        try await store.subjects(includeDeleted: includeDeleted)
    }

    /// The subjects whose names start with `prefix`, sorted: the live ones, the live and soft-deleted
    /// ones, or only those whose every version is soft-deleted. Names are normalized, so
    /// `:.staging:` selects a context's subjects; `:*:` selects by the name in every context.
    public func subjects(prefix: String, deleted: DeletedSelection) async throws(RegistryError) -> [String] {
        let names: [String]
        switch deleted {
        case .excluded: names = try await store.subjects(includeDeleted: false)
        case .included: names = try await store.subjects(includeDeleted: true)
        case .only:
            let live = Set(try await store.subjects(includeDeleted: false))
            names = try await store.subjects(includeDeleted: true).filter { !live.contains($0) }
        }
        // `:*:` is every context: `:*:ord` matches subjects named `ord…` in any context.
        if prefix.hasPrefix(":*:") {
            let namePrefix = prefix.dropFirst(3)
            return names.filter { ((try? QualifiedSubject(parsing: $0))?.name ?? $0).hasPrefix(namePrefix) }
        }
        return prefix.isEmpty ? names : names.filter { $0.hasPrefix(prefix) }
    }

    /// A subject's version numbers: the live ones, all, or only the soft-deleted ones.
    ///
    /// - Throws: 40401 when the subject has no version at all.
    public func versions(of subject: String, deleted: DeletedSelection) async throws(RegistryError) -> [Int] {
        let versions = try await store.versions(of: subject, includeDeleted: deleted != .excluded)
        guard !versions.isEmpty else { throw Self.subjectNotFound(subject) }
        return versions.filter { deleted != .only || $0.isDeleted }.map(\.version)
    }

    /// The versions of every subject whose name starts with `prefix`, by subject then version
    /// (`GET /schemas`); with `latestOnly`, each subject's newest version only.
    public func schemas(
        prefix: String,
        includeDeleted: Bool,
        latestOnly: Bool
    ) async throws(RegistryError) -> [SubjectVersion] {
        var result: [SubjectVersion] = []
        for subject in try await subjects(prefix: prefix, deleted: includeDeleted ? .included : .excluded) {
            let versions = try await store.versions(of: subject, includeDeleted: includeDeleted)
            result += latestOnly ? Array(versions.suffix(1)) : versions
        }
        return result
    }

    /// A subject's version numbers.
    ///
    /// - Throws: 40401 when the subject has none.
    public func versions(of subject: String, includeDeleted: Bool = false) async throws(RegistryError) -> [Int] {
        let versions = try await store.versions(of: subject, includeDeleted: includeDeleted)
        guard !versions.isEmpty else { throw Self.subjectNotFound(subject) }
        return versions.map(\.version)
    }

    /// One version of a subject.
    ///
    /// - Throws: 40401 when the subject has no versions, 40402 when the version does not exist.
    public func version(
        of subject: String,
        _ selector: VersionSelector,
        includeDeleted: Bool = false
    ) async throws(RegistryError) -> SubjectVersion {
        // The newest live version is what producers with `useLatestVersion` ask for: one index look-up.
        if selector == .latest, let latest = try await store.latestVersion(of: subject) { return latest }
        let versions = try await store.versions(of: subject, includeDeleted: includeDeleted)
        guard !versions.isEmpty else { throw Self.subjectNotFound(subject) }
        switch selector {
        case .latest:
            if let latest = versions.last(where: { !$0.isDeleted }) ?? versions.last { return latest }
        case .number(let number):
            if let match = versions.first(where: { $0.version == number }) { return match }
        }
        throw RegistryError(.versionNotFound, "Version \(selector) not found.")
    }

    /// The schema with an id in a context.
    ///
    /// - Throws: 40403 when no schema has it.
    public func schema(id: Int, context: String) async throws(RegistryError) -> StoredSchema {
        let key = SchemaCache<StoredSchema>.Key(context: context, id: id)
        if let cached = stored[key] { return cached }
        guard let schema = try await store.schema(id: id, context: context) else {
            throw RegistryError(
                .schemaNotFound,
                context == QualifiedSubject.defaultContext
                    ? "Schema \(id) not found" : "Schema \(id) not found in context \(context)"
            )
        }
        stored.insert(schema, for: key)
        return schema
    }

    /// The subject versions that hold the schema with `id` in `context`.
    public func subjectVersions(
        schemaID id: Int,
        context: String = QualifiedSubject.defaultContext,
        includeDeleted: Bool = false
    ) async throws(RegistryError) -> [SubjectVersion] {
        _ = try await schema(id: id, context: context)
        return try await store.subjectVersions(schemaID: id, context: context, includeDeleted: includeDeleted)
    }

    /// The contexts that hold a schema, sorted, the default context `.` among them (`GET /contexts`).
    public func contexts() async throws(RegistryError) -> [String] {
        try await store.contexts()
    }

    private static func cacheKey(_ schema: StoredSchema) -> SchemaCache<ProtobufSchema>.Key {
        .init(context: schema.context, id: schema.id)
    }

    /// The ids of live schemas that import `subject` at `version`.
    public func referencedBy(subject: String, _ selector: VersionSelector) async throws(RegistryError) -> [Int] {
        let target = try await version(of: subject, selector)
        return try await store.referrers(subject: subject, version: target.version)
    }

    /// The linked descriptors of a stored schema (cached by id).
    public func resolve(_ schema: StoredSchema) async throws(RegistryError) -> ProtobufSchema {
        if let cached = parsed[Self.cacheKey(schema)] { return cached }
        let dependencies = try await dependencySources(schema.references)
        let result = try await parser.parse(
            schema.text,
            fileName: Self.mainFileName(avoiding: dependencies),
            dependencies: dependencies
        )
        parsed.insert(result, for: Self.cacheKey(schema))
        return result
    }

    /// A stored schema as a base64-encoded `FileDescriptorProto` (the `format=serialized` answer).
    public func serializedDescriptor(
        of schema: StoredSchema,
        fileName: String? = nil
    ) async throws(RegistryError) -> String {
        var file = try await resolve(schema).file
        file.name = fileName ?? "schema_\(schema.id).proto"
        file.sourceCodeInfo = nil
        return Data(file.serializedBytes()).base64EncodedString()
    }

    // MARK: Compatibility

    /// The breaking changes `input` would bring to `subject`, as Confluent's verbose messages.
    ///
    /// - Parameters:
    ///   - subject: the subject whose versions `input` is checked against.
    ///   - selector: one version to check against, or nil for the versions the subject's level
    ///     names (every version for transitive levels).
    ///   - input: the candidate schema, with its references.
    /// - Returns: empty when compatible.
    public func compatibilityProblems(
        subject: String,
        version selector: VersionSelector?,
        _ input: SchemaInput
    ) async throws(RegistryError) -> [String] {
        let prepared = try await prepare(input)
        let level = try await effectiveCompatibility(subject: subject)
        let targets: [SubjectVersion]
        let checkLevel: CompatibilityLevel
        if let selector {
            targets = [try await version(of: subject, selector)]
            checkLevel = level.isTransitive ? Self.nonTransitive(level) : level
        } else {
            targets = try await store.versions(of: subject, includeDeleted: false)
            checkLevel = level
        }
        var previous: [ProtobufSchema] = []
        for target in targets { previous.append(try await resolve(target.schema)) }
        return checker.incompatibilities(of: prepared.schema, against: previous, level: checkLevel).map(Self.detail)
    }

    private static func nonTransitive(_ level: CompatibilityLevel) -> CompatibilityLevel {
        switch level {
        case .backwardTransitive: .backward
        case .forwardTransitive: .forward
        case .fullTransitive: .full
        default: level
        }
    }

    /// One breaking change as Confluent words it in verbose answers.
    static func detail(_ difference: SchemaDifference) -> String {
        """
        {errorType:'\(difference.rule.name)', description:'\(difference.reason) at \
        path '\(difference.path)' (\(difference.element))'}
        """
    }

    // MARK: Parsing

    private struct Prepared {
        var text: String
        var schema: ProtobufSchema
    }

    private func prepare(_ input: SchemaInput) async throws(RegistryError) -> Prepared {
        guard (input.schemaType ?? .avro) == .protobuf else {
            throw RegistryError(
                .invalidSchema,
                """
                Invalid schema: Ferry's registry stores PROTOBUF schemas only (got \
                \(input.schemaType?.rawValue ?? "no schemaType, which means AVRO"))
                """
            )
        }
        let dependencies = try await dependencySources(input.references)
        var source = input.schema
        if let descriptor = SchemaInput.decodeDescriptor(input.schema) { source = printer.print(descriptor) }
        let schema = try await parser.parse(
            source,
            fileName: Self.mainFileName(avoiding: dependencies),
            dependencies: dependencies
        )
        return Prepared(text: printer.print(schema.file), schema: schema)
    }

    /// The text of every file the references bring in, by import path, following references of references.
    private func dependencySources(_ references: [SchemaReference]) async throws(RegistryError) -> [String: String] {
        var sources: [String: String] = [:]
        var pending = references
        while let reference = pending.popLast() {
            guard sources[reference.name] == nil else { continue }
            let versions = try await store.versions(of: reference.subject, includeDeleted: true)
            let match =
                reference.version <= 0
                ? versions.last { !$0.isDeleted } : versions.first { $0.version == reference.version }
            guard let match else {
                throw RegistryError(
                    .invalidSchema,
                    """
                    Invalid schema: reference \(reference.name) to subject \
                    \(reference.subject) version \(reference.version) not found
                    """
                )
            }
            sources[reference.name] = match.schema.text
            pending += match.schema.references
        }
        return sources
    }

    private static func mainFileName(avoiding dependencies: [String: String]) -> String {
        var name = "schema.proto"
        var counter = 0
        while dependencies[name] != nil {
            counter += 1
            name = "schema\(counter).proto"
        }
        return name
    }

    static func subjectNotFound(_ subject: String) -> RegistryError {
        RegistryError(.subjectNotFound, "Subject '\(subject)' not found.")
    }
}
