/// Public: `FileDescriptorProto` (FerryCodec) appears in this file's public API.
public import FerryCodec
import Foundation
import Synchronization

/// A ``RegistryClient`` for the Confluent Schema Registry REST API (Ferry's server or Confluent's),
/// caching what never changes: schemas by id, and ids and versions by subject and schema.
///
/// `latest` versions are not cached, since they change when someone registers.
public final class HTTPRegistryClient: RegistryClient {
    private struct SchemaKey: Hashable {
        var subject: String
        var schema: SchemaInput
    }

    private struct Cache {
        var ids: [SchemaKey: Int] = [:]
        var versions: [SchemaKey: SubjectVersion] = [:]
        var schemas: [Int: StoredSchema] = [:]
        var descriptors: [Int: Google_Protobuf_FileDescriptorProto] = [:]
    }

    private let transport: any RegistryTransport
    private let cache = Mutex(Cache())
    /// Whether answers are cached (turn off to measure the registry itself).
    public let isCaching: Bool
    /// How requests that failed for a passing reason are retried.
    public let retryPolicy: RegistryRetryPolicy
    private let sleep: @Sendable (Duration) async throws -> Void

    /// Creates a client for a base URL such as `http://127.0.0.1:8081`, sending `credentials` with
    /// every request when the registry asks for them; `timeout` bounds each attempt (seconds).
    public convenience init(
        baseURL: String,
        credentials: RegistryCredentials? = nil,
        caching: Bool = true,
        timeout: Double = 30,
        retryPolicy: RegistryRetryPolicy = RegistryRetryPolicy()
    ) {
        self.init(
            transport: URLSessionRegistryTransport(baseURL: baseURL, timeout: timeout, credentials: credentials),
            caching: caching,
            retryPolicy: retryPolicy
        )
    }

    /// Creates a client over any transport.
    ///
    /// - Parameters:
    ///   - transport: sends the REST requests (tests pass one that answers in memory).
    ///   - caching: whether answers that never change are cached (``isCaching``).
    ///   - retryPolicy: how requests that failed for a passing reason are retried.
    ///   - sleep: waits between attempts (tests pass one that records the waits instead).
    public init(
        transport: any RegistryTransport,
        caching: Bool = true,
        retryPolicy: RegistryRetryPolicy = RegistryRetryPolicy(),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.transport = transport
        self.isCaching = caching
        self.retryPolicy = retryPolicy
        self.sleep = sleep
    }

    // MARK: RegistryClient

    /// Registers a schema under a subject (or finds it there) and returns its global id.
    public func registerSchema(subject: String, _ schema: SchemaInput) async throws(RegistryError) -> Int {
        let key = SchemaKey(subject: subject, schema: schema)
        if isCaching, let id = cache.withLock({ $0.ids[key] }) { return id }
        let response: RegistryJSON.RegisterResponse = try await call(
            "POST",
            ["subjects", subject, "versions"],
            body: Self.request(schema)
        )
        if isCaching { cache.withLock { $0.ids[key] = response.id } }
        return response.id
    }

    /// The subject version that holds a schema.
    public func lookupSchema(subject: String, _ schema: SchemaInput) async throws(RegistryError) -> SubjectVersion {
        let key = SchemaKey(subject: subject, schema: schema)
        if isCaching, let version = cache.withLock({ $0.versions[key] }) { return version }
        let response: RegistryJSON.SubjectVersionResponse = try await call(
            "POST",
            ["subjects", subject],
            body: Self.request(schema)
        )
        let version = Self.subjectVersion(response)
        if isCaching {
            cache.withLock {
                $0.versions[key] = version
                $0.ids[key] = version.schema.id
            }
        }
        return version
    }

    /// One version of a subject (`latest` for the newest).
    public func version(subject: String, _ version: VersionSelector) async throws(RegistryError) -> SubjectVersion {
        let response: RegistryJSON.SubjectVersionResponse = try await call(
            "GET",
            ["subjects", subject, "versions", version.description]
        )
        return Self.subjectVersion(response)
    }

    /// The newest version of `subject` whose metadata has every one of `properties` (Confluent's
    /// latest-with-metadata look-up; a consumer pinned to an `app.version`, for example).
    ///
    /// - Throws: 40401 for an unknown subject, 40403 when no version has the properties.
    public func latestVersion(
        subject: String,
        withMetadata properties: [String: String]
    ) async throws(RegistryError) -> SubjectVersion {
        let query = properties.sorted { $0.key < $1.key }
            .map { "key=\(Self.segment($0.key))&value=\(Self.segment($0.value))" }.joined(separator: "&")
        let response: RegistryJSON.SubjectVersionResponse = try await call(
            "GET",
            ["subjects", subject, "metadata"],
            query: query
        )
        return Self.subjectVersion(response)
    }

    /// The schema with a global id, as text.
    public func schema(id: Int) async throws(RegistryError) -> StoredSchema {
        if isCaching, let schema = cache.withLock({ $0.schemas[id] }) { return schema }
        let response: RegistryJSON.SchemaResponse = try await call("GET", ["schemas", "ids", String(id)])
        let schema = StoredSchema(
            id: id,
            text: response.schema,
            references: response.references ?? [],
            schemaType: SchemaType(rawValue: response.schemaType) ?? .protobuf,
            metadata: response.metadata,
            ruleSet: response.ruleSet
        )
        if isCaching { cache.withLock { $0.schemas[id] = schema } }
        return schema
    }

