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
            methods.flatMap { method -> [SwiftNode] in
                [
                    .doc(["`\(fullName)/\(method.protoName)`."]),
                    .line(
                        """
                        \(access)static let \(method.swiftName) = FerryRPC.MethodDescriptor(service: "\(fullName)", \
                        method: "\(method.protoName)")
                        """
                    ),
                ]
            } + [
                .doc(["Every method of the service, in declaration order."]),
                .line(
                    """
                    \(access)static let all: [FerryRPC.MethodDescriptor] = \
                    [\(methods.map(\.swiftName).joined(separator: ", "))]
                    """
                ),
            ]
        let body: [SwiftNode] = [
            .doc(["The service's full name, as request paths spell it."]),
            .line("\(access)static let name = \"\(fullName)\""),
            .blank,
            .doc(["The descriptors of the service's methods: what clients call and servers route on."]),
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

    /// The signature of a method's full form: the protocol requirement the client implements.
    private func fullSignature(_ m: MethodModel) -> (header: String, parameters: [String], footer: String) {
        let throwsClause = "async throws(FerryRPC.RPCError)"
        let onResponse =
            "onResponse: @escaping @Sendable (FerryRPC.StreamingClientResponse<\(m.response)>) async throws -> Result"
        switch (m.clientStreams, m.serverStreams) {
        case (false, false):
            return (
                "func \(m.swiftName)(",
                ["request: FerryRPC.ClientRequest<\(m.request)>", "options: FerryRPC.CallOptions"],
                ") \(throwsClause) -> FerryRPC.ClientResponse<\(m.response)>"
            )
        case (false, true):
            return (
                "func \(m.swiftName)<Result: Sendable>(",
                ["request: FerryRPC.ClientRequest<\(m.request)>", "options: FerryRPC.CallOptions", onResponse],
                ") \(throwsClause) -> Result"
            )
        case (true, false):
            return (
                "func \(m.swiftName)(",
                ["request: FerryRPC.StreamingClientRequest<\(m.request)>", "options: FerryRPC.CallOptions"],
                ") \(throwsClause) -> FerryRPC.ClientResponse<\(m.response)>"
            )
        case (true, true):
            return (
                "func \(m.swiftName)<Result: Sendable>(",
                [
                    "request: FerryRPC.StreamingClientRequest<\(m.request)>", "options: FerryRPC.CallOptions",
                    onResponse,
                ],
                ") \(throwsClause) -> Result"
            )
        }
    }

    private static func parameterLines(_ parameters: [String]) -> [SwiftNode] {
        parameters.enumerated().map { index, parameter in
            .line(parameter + (index == parameters.count - 1 ? "" : ","))
        }
    }

    private func fullFormDoc(_ m: MethodModel) -> SwiftNode {
        m.serverStreams
            ? .doc([
                "`\(m.protoName)` with the full request; `onResponse` reads the responses, their metadata and trailers."
            ])
            : .doc(["`\(m.protoName)` with the full request, returning the response with its metadata and trailers."])
    }

    /// The protocol a client of the service satisfies: the full form of each method. The generated
    /// `Client` implements it over `RPCClient`; a test can implement it with a fake.
    private func clientProtocol(_ methods: [MethodModel], serviceName: String) -> SwiftNode {
        var requirements: [SwiftNode] = []
        for m in methods {
            if !requirements.isEmpty { requirements.append(.blank) }
            let signature = fullSignature(m)
            requirements.append(fullFormDoc(m))
            requirements.append(
                .braced(signature.header, Self.parameterLines(signature.parameters), footer: signature.footer)
            )
        }
        return .group([
            .doc([
                "What a client of `\(serviceName)` can call: `Client` implements it over `RPCClient`, and a test can",
                "implement it with a fake. The short forms of each method come from an extension.",
            ]),
            .block("\(context.access)protocol ClientProtocol: Sendable", requirements),
        ])
    }

    private func client(_ methods: [MethodModel], serviceName: String) -> SwiftNode {
        let access = context.access
        var body: [SwiftNode] = [
            .doc(["The client that carries the calls (its transport, service config and interceptors)."]),
            .line("\(access)let rpcClient: FerryRPC.RPCClient"),
            .blank,
            .doc(["Calls `\(serviceName)` through `rpcClient`."]),
            .block("\(access)init(wrapping rpcClient: FerryRPC.RPCClient)", [.line("self.rpcClient = rpcClient")]),
        ]
        for m in methods {
            let signature = fullSignature(m)
            let call =
                switch (m.clientStreams, m.serverStreams) {
                case (false, false): "unary"
                case (false, true): "serverStreaming"
                case (true, false): "clientStreaming"
                case (true, true): "bidirectionalStreaming"
                }
            let arguments: [SwiftNode] =
                [
                    .line("request: request,"),
                    .line("descriptor: Method.\(m.swiftName),"),
                    .line("serializer: FerryRPC.ProtobufSerializer<\(m.request)>(),"),
                    .line("deserializer: FerryRPC.ProtobufDeserializer<\(m.response)>(),"),
                    .line(m.serverStreams ? "options: options," : "options: options"),
                ] + (m.serverStreams ? [.line("onResponse: onResponse")] : [])
            body.append(.blank)
            body.append(fullFormDoc(m))
            body.append(
                .braced(
                    access + signature.header,
                    Self.parameterLines(signature.parameters),
                    footer: signature.footer + " {"
                )
            )
            body.append(.indented([.braced("try await rpcClient.\(call)(", arguments, footer: ")")]))
            body.append(.line("}"))
        }
        return .group([
            .doc(["Calls the methods of `\(serviceName)`; every call throws `RPCError` for a non-OK status."]),
            .block("\(access)struct Client: ClientProtocol", body),
        ])
    }

    /// The short forms of every method, and the full forms without options, for any client.
    private func clientConveniences(_ methods: [MethodModel], namespace: String) -> SwiftNode {
        var body: [SwiftNode] = []
        for m in methods {
            if !body.isEmpty { body.append(.blank) }
            body.append(contentsOf: shortForms(m))
        }
        return .block("extension \(namespace).ClientProtocol", body)
    }

    private func shortForms(_ m: MethodModel) -> [SwiftNode] {
        let access = context.access
        let throwsClause = "async throws(FerryRPC.RPCError)"
        let metadataAndOptions: [SwiftNode] = [
            .line("metadata: FerryRPC.Metadata = [:],"), .line("options: FerryRPC.CallOptions = .defaults"),
        ]
        let onResponse = "@escaping @Sendable (FerryRPC.StreamingClientResponse<\(m.response)>) async throws -> Result"
        switch (m.clientStreams, m.serverStreams) {
        case (false, false):
            return [
                m.comment,
                .braced(
                    "\(access)func \(m.swiftName)(",
                    [.line("_ message: \(m.request),")] + metadataAndOptions,
                    footer: ") \(throwsClause) -> \(m.response) {"
                ),
                .indented([
                    .line(
                        """
                        try await \(m.swiftName)(request: FerryRPC.ClientRequest(message: message, \
                        metadata: metadata), options: options).message
                        """
                    )
                ]),
                .line("}"),
                .blank,
                fullFormDoc(m),
                .block(
                    """
                    \(access)func \(m.swiftName)(request: FerryRPC.ClientRequest<\(m.request)>) \(throwsClause) \
                    -> FerryRPC.ClientResponse<\(m.response)>
                    """,
                    [
                        .line("try await \(m.swiftName)(request: request, options: .defaults)")
                    ]
                ),
            ]
        case (false, true):
            return [
                m.comment,
                .doc(["", "The call starts when iteration starts and is cancelled if the iterator is dropped early."]),
                .braced(
                    "\(access)func \(m.swiftName)(",
                    [.line("_ message: \(m.request),")] + metadataAndOptions,
                    footer: ") -> FerryRPC.RPCAsyncSequence<\(m.response)> {"
                ),
                .indented([
                    .braced(
                        "FerryRPC.RPCAsyncSequence(startingCall: { responses in",
                        [
                            .braced(
                                """
                                try await self.\(m.swiftName)(request: FerryRPC.ClientRequest(message: message, \
                                metadata: metadata), options: options) { response in
                                """,
                                [
                                    .line(
                                        """
                                        for try await message in response.messages \
                                        { try await responses.write(message) }
                                        """
                                    )
                                ],
                                footer: "}"
                            )
                        ],
                        footer: "})"
                    )
                ]),
                .line("}"),
                .blank,
                fullFormDoc(m),
                .braced(
                    "\(access)func \(m.swiftName)<Result: Sendable>(",
                    [
                        .line("request: FerryRPC.ClientRequest<\(m.request)>,"),
                        .line("onResponse: \(onResponse)"),
                    ],
                    footer: ") \(throwsClause) -> Result {"
                ),
                .indented([
                    .line("try await \(m.swiftName)(request: request, options: .defaults, onResponse: onResponse)")
                ]),
                .line("}"),
            ]
        case (true, false):
            return [
                m.comment,
                .doc(["", "`requestProducer` writes the requests; the stream is half-closed when it returns."]),
                .braced(
                    "\(access)func \(m.swiftName)(",
                    metadataAndOptions.dropLast() + [
                        .line("options: FerryRPC.CallOptions = .defaults,"),
                        .line(
                            """
                            requestProducer: @escaping @Sendable (FerryRPC.RPCWriter<\(m.request)>) async throws \
                            -> Void
                            """
                        ),
                    ],
                    footer: ") \(throwsClause) -> \(m.response) {"
                ),
                .indented([
                    .line(
                        """
                        try await \(m.swiftName)(request: FerryRPC.StreamingClientRequest(metadata: metadata, \
                        producer: requestProducer), options: options).message
                        """
                    )
                ]),
                .line("}"),
                .blank,
                fullFormDoc(m),
                .block(
                    """
                    \(access)func \(m.swiftName)(request: FerryRPC.StreamingClientRequest<\(m.request)>) \
                    \(throwsClause) -> FerryRPC.ClientResponse<\(m.response)>
                    """,
                    [
                        .line("try await \(m.swiftName)(request: request, options: .defaults)")
                    ]
                ),
            ]
        case (true, true):
            return [
                m.comment,
                .doc([
                    "",
                    "`body` writes requests and reads responses concurrently; the request stream is half-closed when",
                    "it calls `finish()` or returns, and the call is cancelled if it returns before the responses end.",
                ]),
                .braced(
                    "\(access)func \(m.swiftName)<Result: Sendable>(",
                    metadataAndOptions.dropLast() + [
                        .line("options: FerryRPC.CallOptions = .defaults,"),
                        .line(
                            """
                            body: @escaping @Sendable (FerryRPC.ClosableRPCWriter<\(m.request)>, \
                            FerryRPC.RPCAsyncSequence<\(m.response)>) async throws -> Result
                            """
                        ),
                    ],
                    footer: ") \(throwsClause) -> Result {"
                ),
                .indented([
                    .braced(
                        """
                        try await FerryRPC.RPCClient.bridgeBidirectional(metadata: metadata, body: body) \
                        { request, onResponse in
                        """,
                        [
                            .line(
                                """
                                try await self.\(m.swiftName)(request: request, options: options, \
                                onResponse: onResponse)
                                """
                            )
                        ],
                        footer: "}"
                    )
                ]),
                .line("}"),
                .blank,
                fullFormDoc(m),
                .braced(
                    "\(access)func \(m.swiftName)<Result: Sendable>(",
                    [
                        .line("request: FerryRPC.StreamingClientRequest<\(m.request)>,"),
                        .line("onResponse: \(onResponse)"),
                    ],
                    footer: ") \(throwsClause) -> Result {"
                ),
                .indented([
                    .line("try await \(m.swiftName)(request: request, options: .defaults, onResponse: onResponse)")
                ]),
                .line("}"),
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
            if !requirements.isEmpty { requirements.append(.blank) }
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
                "Implement to serve `\(serviceName)`, then pass the implementation to `RPCServer`.",
                "",
                "Throw `RPCError` to answer with a status other than OK; other errors become UNKNOWN.",
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
                .braced(
                    "router.\(variant)(",
                    [
                        .line("\(namespace).Method.\(m.swiftName),"),
                        .line("deserializer: FerryRPC.ProtobufDeserializer<\(m.request)>(),"),
                        .line("serializer: FerryRPC.ProtobufSerializer<\(m.response)>()"),
                    ],
                    footer: ") { request, context in try await self.\(m.swiftName)(request, context: context) }"
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
