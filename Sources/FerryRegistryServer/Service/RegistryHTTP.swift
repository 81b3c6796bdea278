import FerryRegistry
import Foundation
import Hummingbird
import NIOCore

/// Helpers that turn registry values and errors into Confluent-shaped HTTP answers.
enum RegistryHTTP {
    static let contentType = RegistryJSON.contentType
    static let maxBodySize = 16 << 20

    /// A JSON answer with the registry's content type.
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// A plain-text answer (the `/schema` endpoints return the schema itself).
    static func text(_ value: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value))
        )
    }

    /// Confluent's error body: `{"error_code": 40401, "message": "..."}` with the matching HTTP status.
    static func error(_ error: RegistryError) -> Response {
        var message = error.message
        if !error.details.isEmpty { message += ", details: [" + error.details.joined(separator: ", ") + "]" }
        return json(
            RegistryJSON.ErrorResponse(errorCode: error.code.rawValue, message: message),
            status: HTTPResponse.Status(code: error.code.httpStatus)
        )
    }

    static func badRequest(_ message: String) -> Response {
        json(RegistryJSON.ErrorResponse(errorCode: 400, message: message), status: .badRequest)
    }

    /// Runs a handler, answering registry errors as Confluent does.
    static func respond(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as RegistryError {
            return self.error(error)
        } catch let error as BodyError {
            return badRequest(error.message)
        } catch {
            return self.error(RegistryError(.storeError, "Internal error: \(error)"))
        }
    }

    struct BodyError: Error {
        var message: String
    }

    /// Decodes a JSON request body.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        try decode(type, from: try await body(of: request))
    }

    /// Decodes a body whose fields must all be among ``knownFields``[`kind`] (or null), refusing
    /// any other with `code`: a configuration field Ferry does not support (`defaultMetadata`,
    /// `compatibilityGroup`) is refused rather than dropped.
    static func decode<T: Decodable>(
        _ type: T.Type,
        from request: Request,
        knownFields kind: String,
        refusingWith code: RegistryError.Code
    ) async throws -> T {
        let data = try await body(of: request)
        let decoded = try decode(type, from: data)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        try refuseUnknownFields(object, kind: kind, at: "", code: code)
        return decoded
    }

    private static func body(of request: Request) async throws -> Data {
        var request = request
        let buffer = try await request.collectBody(upTo: maxBodySize)
        return Data(buffer.readableBytesView)
    }

    private static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw BodyError(message: "Unrecognized or malformed JSON body: \(error)")
        }
    }

    /// The fields each object of a schema, configuration or mode request may have. A field outside
    /// these (Confluent's `schemaTagsToAdd`, a misspelt `ruleset`, a config's `defaultRuleSet`) is
    /// refused rather than dropped, so that nothing a client sent is silently lost. A config's
    /// `normalize` is taken and changes nothing: stored text is always canonical.
    static let knownFields: [String: Set<String>] = [
        "config": ["compatibility", "compatibilityLevel", "normalize"],
        "mode": ["mode"],
        "request": ["schema", "schemaType", "references", "id", "version", "metadata", "ruleSet"],
        "metadata": ["tags", "properties", "sensitive"],
        "ruleSet": ["migrationRules", "domainRules", "encodingRules"],
        "rule": [
            "name", "doc", "kind", "mode", "type", "tags", "params", "expr", "onSuccess", "onFailure", "disabled",
        ],
    ]

    /// Decodes the body of a register, look-up or compatibility request.
    ///
    /// - Throws: 42201 for a field this registry does not know (``knownFields``) that is not null, or
    ///   for an invalid rule set.
    static func decodeSchemaRequest(from request: Request) async throws -> RegistryJSON.SchemaRequest {
        let data = try await body(of: request)
        let decoded = try decode(RegistryJSON.SchemaRequest.self, from: data)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        try refuseUnknownFields(object, kind: "request", at: "")
        if let metadata = object["metadata"] as? [String: Any] {
            try refuseUnknownFields(metadata, kind: "metadata", at: "metadata.")
        }
        if let ruleSet = object["ruleSet"] as? [String: Any] {
            try refuseUnknownFields(ruleSet, kind: "ruleSet", at: "ruleSet.")
            for list in knownFields["ruleSet"] ?? [] {
                for (index, rule) in ((ruleSet[list] as? [Any]) ?? []).enumerated() {
                    try refuseUnknownFields(
                        rule as? [String: Any] ?? [:],
                        kind: "rule",
                        at: "ruleSet.\(list)[\(index)]."
                    )
                }
            }
        }
        try decoded.ruleSet?.validate()
        return decoded
    }

    private static func refuseUnknownFields(
        _ object: [String: Any],
        kind: String,
        at path: String,
        code: RegistryError.Code = .invalidSchema
    ) throws {
        let known = knownFields[kind] ?? []
        for key in object.keys.sorted() where !known.contains(key) && !(object[key] is NSNull) {
            throw RegistryError(
                code,
                """
                This registry does not support the field '\(path)\(key)': the \
                request is refused rather than stored without it
                """
            )
        }
    }

    /// The `deleted` and `deletedOnly` flags of a listing (confluent-kafka's client spells the
    /// second `deleted_only`); `deletedOnly` wins when both are set, as Confluent's does.
    static func deletedSelection(_ request: Request) -> DeletedSelection {
        if flag(request, "deletedOnly") || flag(request, "deleted_only") { return .only }
        return flag(request, "deleted") ? .included : .excluded
    }

    /// The `offset`..`offset + limit` slice of a listing (`limit` negative or absent: no limit).
    ///
    /// - Throws: a 400 when either is not an integer.
    static func page<Element>(_ items: [Element], _ request: Request) throws -> [Element] {
        func integer(_ name: String, default value: Int) throws -> Int {
            guard let raw = request.uri.queryParameters.get(name) else { return value }
            guard let number = Int(raw) else {
                throw BodyError(message: "query parameter \(name) must be an integer, not '\(raw)'")
            }
            return number
        }
        let offset = max(0, try integer("offset", default: 0))
        let limit = try integer("limit", default: -1)
        guard offset < items.count else { return [] }
        let end = limit < 0 ? items.count : min(items.count, offset + limit)
        return Array(items[offset..<end])
    }

    /// A query flag, accepting `true` and `True` as Confluent's clients spell it.
    static func flag(_ request: Request, _ name: String) -> Bool {
        request.uri.queryParameters.get(name)?.lowercased() == "true"
    }

    /// A path parameter, percent-decoded (subjects may contain `/`, sent as `%2F`).
    static func parameter(_ context: some RequestContext, _ name: String) throws -> String {
        guard let raw = context.parameters.get(name) else { throw BodyError(message: "missing path parameter \(name)") }
        return raw.removingPercentEncoding ?? raw
    }

    /// The `subject` path parameter in its normalized form (`:.:orders` is `orders`).
    ///
    /// - Throws: 42208 for a malformed context qualifier.
    static func subject(_ context: some RequestContext) throws -> String {
        try QualifiedSubject(parsing: try parameter(context, "subject")).qualified
    }

    /// The context a schema id is looked up in: that of the `subject` query parameter, as
    /// Confluent's clients send it with an id from a context's subject; the default context without one.
    static func idContext(_ request: Request) throws -> String {
        guard let subject = request.uri.queryParameters.get("subject") else { return QualifiedSubject.defaultContext }
        return try QualifiedSubject(parsing: String(subject)).context
    }

    static func schemaID(_ context: some RequestContext) throws -> Int {
        let raw = try parameter(context, "id")
        guard let id = Int(raw) else { throw RegistryError(.schemaNotFound, "Schema \(raw) not found") }
        return id
    }

    static func input(_ body: RegistryJSON.SchemaRequest) -> SchemaInput {
        SchemaInput(
            schema: body.schema,
            references: body.references ?? [],
            schemaType: body.schemaType.map { SchemaType(rawValue: $0.uppercased()) ?? .avro } ?? nil,
            id: body.id,
            version: body.version,
            metadata: body.metadata,
            ruleSet: body.ruleSet
        )
    }
}
