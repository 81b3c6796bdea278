import FerryCodec

/// Translates a `service` into a namespace enum holding its method descriptors, a client stub over
/// `FerryRPC.RPCClient` and the protocol a server implements.
///
/// For `service Payments` in package `ferry.examples.v1`:
/// - `Ferry_Examples_V1_Payments.Method.charge` is the `MethodDescriptor` of `rpc Charge`, and
///   `Method.all` lists every method;
/// - `Ferry_Examples_V1_Payments.ClientProtocol` requires the full form of each RPC (the full
///   request in, the full response with its metadata out); `Client(wrapping: rpcClient)` implements
///   it over `RPCClient`, and an extension gives every implementation, a test's fake included, the
///   short forms taking and returning messages (or sequences of them);
/// - `Ferry_Examples_V1_Payments.ServiceProtocol` has one requirement per RPC, and an extension
///   registers them all on an `RPCRouter`, so `RPCServer(transport:services:)` serves the type.
struct ServiceTranslator {
    let context: FileContext

    /// Names the generated members already use, so an RPC of the same name gets a trailing `_`.
    private static let takenMemberNames: Set<String> = ["rpcClient", "registerMethods", "all", "name"]

    private struct MethodModel {
        var protoName: String
        var swiftName: String
        var request: String
        var response: String
        var clientStreams: Bool
        var serverStreams: Bool
        var comment: SwiftNode
    }

    func translate(_ service: Google_Protobuf_ServiceDescriptorProto, index: Int) throws(GeneratorError) -> SwiftNode {
        let serviceName = service.name ?? ""
        let package = context.file.package ?? ""
        let fullName = package.isEmpty ? serviceName : package + "." + serviceName
        let swiftName = SymbolTable.topLevelName(
            serviceName,
            prefix: NameFormatting.typePrefix(context.file),
            isEnum: false
        )
        var methods: [MethodModel] = []
        for (j, method) in service.method.enumerated() {
            let location = "service \(fullName), rpc \(method.name ?? "")"
            var name = NameFormatting.sanitized(NameFormatting.lowerCamel(method.name ?? ""))
            if Self.takenMemberNames.contains(name) { name += "_" }
            methods.append(
                MethodModel(
                    protoName: method.name ?? "",
                    swiftName: NameFormatting.escaped(name),
                    request: try context.symbols.lookup(method.inputType, context: location).swiftName,
                    response: try context.symbols.lookup(method.outputType, context: location).swiftName,
                    clientStreams: method.clientStreaming ?? false,
                    serverStreams: method.serverStreaming ?? false,
                    comment: context.comment([6, index, 2, j])
                )
            )
        }
        let access = context.access
        let descriptors: [SwiftNode] =
            methods.map { method -> SwiftNode in
                .line(
                    """
                    \(access)static let \(method.swiftName) = FerryRPC.MethodDescriptor(service: "\(fullName)", \
                    method: "\(method.protoName)")
                    """
                )
            } + [
                .documented(
                    "Every method of the service, in declaration order.",
                    """
                    \(access)static let all: [FerryRPC.MethodDescriptor] = \
                    [\(methods.map(\.swiftName).joined(separator: ", "))]
                    """
                )
            ]
        let body: [SwiftNode] = [
            .documented(
                "The service's full name, as request paths spell it.",
                "\(access)static let name = \"\(fullName)\""
            ),
            .doc([
                "The descriptors of the service's methods (`\(fullName)/Name`): what clients call and servers route on."
            ]),
            .block("\(access)enum Method", descriptors),
            .blank,
            clientProtocol(methods, serviceName: fullName),
            .blank,
            client(methods, serviceName: fullName),
            .blank,
            serviceProtocol(methods, serviceName: fullName),
        ]
        return .group([
            context.comment([6, index]),
            .doc(["Descriptors, client stub and server protocol of `\(fullName)`."]),
            .block("\(access)enum \(swiftName)", body),
            .blank,
            clientConveniences(methods, namespace: swiftName),
            .blank,
            registration(methods, namespace: swiftName),
        ])
    }

    // MARK: - Client

