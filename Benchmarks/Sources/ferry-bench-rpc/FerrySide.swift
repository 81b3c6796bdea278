import FerryBench
import FerryHTTP2
import FerryRPC

/// The echo service with Ferry's server API, as generated code would register it.
struct FerryEchoService: RPCService {
    func registerMethods(with router: inout RPCRouter) {
        router.registerUnary(
            MethodDescriptor(service: EchoService.service, method: EchoService.unaryMethod),
            deserializer: ProtobufDeserializer<Benchpb_RpcRequest>(),
            serializer: ProtobufSerializer<Benchpb_RpcRequest>()
        ) { request, _ in
            ServerResponse(message: request.message)
        }
        router.registerServerStreaming(
            MethodDescriptor(service: EchoService.service, method: EchoService.streamMethod),
            deserializer: ProtobufDeserializer<Benchpb_RpcRequest>(),
            serializer: ProtobufSerializer<Benchpb_RpcRequest>()
        ) { request, _ in
            let template = request.message
            return StreamingServerResponse { writer in
                var message = template
                for index in 0..<template.requestId {
                    message.requestId = index
                    try await writer.write(message)
                }
                return [:]
            }
        }
    }
}

enum FerryBenchServer {
    static func run(
        port: Int,
        interceptors: [any ServerInterceptor] = [],
        handlerExecution: HandlerExecution = .globalExecutor
    ) async throws {
        let transport = HTTP2ServerTransport(
            configuration: .init(host: "127.0.0.1", port: port, handlerExecution: handlerExecution)
        )
        let server = RPCServer(transport: transport, services: [FerryEchoService()], interceptors: interceptors)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            let bound = try await transport.listeningPort()
            ServerProcess.announceReady(port: bound)
            try await group.next()
        }
    }
}

/// A Ferry client on one HTTP/2 connection.
final class FerryLoadClient: LoadClient {
    let client: RPCClient
    let runner: Task<Void, any Error>
    static let unary = MethodDescriptor(service: EchoService.service, method: EchoService.unaryMethod)
    static let stream = MethodDescriptor(service: EchoService.service, method: EchoService.streamMethod)

    private init(client: RPCClient) {
        self.client = client
        self.runner = Task { try await client.runConnections() }
    }

    static func connect(port: Int, interceptors: [any ClientInterceptor] = []) async throws -> any LoadClient {
        let client = FerryLoadClient(
            client: RPCClient(
                transport: HTTP2ClientTransport(host: "127.0.0.1", port: port),
                interceptors: interceptors
            )
        )
        try await client.unary(requestID: 1)
        return client
    }

    func unary(requestID: UInt64) async throws {
        var request = Benchpb_RpcRequest()
        request.requestId = requestID
        request.methodId = 1
        request.key = EchoService.key
        let response = try await client.unary(
            request: ClientRequest(message: request),
            descriptor: Self.unary,
            serializer: ProtobufSerializer<Benchpb_RpcRequest>(),
            deserializer: ProtobufDeserializer<Benchpb_RpcRequest>()
        )
        guard response.message.requestId == requestID else {
            throw EchoService.MismatchError(
                description: "echo of \(requestID) came back as \(response.message.requestId)"
            )
        }
    }

    func stream(count: Int) async throws -> Int {
        var request = Benchpb_RpcRequest()
        request.requestId = UInt64(count)
        request.methodId = 2
        request.key = EchoService.key
        return try await client.serverStreaming(
            request: ClientRequest(message: request),
            descriptor: Self.stream,
            serializer: ProtobufSerializer<Benchpb_RpcRequest>(),
            deserializer: ProtobufDeserializer<Benchpb_RpcRequest>()
        ) { response in
            var received = 0
            for try await message in response.messages where message.key.utf8.count == EchoService.key.utf8.count {
                received += 1
            }
            return received
        }
    }

    func close() async {
        client.beginGracefulShutdown()
        _ = await runner.result
    }
}
