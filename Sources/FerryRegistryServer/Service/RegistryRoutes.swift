/// Public: the routes serve FerryRegistry's `SchemaRegistry`.
public import FerryRegistry
import Foundation
/// Public: they are added to a Hummingbird `Router`.
public import Hummingbird

/// The Confluent Schema Registry REST API over a `SchemaRegistry`.
///
/// Every answer uses `application/vnd.schemaregistry.v1+json`, every schema answer names its
/// `schemaType` (clients read a missing one as AVRO), and errors carry Confluent's codes.
public struct RegistryRoutes: Sendable {
    /// The registry the routes serve.
    public let registry: SchemaRegistry

    /// Creates the routes for a registry.
    public init(registry: SchemaRegistry) {
        self.registry = registry
    }

    /// Adds every endpoint to a router.
    public func add<Context: RequestContext>(to router: Router<Context>) {
        router.add(middleware: ConfluentErrorMiddleware())
        router.get("/") { _, _ in RegistryHTTP.json([String: String]()) }
        // The contexts holding schemas (`:.ctx:subject` registers into `.ctx`), the default `.` first.
        let registry = self.registry
        router.get("/contexts") { request, _ in
            await RegistryHTTP.respond {
                RegistryHTTP.json(try RegistryHTTP.page(try await registry.contexts(), request))
            }
        }
        // Which cluster answers: Confluent's tools read it; Ferry's registry belongs to no Kafka cluster.
        router.get("/v1/metadata/id") { _, _ in
            RegistryHTTP.json(
                RegistryJSON.ServerClusterID(
                    scope: .init(path: [], clusters: ["schema-registry-cluster": "ferry-registry"])
                )
            )
        }
        addSubjects(to: router)
        addSchemas(to: router)
        addCompatibility(to: router)
        addConfiguration(to: router)
    }

    private func versionResponse(_ version: SubjectVersion, serialized: Bool) async throws -> Response {
        let schema =
            serialized
            ? try await registry.serializedDescriptor(
                of: version.schema,
                fileName: version.subject.hasSuffix(".proto") ? version.subject : nil
            )
            : version.schema.text
        return RegistryHTTP.json(
            RegistryJSON.SubjectVersionResponse(
                subject: version.subject,
                id: version.schema.id,
                version: version.version,
                schemaType: version.schema.schemaType.rawValue,
                schema: schema,
                references: version.schema.references.isEmpty ? nil : version.schema.references,
                metadata: version.schema.metadata,
                ruleSet: version.schema.ruleSet
            )
        )
    }

