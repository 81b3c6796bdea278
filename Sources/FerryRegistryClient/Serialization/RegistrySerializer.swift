/// Public: `Message` and `DescribedMessage` (FerryCodec) appear in this file's public API.
public import FerryCodec
import Synchronization

/// Writes messages of one generated type as Confluent-framed payloads, registering or looking up the
/// type's schema in a registry.
///
/// The schema is the linked descriptor of the file that defines `M` (with its imports). Imports other
/// than the well-known types are registered (or looked up) first, each under a subject named after its
/// file, and sent as references, as Confluent's serializers do.
public struct RegistrySerializer<M: Message>: Sendable {
    /// How the serializer finds its schema id.
    public struct Configuration: Sendable, Hashable {
        /// Register the schema when the subject does not hold it yet (otherwise look it up only).
        public var autoRegister: Bool
        /// Use the subject's latest version's id instead of registering or looking up `M`'s schema.
        public var useLatestVersion: Bool
        /// How subjects are named.
        public var subjectNameStrategy: SubjectNameStrategy
        /// Leave `google/protobuf/*.proto` imports out of the references (the registry knows them).
        public var skipKnownTypes: Bool
        /// With ``useLatestVersion``, how long a subject's latest id is used before it is asked for
        /// again (Confluent's `latest.cache.ttl.sec`); zero asks for every message.
        public var latestVersionTTL: Duration

        /// Creates a configuration; the defaults are Confluent's, but for a five-minute
        /// ``latestVersionTTL`` (Confluent's client keeps the latest id forever).
        public init(
            autoRegister: Bool = true,
            useLatestVersion: Bool = false,
            subjectNameStrategy: SubjectNameStrategy = .topicName,
            skipKnownTypes: Bool = true,
            latestVersionTTL: Duration = .seconds(300)
        ) {
            self.autoRegister = autoRegister
            self.useLatestVersion = useLatestVersion
            self.subjectNameStrategy = subjectNameStrategy
            self.skipKnownTypes = skipKnownTypes
            self.latestVersionTTL = latestVersionTTL
        }
    }

    private let client: any RegistryClient
    private let schema: ProtobufSchema
    private let messageIndexes: [Int]
    /// Schema ids already obtained, by subject: after the first message of a subject, serializing
    /// asks the registry nothing and prints no schema (with `useLatestVersion`, until the TTL passes).
    private let ids = SchemaIDCache()
    /// The clock the latest-version TTL is measured on (tests pass their own).
    private let now: @Sendable () -> ContinuousClock.Instant
    /// The configuration in use.
    public let configuration: Configuration

    /// Creates a serializer for `M`.
    ///
    /// - Parameters:
    ///   - client: the registry.
    ///   - schema: the linked file that defines `M`, with its imports.
    ///   - configuration: registration, subject naming and the latest-version cache.
    ///   - now: the clock of ``Configuration/latestVersionTTL`` (tests inject one).
    /// - Throws: ``PayloadError/Code/wrongMessageType`` when the file does not define `M`.
    public init(
        client: any RegistryClient,
        schema: ProtobufSchema,
        configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) throws(PayloadError) {
        guard let entry = schema.messageIndexes.first(where: { $0.name == M.protoMessageName }) else {
            throw PayloadError(
                .wrongMessageType,
                "schema file \(schema.file.name ?? "?") does not define \(M.protoMessageName)"
            )
        }
        self.client = client
        self.schema = schema
        self.messageIndexes = entry.indexes
        self.configuration = configuration
        self.now = now
    }

    /// Frames `message` for `topic`: magic byte, schema id, message indexes, protobuf bytes.
    ///
    /// - Throws: ``PayloadError/Code/registry`` when the registry refuses or cannot be reached;
    ///   ``PayloadError/Code/invalidMessage`` when a required field is unset.
    public func serialize(_ message: M, topic: String, isKey: Bool = false) async throws(PayloadError) -> [UInt8] {
        let subject = configuration.subjectNameStrategy.subject(
            topic: topic,
            isKey: isKey,
            recordName: M.protoMessageName
        )
        let id: Int
        do {
            id = try await schemaID(subject: subject)
        } catch {
            throw PayloadError(
                .registry,
                "cannot get a schema id for subject \(subject): \(error.message)",
                cause: error
            )
        }
        let payload: [UInt8]
        do {
            payload = try message.serializedBytes(partial: false)
        } catch {
            throw PayloadError(.invalidMessage, "\(error): consumers could not decode it", cause: error)
        }
        return ConfluentWireFormat.encode(
            ConfluentWireFormat.Header(schemaID: id, messageIndexes: messageIndexes),
            payload: payload
        )
    }

    private func schemaID(subject: String) async throws(RegistryError) -> Int {
        if configuration.useLatestVersion {
            if let known = ids.id(for: subject, since: now() - configuration.latestVersionTTL) { return known }
            let id = try await client.version(subject: subject, .latest).schema.id
            ids.remember(id, for: subject, at: now())
            return id
        }
        if let known = ids.id(for: subject) { return known }
        let input = try await input(for: schema.file)
        let id =
            configuration.autoRegister
            ? try await client.registerSchema(subject: subject, input)
            : try await client.lookupSchema(subject: subject, input).schema.id
        ids.remember(id, for: subject)
        return id
    }

    private func input(for file: Google_Protobuf_FileDescriptorProto) async throws(RegistryError) -> SchemaInput {
        try await client.schemaInput(
            for: file,
            in: schema,
            registerReferences: configuration.autoRegister,
            skipKnownTypes: configuration.skipKnownTypes
        )
    }
}

extension RegistrySerializer where M: DescribedMessage {
    /// Creates a serializer for a generated type from the descriptors it embeds: no `.proto` file
    /// and no protoc at run time. The type's imports become references, as with
    /// ``init(client:schema:configuration:now:)``.
    public init(
        client: any RegistryClient,
        configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) throws(PayloadError) {
        let file = M.protoFile
        let schema: ProtobufSchema
        do {
            schema = try ProtobufSchema(descriptorSet: file.fileDescriptorSet, fileName: file.descriptor.name)
        } catch {
            throw PayloadError(
                .wrongMessageType,
                "the descriptors embedded in \(M.protoMessageName) do not form a schema: \(error.message)"
            )
        }
        try self.init(client: client, schema: schema, configuration: configuration, now: now)
    }
}

/// The schema ids a serializer has obtained, by subject; shared by its copies.
private final class SchemaIDCache: Sendable {
    /// Subjects a serializer writes to are few (one per topic); this bounds a misuse that
    /// derives subjects from data.
    private static let maxSubjects = 1_024
    private let ids = Mutex<[String: (id: Int, at: ContinuousClock.Instant?)]>([:])

    /// The id remembered for `subject`; with `since`, only if it was obtained at or after it.
    func id(for subject: String, since: ContinuousClock.Instant? = nil) -> Int? {
        ids.withLock { ids in
            guard let entry = ids[subject] else { return nil }
            if let since, let at = entry.at, at < since { return nil }
            return entry.id
        }
    }

    func remember(_ id: Int, for subject: String, at instant: ContinuousClock.Instant? = nil) {
        ids.withLock { ids in
            if ids.count >= Self.maxSubjects { ids.removeAll() }
            ids[subject] = (id, instant)
        }
    }
}