    /// The signature of a method's full form (the full request in, the full response with its
    /// metadata out): the protocol requirement the client implements. `defaults` gives `options`
    /// its default value, as the generated `Client` does.
    private func fullSignature(_ m: MethodModel, defaults: Bool = false) -> String {
        let request =
            m.clientStreams ? "FerryRPC.StreamingClientRequest<\(m.request)>" : "FerryRPC.ClientRequest<\(m.request)>"
        let options = "options: FerryRPC.CallOptions" + (defaults ? " = .defaults" : "")
        guard m.serverStreams else {
            return """
                func \(m.swiftName)(request: \(request), \(options)) async throws(FerryRPC.RPCError) \
                -> FerryRPC.ClientResponse<\(m.response)>
                """
        }
        return """
            func \(m.swiftName)<Result: Sendable>(request: \(request), \(options), onResponse: @escaping @Sendable \
            (FerryRPC.StreamingClientResponse<\(m.response)>) async throws -> Result) async throws(FerryRPC.RPCError) \
            -> Result
            """
    }

    /// The protocol a client of the service satisfies: the full form of each method. The generated
    /// `Client` implements it over `RPCClient`; a test can implement it with a fake.
    private func clientProtocol(_ methods: [MethodModel], serviceName: String) -> SwiftNode {
        let requirements = methods.map { SwiftNode.line(fullSignature($0)) }
        return .group([
            .doc([
                """
                The calls a client of `\(serviceName)` makes, in full form (the request, and the response with its \
                metadata, in full): `Client` implements it, a test may fake it, and an extension adds short forms.
                """
            ]),
            .block("\(context.access)protocol ClientProtocol: Sendable", requirements),
        ])
    }

    private func client(_ methods: [MethodModel], serviceName: String) -> SwiftNode {
        let access = context.access
        var body: [SwiftNode] = [
            .documented(
                "The client that carries the calls (its transport, service config and interceptors).",
                "\(access)let rpcClient: FerryRPC.RPCClient"
            ),
            .documented(
                "Calls `\(serviceName)` through `rpcClient`.",
                "\(access)init(wrapping rpcClient: FerryRPC.RPCClient) { self.rpcClient = rpcClient }"
            ),
        ]
        // The requirements' implementations, one line each; their documentation is the protocol's.
        for m in methods {
            let call =
                switch (m.clientStreams, m.serverStreams) {
                case (false, false): "unary"
                case (false, true): "serverStreaming"
                case (true, false): "clientStreaming"
                case (true, true): "bidirectionalStreaming"
                }
            let onResponse = m.serverStreams ? ", onResponse: onResponse" : ""
            body.append(
                .line(
                    """
                    \(access)\(fullSignature(m, defaults: true)) { try await rpcClient.\(call)(request: request, \
                    descriptor: Method.\(m.swiftName), options: options\(onResponse)) }
                    """
                )
            )
        }
        return .group([
            .doc(["Calls the methods of `\(serviceName)`; every call throws `RPCError` for a non-OK status."]),
            .block("\(access)struct Client: ClientProtocol", body),
        ])
    }

    /// The short forms of every method, taking and returning messages (or sequences of them), for
    /// any client. How each stream shape behaves is said once, above the extension.
    private func clientConveniences(_ methods: [MethodModel], namespace: String) -> SwiftNode {
        var body: [SwiftNode] = []
        for m in methods { body.append(contentsOf: shortForm(m)) }
        var notes: [String] = ["The short forms: messages in and out, metadata and options optional."]
        if methods.contains(where: { !$0.clientStreams && $0.serverStreams }) {
            notes.append(
                "A response stream is a sequence whose call starts with iteration and is cancelled if the iterator is dropped early."
            )
        }
        if methods.contains(where: { $0.clientStreams && !$0.serverStreams }) {
            notes.append("`requestProducer` writes a request stream, which is half-closed when it returns.")
        }
        if methods.contains(where: { $0.clientStreams && $0.serverStreams }) {
            notes.append(
                "`body` writes requests and reads responses; the requests end with `finish()` or its return, the call when it returns."
            )
        }
        return .group([.doc(notes), .block("extension \(namespace).ClientProtocol", body)])
    }