    private func addSubjects<Context: RequestContext>(to router: Router<Context>) {
        let registry = self.registry
        router.get("/subjects") { request, _ in
            await RegistryHTTP.respond {
                let subjects = try await registry.subjects(
                    prefix: request.uri.queryParameters.get("subjectPrefix") ?? "",
                    deleted: RegistryHTTP.deletedSelection(request)
                )
                return RegistryHTTP.json(try RegistryHTTP.page(subjects, request))
            }
        }
        router.get("/subjects/:subject/versions") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.subject(context)
                let versions = try await registry.versions(of: subject, deleted: RegistryHTTP.deletedSelection(request))
                return RegistryHTTP.json(try RegistryHTTP.page(versions, request))
            }
        }
        // Confluent's latest-with-metadata look-up: `?key=k1&value=v1&key=k2&value=v2`.
        router.get("/subjects/:subject/metadata") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.subject(context)
                let keys = request.uri.queryParameters.getAll("key").map { String($0) }
                let values = request.uri.queryParameters.getAll("value").map { String($0) }
                guard keys.count == values.count, !keys.isEmpty else {
                    throw RegistryHTTP.BodyError(
                        message: "give the metadata as key=…&value=… pairs, one value per key"
                    )
                }
                let properties = Dictionary(zip(keys, values), uniquingKeysWith: { _, last in last })
                let found = try await registry.latestVersion(
                    of: subject,
                    withMetadata: properties,
                    includeDeleted: RegistryHTTP.flag(request, "deleted")
                )
                return try await versionResponse(
                    found,
                    serialized: request.uri.queryParameters.get("format") == "serialized"
                )
            }
        }
        router.post("/subjects/:subject/versions") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.subject(context)
                let body = try await RegistryHTTP.decodeSchemaRequest(from: request)
                let registered = try await registry.register(subject: subject, RegistryHTTP.input(body))
                return RegistryHTTP.json(RegistryJSON.RegisterResponse(id: registered.schema.id))
            }
        }
        router.post("/subjects/:subject") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.subject(context)
                let body = try await RegistryHTTP.decodeSchemaRequest(from: request)
                let found = try await registry.lookup(
                    subject: subject,
                    RegistryHTTP.input(body),
                    includeDeleted: RegistryHTTP.flag(request, "deleted")
                )
                return try await versionResponse(found, serialized: false)
            }
        }
        router.delete("/subjects/:subject") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.subject(context)
                return RegistryHTTP.json(
                    try await registry.deleteSubject(subject, permanent: RegistryHTTP.flag(request, "permanent"))
                )
            }
        }
        router.get("/subjects/:subject/versions/:version") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.subject(context)
                let selector = try VersionSelector(parsing: try RegistryHTTP.parameter(context, "version"))
                let found = try await registry.version(
                    of: subject,
                    selector,
                    includeDeleted: RegistryHTTP.flag(request, "deleted")
                )
                return try await versionResponse(
                    found,
                    serialized: request.uri.queryParameters.get("format") == "serialized"
                )
            }
        }
        router.get("/subjects/:subject/versions/:version/schema") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.subject(context)
                let selector = try VersionSelector(parsing: try RegistryHTTP.parameter(context, "version"))
                return RegistryHTTP.text(
                    try await registry.version(
                        of: subject,
                        selector,
                        includeDeleted: RegistryHTTP.flag(request, "deleted")
                    ).schema.text
                )
            }
        }
        router.get("/subjects/:subject/versions/:version/referencedby") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.subject(context)
                let selector = try VersionSelector(parsing: try RegistryHTTP.parameter(context, "version"))
                return RegistryHTTP.json(
                    try RegistryHTTP.page(try await registry.referencedBy(subject: subject, selector), request)
                )
            }
        }
        router.delete("/subjects/:subject/versions/:version") { request, context in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.subject(context)
                let selector = try VersionSelector(parsing: try RegistryHTTP.parameter(context, "version"))
                return RegistryHTTP.json(
                    try await registry.deleteVersion(
                        subject,
                        selector,
                        permanent: RegistryHTTP.flag(request, "permanent")
                    )
                )
            }
        }
    }

    private func addSchemas<Context: RequestContext>(to router: Router<Context>) {
        let registry = self.registry
        router.get("/schemas/types") { _, _ in RegistryHTTP.json([SchemaType.protobuf.rawValue]) }
        router.get("/schemas") { request, _ in
            await RegistryHTTP.respond {
                let versions = try await registry.schemas(
                    prefix: request.uri.queryParameters.get("subjectPrefix") ?? "",
                    includeDeleted: RegistryHTTP.flag(request, "deleted"),
                    latestOnly: RegistryHTTP.flag(request, "latestOnly")
                )
                return RegistryHTTP.json(
                    try RegistryHTTP.page(versions, request).map { version in
                        RegistryJSON.SubjectVersionResponse(
                            subject: version.subject,
                            id: version.schema.id,
                            version: version.version,
                            schemaType: version.schema.schemaType.rawValue,
                            schema: version.schema.text,
                            references: version.schema.references.isEmpty ? nil : version.schema.references,
                            metadata: version.schema.metadata,
                            ruleSet: version.schema.ruleSet
                        )
                    }
                )
            }
        }
        router.get("/schemas/ids/:id") { request, context in
            await RegistryHTTP.respond {
                let schema = try await registry.schema(
                    id: try RegistryHTTP.schemaID(context),
                    context: try RegistryHTTP.idContext(request)
                )
                let text =
                    request.uri.queryParameters.get("format") == "serialized"
                    ? try await registry.serializedDescriptor(of: schema)
                    : schema.text
                return RegistryHTTP.json(
                    RegistryJSON.SchemaResponse(
                        schema: text,
                        schemaType: schema.schemaType.rawValue,
                        references: schema.references.isEmpty ? nil : schema.references,
                        metadata: schema.metadata,
                        ruleSet: schema.ruleSet
                    )
                )
            }
        }
        router.get("/schemas/ids/:id/schema") { request, context in
            await RegistryHTTP.respond {
                RegistryHTTP.text(
                    try await registry.schema(
                        id: try RegistryHTTP.schemaID(context),
                        context: try RegistryHTTP.idContext(request)
                    ).text
                )
            }
        }
        router.get("/schemas/ids/:id/versions") { request, context in
            await RegistryHTTP.respond {
                let versions = try await registry.subjectVersions(
                    schemaID: try RegistryHTTP.schemaID(context),
                    context: try RegistryHTTP.idContext(request),
                    includeDeleted: RegistryHTTP.flag(request, "deleted")
                )
                return RegistryHTTP.json(
                    try RegistryHTTP.page(
                        versions.map { RegistryJSON.SubjectVersionPair(subject: $0.subject, version: $0.version) },
                        request
                    )
                )
            }
        }
        router.get("/schemas/ids/:id/subjects") { request, context in
            await RegistryHTTP.respond {
                let versions = try await registry.subjectVersions(
                    schemaID: try RegistryHTTP.schemaID(context),
                    context: try RegistryHTTP.idContext(request),
                    includeDeleted: RegistryHTTP.flag(request, "deleted")
                )
                var seen = Set<String>()
                return RegistryHTTP.json(
                    try RegistryHTTP.page(versions.map(\.subject).filter { seen.insert($0).inserted }, request)
                )
            }
        }
    }

    private func addCompatibility<Context: RequestContext>(to router: Router<Context>) {
        let registry = self.registry
        let check: @Sendable (Request, Context, Bool) async -> Response = { request, context, hasVersion in
            await RegistryHTTP.respond {
                let subject = try RegistryHTTP.subject(context)
                let selector =
                    hasVersion ? try VersionSelector(parsing: try RegistryHTTP.parameter(context, "version")) : nil
                let body = try await RegistryHTTP.decodeSchemaRequest(from: request)
                let problems: [String]
                do {
                    problems = try await registry.compatibilityProblems(
                        subject: subject,
                        version: selector,
                        RegistryHTTP.input(body)
                    )
                } catch let error as RegistryError where error.code == .subjectNotFound && !hasVersion {
                    problems = []
                }
                let verbose = RegistryHTTP.flag(request, "verbose")
                return RegistryHTTP.json(
                    RegistryJSON.CompatibilityResponse(
                        isCompatible: problems.isEmpty,
                        messages: verbose ? problems : nil
                    )
                )
            }
        }
        router.post("/compatibility/subjects/:subject/versions") { request, context in
            await check(request, context, false)
        }
        router.post("/compatibility/subjects/:subject/versions/:version") { request, context in
            await check(request, context, true)
        }
    }
}
