import FerryCodec

/// Translates a `service` into a namespace enum holding its method descriptors, a client stub over
/// `FerryRPC.RPCClient` and the protocol a server implements.
///
/// For `service Payments` in package `ferry.examples.v1`:
/// - `Ferry_Examples_V1_Payments.Method.charge` is the `MethodDescriptor` of `rpc Charge`, and
///   `Method.all` lists every method;
/// - `Ferry_Examples_V1_Payments.Client(wrapping: rpcClient)` has two methods per RPC: a short one
///   taking and returning messages (or sequences of them), and one taking the full request and
///   returning the full response with its metadata;
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
        let swiftName = SymbolTable.topLevelName(serviceName, prefix: NameFormatting.packagePrefix(package), isEnum: false)
        var methods: [MethodModel] = []
        for (j, method) in service.method.enumerated() {
            let location = "service \(fullName), rpc \(method.name ?? "")"
            var name = NameFormatting.sanitized(NameFormatting.lowerCamel(method.name ?? ""))
            if Self.takenMemberNames.contains(name) { name += "_" }
            methods.append(MethodModel(
                protoName: method.name ?? "",
                swiftName: NameFormatting.escaped(name),
                request: try context.symbols.lookup(method.inputType, context: location).swiftName,
                response: try context.symbols.lookup(method.outputType, context: location).swiftName,
                clientStreams: method.clientStreaming ?? false,
                serverStreams: method.serverStreaming ?? false,
                comment: context.comment([6, index, 2, j])
            ))
        }
        let access = context.access
        let descriptors: [SwiftNode] = methods.flatMap { method -> [SwiftNode] in
            [
                .doc(["`\(fullName)/\(method.protoName)`."]),
                .line("\(access)static let \(method.swiftName) = FerryRPC.MethodDescriptor(service: \"\(fullName)\", method: \"\(method.protoName)\")"),
            ]
        } + [
            .doc(["Every method of the service, in declaration order."]),
            .line("\(access)static let all: [FerryRPC.MethodDescriptor] = [\(methods.map(\.swiftName).joined(separator: ", "))]"),
        ]
        let body: [SwiftNode] = [
            .doc(["The service's full name, as request paths spell it."]),
            .line("\(access)static let name = \"\(fullName)\""),
            .blank,
            .doc(["The descriptors of the service's methods: what clients call and servers route on."]),
            .block("\(access)enum Method", descriptors),
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
            registration(methods, namespace: swiftName),
        ])
    }

    // MARK: - Client

    private func client(_ methods: [MethodModel], serviceName: String) -> SwiftNode {
        let access = context.access
        var body: [SwiftNode] = [
            .doc(["The client that carries the calls (its transport, service config and interceptors)."]),
            .line("\(access)let rpcClient: FerryRPC.RPCClient"),
            .blank,
            .doc(["Calls `\(serviceName)` through `rpcClient`."]),
            .block("\(access)init(wrapping rpcClient: FerryRPC.RPCClient)", [.line("self.rpcClient = rpcClient")]),
        ]
        for method in methods {
            body.append(.blank)
            body.append(contentsOf: clientMethods(method))
        }
        return .group([
            .doc(["Calls the methods of `\(serviceName)`; every call throws `RPCError` for a non-OK status."]),
            .block("\(access)struct Client: Sendable", body),
        ])
    }

    private func clientMethods(_ m: MethodModel) -> [SwiftNode] {
        let access = context.access
        let codecs: [SwiftNode] = [
            .line("descriptor: Method.\(m.swiftName),"),
            .line("serializer: FerryRPC.ProtobufSerializer<\(m.request)>(),"),
            .line("deserializer: FerryRPC.ProtobufDeserializer<\(m.response)>(),"),
        ]
        let throwsClause = "async throws(FerryRPC.RPCError)"
        let producer = "@escaping @Sendable (FerryRPC.RPCWriter<\(m.request)>) async throws -> Void"
        let onResponse = "@escaping @Sendable (FerryRPC.StreamingClientResponse<\(m.response)>) async throws -> Result"
        switch (m.clientStreams, m.serverStreams) {
        case (false, false):
            return [
                m.comment,
                .braced("\(access)func \(m.swiftName)(", [
                    .line("_ message: \(m.request),"),
                    .line("metadata: FerryRPC.Metadata = [:],"),
                    .line("options: FerryRPC.CallOptions = .defaults"),
                ], footer: ") \(throwsClause) -> \(m.response) {"),
                .indented([.line("try await \(m.swiftName)(request: FerryRPC.ClientRequest(message: message, metadata: metadata), options: options).message")]),
                .line("}"),
                .blank,
                .doc(["`\(m.protoName)` with the request's metadata, returning the response with its metadata and trailers."]),
                .braced("\(access)func \(m.swiftName)(", [
                    .line("request: FerryRPC.ClientRequest<\(m.request)>,"),
                    .line("options: FerryRPC.CallOptions = .defaults"),
                ], footer: ") \(throwsClause) -> FerryRPC.ClientResponse<\(m.response)> {"),
                .indented([.braced("try await rpcClient.unary(", [.line("request: request,")] + codecs + [.line("options: options")], footer: ")")]),
                .line("}"),
            ]
        case (false, true):
            return [
                m.comment,
                .doc(["", "The call starts when iteration starts and is cancelled if the iterator is dropped early."]),
                .braced("\(access)func \(m.swiftName)(", [
                    .line("_ message: \(m.request),"),
                    .line("metadata: FerryRPC.Metadata = [:],"),
                    .line("options: FerryRPC.CallOptions = .defaults"),
                ], footer: ") -> FerryRPC.RPCAsyncSequence<\(m.response)> {"),
                .indented([.braced("rpcClient.serverStreaming(", [.line("request: FerryRPC.ClientRequest(message: message, metadata: metadata),")] + codecs + [.line("options: options")], footer: ")")]),
                .line("}"),
                .blank,
                .doc(["`\(m.protoName)` with the request's metadata; `onResponse` reads the responses, their metadata and trailers."]),
                .braced("\(access)func \(m.swiftName)<Result: Sendable>(", [
                    .line("request: FerryRPC.ClientRequest<\(m.request)>,"),
                    .line("options: FerryRPC.CallOptions = .defaults,"),
                    .line("onResponse: \(onResponse)"),
                ], footer: ") \(throwsClause) -> Result {"),
                .indented([.braced("try await rpcClient.serverStreaming(", [.line("request: request,")] + codecs + [.line("options: options,"), .line("onResponse: onResponse")], footer: ")")]),
                .line("}"),
            ]
        case (true, false):
            return [
                m.comment,
                .doc(["", "`requestProducer` writes the requests; the stream is half-closed when it returns."]),
                .braced("\(access)func \(m.swiftName)(", [
                    .line("metadata: FerryRPC.Metadata = [:],"),
                    .line("options: FerryRPC.CallOptions = .defaults,"),
                    .line("requestProducer: \(producer)"),
                ], footer: ") \(throwsClause) -> \(m.response) {"),
                .indented([.line("try await \(m.swiftName)(request: FerryRPC.StreamingClientRequest(metadata: metadata, producer: requestProducer), options: options).message")]),
                .line("}"),
                .blank,
                .doc(["`\(m.protoName)` with the full request, returning the response with its metadata and trailers."]),
                .braced("\(access)func \(m.swiftName)(", [
                    .line("request: FerryRPC.StreamingClientRequest<\(m.request)>,"),
                    .line("options: FerryRPC.CallOptions = .defaults"),
                ], footer: ") \(throwsClause) -> FerryRPC.ClientResponse<\(m.response)> {"),
                .indented([.braced("try await rpcClient.clientStreaming(", [.line("request: request,")] + codecs + [.line("options: options")], footer: ")")]),
                .line("}"),
            ]
        case (true, true):
            return [
                m.comment,
                .doc(["", "`body` writes requests and reads responses concurrently; the request stream is half-closed when",
                      "it calls `finish()` or returns, and the call is cancelled if it returns before the responses end."]),
                .braced("\(access)func \(m.swiftName)<Result: Sendable>(", [
                    .line("metadata: FerryRPC.Metadata = [:],"),
                    .line("options: FerryRPC.CallOptions = .defaults,"),
                    .line("body: @escaping @Sendable (FerryRPC.ClosableRPCWriter<\(m.request)>, FerryRPC.RPCAsyncSequence<\(m.response)>) async throws -> Result"),
                ], footer: ") \(throwsClause) -> Result {"),
                .indented([.braced("try await rpcClient.bidirectionalStreaming(", [.line("metadata: metadata,")] + codecs + [.line("options: options,"), .line("body: body")], footer: ")")]),
                .line("}"),
                .blank,
                .doc(["`\(m.protoName)` with the full request; `onResponse` reads the responses, their metadata and trailers."]),
                .braced("\(access)func \(m.swiftName)<Result: Sendable>(", [
                    .line("request: FerryRPC.StreamingClientRequest<\(m.request)>,"),
                    .line("options: FerryRPC.CallOptions = .defaults,"),
                    .line("onResponse: \(onResponse)"),
                ], footer: ") \(throwsClause) -> Result {"),
                .indented([.braced("try await rpcClient.bidirectionalStreaming(", [.line("request: request,")] + codecs + [.line("options: options,"), .line("onResponse: onResponse")], footer: ")")]),
                .line("}"),
            ]
        }
    }

    // MARK: - Server

    private func serviceProtocol(_ methods: [MethodModel], serviceName: String) -> SwiftNode {
        var requirements: [SwiftNode] = []
        for m in methods {
            let request = m.clientStreams ? "FerryRPC.StreamingServerRequest<\(m.request)>" : "FerryRPC.ServerRequest<\(m.request)>"
            let response = m.serverStreams ? "FerryRPC.StreamingServerResponse<\(m.response)>" : "FerryRPC.ServerResponse<\(m.response)>"
            if !requirements.isEmpty { requirements.append(.blank) }
            requirements.append(m.comment)
            requirements.append(.line("func \(m.swiftName)(_ request: \(request), context: FerryRPC.ServerContext) async throws -> \(response)"))
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
            let variant = switch (m.clientStreams, m.serverStreams) {
            case (false, false): "registerUnary"
            case (false, true): "registerServerStreaming"
            case (true, false): "registerClientStreaming"
            case (true, true): "registerBidirectionalStreaming"
            }
            calls.append(.braced("router.\(variant)(", [
                .line("\(namespace).Method.\(m.swiftName),"),
                .line("deserializer: FerryRPC.ProtobufDeserializer<\(m.request)>(),"),
                .line("serializer: FerryRPC.ProtobufSerializer<\(m.response)>()"),
            ], footer: ") { request, context in try await self.\(m.swiftName)(request, context: context) }"))
        }
        return .block("extension \(namespace).ServiceProtocol", [
            .doc(["Registers every method of the service."]),
            .block("\(context.access)func registerMethods(with router: inout FerryRPC.RPCRouter)", calls),
        ])
    }
}