    private func shortForm(_ m: MethodModel) -> [SwiftNode] {
        let access = context.access
        let throwsClause = "async throws(FerryRPC.RPCError)"
        let metadataAndOptions = "metadata: FerryRPC.Metadata = [:], options: FerryRPC.CallOptions = .defaults"
        let single = "FerryRPC.ClientRequest(message: message, metadata: metadata)"
        switch (m.clientStreams, m.serverStreams) {
        case (false, false):
            return [
                m.comment,
                .oneLiner(
                    """
                    \(access)func \(m.swiftName)(_ message: \(m.request), \(metadataAndOptions)) \(throwsClause) \
                    -> \(m.response)
                    """,
                    [.line("try await \(m.swiftName)(request: \(single), options: options).message")]
                ),
            ]
        case (false, true):
            return [
                m.comment,
                .oneLiner(
                    """
                    \(access)func \(m.swiftName)(_ message: \(m.request), \(metadataAndOptions)) \
                    -> FerryRPC.RPCAsyncSequence<\(m.response)>
                    """,
                    [
                        .line(
                            """
                            FerryRPC.RPCAsyncSequence(responsesOf: { try await self.\(m.swiftName)(request: \(single), \
                            options: options, onResponse: $0) })
                            """
                        )
                    ]
                ),
            ]
        case (true, false):
            return [
                m.comment,
                .oneLiner(
                    """
                    \(access)func \(m.swiftName)(\(metadataAndOptions), requestProducer: @escaping @Sendable \
                    (FerryRPC.RPCWriter<\(m.request)>) async throws -> Void) \(throwsClause) -> \(m.response)
                    """,
                    [
                        .line(
                            """
                            try await \(m.swiftName)(request: FerryRPC.StreamingClientRequest(metadata: metadata, \
                            producer: requestProducer), options: options).message
                            """
                        )
                    ]
                ),
            ]
        case (true, true):
            return [
                m.comment,
                .oneLiner(
                    """
                    \(access)func \(m.swiftName)<Result: Sendable>(\(metadataAndOptions), body: @escaping @Sendable \
                    (FerryRPC.ClosableRPCWriter<\(m.request)>, FerryRPC.RPCAsyncSequence<\(m.response)>) async throws \
                    -> Result) \(throwsClause) -> Result
                    """,
                    [
                        .line(
                            """
                            try await FerryRPC.RPCClient.bridgeBidirectional(metadata: metadata, body: body) \
                            { try await self.\(m.swiftName)(request: $0, options: options, onResponse: $1) }
                            """
                        )
                    ]
                ),
            ]
        }
    }

    // MARK: - Server

    private func serviceProtocol(_ methods: [MethodModel], serviceName: String) -> SwiftNode {
        var requirements: [SwiftNode] = []
        for m in methods {
            let request =
                m.clientStreams
                ? "FerryRPC.StreamingServerRequest<\(m.request)>" : "FerryRPC.ServerRequest<\(m.request)>"
            let response =
                m.serverStreams
                ? "FerryRPC.StreamingServerResponse<\(m.response)>" : "FerryRPC.ServerResponse<\(m.response)>"
            requirements.append(m.comment)
            requirements.append(
                .line(
                    """
                    func \(m.swiftName)(_ request: \(request), context: FerryRPC.ServerContext) async throws \
                    -> \(response)
                    """
                )
            )
        }
        return .group([
            .doc([
                """
                Implement to serve `\(serviceName)` with `RPCServer`; throw `RPCError` for a status other than OK \
                (other errors become UNKNOWN).
                """
            ]),
            .block("\(context.access)protocol ServiceProtocol: FerryRPC.RPCService", requirements),
        ])
    }

    private func registration(_ methods: [MethodModel], namespace: String) -> SwiftNode {
        // The service's schema travels with it, for server reflection.
        var calls: [SwiftNode] = [.line("router.describe(service: \(namespace).name, file: \(context.namespace).self)")]
        for m in methods {
            let variant =
                switch (m.clientStreams, m.serverStreams) {
                case (false, false): "registerUnary"
                case (false, true): "registerServerStreaming"
                case (true, false): "registerClientStreaming"
                case (true, true): "registerBidirectionalStreaming"
                }
            calls.append(
                .line(
                    """
                    router.\(variant)(\(namespace).Method.\(m.swiftName)) \
                    { try await self.\(m.swiftName)($0, context: $1) }
                    """
                )
            )
        }
        return .block(
            "extension \(namespace).ServiceProtocol",
            [
                .doc(["Registers every method of the service."]),
                .block("\(context.access)func registerMethods(with router: inout FerryRPC.RPCRouter)", calls),
            ]
        )
    }
}
