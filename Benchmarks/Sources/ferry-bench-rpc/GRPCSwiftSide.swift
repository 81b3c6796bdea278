import GRPCCore
import GRPCNIOTransportHTTP2Posix
import SwiftProtobuf
import SwiftProtobufBench

/// Lets SwiftProtobuf write into and read from grpc-swift's byte containers without a copy (what
/// grpc-swift-protobuf's coders do).
struct ContiguousBytesAdapter<Bytes: GRPCContiguousBytes>: SwiftProtobufContiguousBytes {
    var bytes: Bytes

    init(_ bytes: Bytes) { self.bytes = bytes }
    init(repeating byte: UInt8, count: Int) { self.bytes = Bytes(repeating: byte, count: count) }
    init<S: Sequence>(_ sequence: S) where S.Element == UInt8 { self.bytes = Bytes(sequence) }
    var count: Int { bytes.count }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeMutableBytes(body)
    }
}

struct SwiftProtobufSerializer<Message: SwiftProtobuf.Message>: GRPCCore.MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: Message) throws -> Bytes {
        let adapter: ContiguousBytesAdapter<Bytes> = try message.serializedBytes()
        return adapter.bytes
    }
}

struct SwiftProtobufDeserializer<Message: SwiftProtobuf.Message>: GRPCCore.MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> Message {
        try Message(serializedBytes: ContiguousBytesAdapter(serializedMessageBytes))
    }
}

/// The echo service with grpc-swift-2's server API, as its generated code would register it.
struct GRPCSwiftEchoService: RegistrableRPCService {
    static let unary = MethodDescriptor(fullyQualifiedService: EchoService.service, method: EchoService.unaryMethod)
    static let stream = MethodDescriptor(fullyQualifiedService: EchoService.service, method: EchoService.streamMethod)

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: Self.unary,
            deserializer: SwiftProtobufDeserializer<Benchpb_RpcRequest>(),
            serializer: SwiftProtobufSerializer<Benchpb_RpcRequest>()
        ) { request, _ in
            let single = try await ServerRequest(stream: request)
            return StreamingServerResponse(single: ServerResponse(message: single.message))
        }
        router.registerHandler(
            forMethod: Self.stream,
            deserializer: SwiftProtobufDeserializer<Benchpb_RpcRequest>(),
            serializer: SwiftProtobufSerializer<Benchpb_RpcRequest>()
        ) { request, _ in
            let single = try await ServerRequest(stream: request)
            let template = single.message
            return StreamingServerResponse { writer in
                var message = template
                for index in 0..<template.requestID {
                    message.requestID = index
                    try await writer.write(message)
                }
                return [:]
            }
        }
    }
}

enum GRPCSwiftBenchServer {
    static func run(port: Int) async throws {
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: "127.0.0.1", port: port),
            transportSecurity: .plaintext
        )
        let server = GRPCServer(transport: transport, services: [GRPCSwiftEchoService()])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            guard let address = try await transport.listeningAddress.ipv4 else {
                throw EchoService.MismatchError(description: "grpc-swift bound no IPv4 address")
            }
            ServerProcess.announceReady(port: address.port)
            try await group.next()
        }
    }
}

/// A grpc-swift-2 client on one HTTP/2 connection.
final class GRPCSwiftLoadClient: LoadClient {
    let client: GRPCClient<HTTP2ClientTransport.Posix>
    let runner: Task<Void, any Error>

    private init(client: GRPCClient<HTTP2ClientTransport.Posix>) {
        self.client = client
        self.runner = Task { try await client.runConnections() }
    }

    static func connect(port: Int) async throws -> any LoadClient {
        let transport = try HTTP2ClientTransport.Posix(
            target: .ipv4(address: "127.0.0.1", port: port),
            transportSecurity: .plaintext
        )
        let client = GRPCSwiftLoadClient(client: GRPCClient(transport: transport))
        try await client.unary(requestID: 1)
        return client
    }

    func unary(requestID: UInt64) async throws {
        var request = Benchpb_RpcRequest()
        request.requestID = requestID
        request.methodID = 1
        request.key = EchoService.key
        let echoed = try await client.unary(
            request: ClientRequest(message: request),
            descriptor: GRPCSwiftEchoService.unary,
            serializer: SwiftProtobufSerializer<Benchpb_RpcRequest>(),
            deserializer: SwiftProtobufDeserializer<Benchpb_RpcRequest>(),
            options: .defaults
        ) { response in try response.message.requestID }
        guard echoed == requestID else {
            throw EchoService.MismatchError(description: "echo of \(requestID) came back as \(echoed)")
        }
    }

    func stream(count: Int) async throws -> Int {
        var request = Benchpb_RpcRequest()
        request.requestID = UInt64(count)
        request.methodID = 2
        request.key = EchoService.key
        return try await client.serverStreaming(
            request: ClientRequest(message: request),
            descriptor: GRPCSwiftEchoService.stream,
            serializer: SwiftProtobufSerializer<Benchpb_RpcRequest>(),
            deserializer: SwiftProtobufDeserializer<Benchpb_RpcRequest>(),
            options: .defaults
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