    /// The schema with a global id, as a descriptor (Confluent's `format=serialized`).
    public func descriptor(id: Int) async throws(RegistryError) -> Google_Protobuf_FileDescriptorProto {
        if isCaching, let file = cache.withLock({ $0.descriptors[id] }) { return file }
        let response: RegistryJSON.SchemaResponse = try await call(
            "GET",
            ["schemas", "ids", String(id)],
            query: "format=serialized"
        )
        guard let file = SchemaInput.decodeDescriptor(response.schema) else {
            throw RegistryError(
                .unexpectedResponse,
                "schema \(id) in format=serialized is not a base64 FileDescriptorProto"
            )
        }
        if isCaching { cache.withLock { $0.descriptors[id] = file } }
        return file
    }

    // MARK: Administration

    /// Checks a schema against one version of a subject, or against the versions its level names.
    ///
    /// - Returns: the breaking changes (Confluent's verbose messages); empty when compatible.
    public func compatibilityProblems(
        subject: String,
        version: VersionSelector?,
        _ schema: SchemaInput
    ) async throws(RegistryError) -> [String] {
        var path = ["compatibility", "subjects", subject, "versions"]
        if let version { path.append(version.description) }
        let response: RegistryJSON.CompatibilityResponse = try await call(
            "POST",
            path,
            query: "verbose=true",
            body: Self.request(schema)
        )
        return response.isCompatible ? [] : (response.messages ?? ["incompatible"])
    }

    /// The compatibility level of a subject (its own, else global) or, with nil, the global one.
    public func compatibility(subject: String?) async throws(RegistryError) -> CompatibilityLevel {
        let path = subject.map { ["config", $0] } ?? ["config"]
        let response: RegistryJSON.ConfigResponse = try await call(
            "GET",
            path,
            query: subject == nil ? nil : "defaultToGlobal=true"
        )
        guard let level = CompatibilityLevel(apiName: response.compatibilityLevel) else {
            throw RegistryError(.unexpectedResponse, "unknown compatibility level \(response.compatibilityLevel)")
        }
        return level
    }

    /// Sets the compatibility level of a subject or, with nil, the global one.
    public func setCompatibility(_ level: CompatibilityLevel, subject: String?) async throws(RegistryError) {
        let path = subject.map { ["config", $0] } ?? ["config"]
        let body = try Self.encode(RegistryJSON.ConfigUpdate(compatibility: level.rawValue))
        let _: RegistryJSON.ConfigUpdate = try await call("PUT", path, body: body)
    }

    /// Every subject.
    public func subjects() async throws(RegistryError) -> [String] {
        try await call("GET", ["subjects"])
    }

    // MARK: Plumbing

    private static func request(_ schema: SchemaInput) throws(RegistryError) -> [UInt8] {
        try encode(
            RegistryJSON.SchemaRequest(
                schema: schema.schema,
                schemaType: schema.schemaType?.rawValue,
                references: schema.references.isEmpty ? nil : schema.references,
                id: schema.id,
                version: schema.version,
                metadata: schema.metadata,
                ruleSet: schema.ruleSet
            )
        )
    }

    private static func encode<T: Encodable>(_ value: T) throws(RegistryError) -> [UInt8] {
        do {
            return [UInt8](try JSONEncoder().encode(value))
        } catch {
            throw RegistryError(.unexpectedResponse, "cannot encode request: \(error)")
        }
    }

    private static func subjectVersion(_ response: RegistryJSON.SubjectVersionResponse) -> SubjectVersion {
        SubjectVersion(
            subject: response.subject,
            version: response.version,
            schema: StoredSchema(
                id: response.id,
                text: response.schema,
                references: response.references ?? [],
                schemaType: SchemaType(rawValue: response.schemaType) ?? .protobuf,
                metadata: response.metadata,
                ruleSet: response.ruleSet
            )
        )
    }

    /// Percent-encodes one path segment (a subject may contain `/`).
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    private func call<T: Decodable>(
        _ method: String,
        _ segments: [String],
        query: String? = nil,
        body: [UInt8]? = nil
    ) async throws(RegistryError) -> T {
        var path = "/" + segments.map(Self.segment).joined(separator: "/")
        if let query { path += "?" + query }
        let (status, data) = try await send(RegistryHTTPRequest(method: method, path: path, body: body))
        guard (200..<300).contains(status) else {
            if let failure = try? JSONDecoder().decode(RegistryJSON.ErrorResponse.self, from: Data(data)) {
                let code =
                    RegistryError.Code(rawValue: failure.errorCode)
                    ?? (status == 409 ? .incompatibleSchema : .unexpectedResponse)
                throw RegistryError(code, failure.message)
            }
            throw RegistryError(
                .unexpectedResponse,
                "\(method) \(path) answered HTTP \(status): \(String(decoding: data, as: UTF8.self))"
            )
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(data))
        } catch {
            throw RegistryError(.unexpectedResponse, "\(method) \(path) answered JSON the client cannot read: \(error)")
        }
    }

    /// Sends a request, retrying as ``retryPolicy`` says; the last attempt's answer or error stands.
    private func send(_ request: RegistryHTTPRequest) async throws(RegistryError) -> (status: Int, body: [UInt8]) {
        var attempt = 1
        while true {
            let outcome: Result<(status: Int, body: [UInt8]), RegistryError>
            do {
                outcome = .success(try await transport.send(request))
            } catch {
                outcome = .failure(error)
            }
            let retryable =
                switch outcome {
                case .success(let answer):
                    !(200..<300).contains(answer.status)
                        && RegistryRetryPolicy.isRetryable(method: request.method, status: answer.status)
                case .failure(let error):
                    error.code == .transportError
                        && RegistryRetryPolicy.isRetryable(method: request.method, status: nil)
                }
            guard retryable, attempt < retryPolicy.maxAttempts else { return try outcome.get() }
            do {
                try await sleep(retryPolicy.backoff(after: attempt, random: Double.random(in: 0..<1)))
            } catch {
                return try outcome.get()
            }
            attempt += 1
        }
    }
}
