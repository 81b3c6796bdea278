import FerryCodegen
import Testing

/// The shape of generated services: descriptors, client stub, server protocol and registration.
@Suite struct ServiceSnippetTests {
    static let proto = """
        syntax = "proto3";
        package acme.v1;

        message Ping { string text = 1; }

        // Answers pings.
        service Echo {
          // Says it back.
          rpc Say(Ping) returns (Ping);
          rpc Listen(Ping) returns (stream Ping);
          rpc Gather(stream Ping) returns (Ping);
          rpc Chat(stream Ping) returns (stream Ping);
          rpc All(Ping) returns (Ping);
          rpc Import(Ping) returns (Ping);
        }
        """

    func expect(_ generated: String, contains snippet: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            generated.contains(snippet),
            "missing:\n\(snippet)\n--- in:\n\(generated)",
            sourceLocation: sourceLocation
        )
    }

    @Test("a file with services imports FerryRPC; Services=false leaves services out")
    func imports() async throws {
        let code = try await Protoc.generate(Self.proto)
        #expect(code.contains("public import FerryCodec\npublic import FerryRPC\n"))
        let withoutServices = try await Protoc.generate(
            Self.proto,
            options: try GeneratorOptions(parameter: "Services=false")
        )
        #expect(!withoutServices.contains("FerryRPC"))
        #expect(!withoutServices.contains("enum Acme_V1_Echo"))
        let noServiceFile = try await Protoc.generate("syntax = \"proto3\"; message M {}")
        #expect(!noServiceFile.contains("FerryRPC"))
    }

    @Test("method descriptors, with names that collide with generated members renamed and keywords escaped")
    func descriptors() async throws {
        let code = try await Protoc.generate(Self.proto)
        expect(
            code,
            contains: """
                /// Answers pings.
                /// Descriptors, client stub and server protocol of `acme.v1.Echo`.
                public enum Acme_V1_Echo {
                    /** The service's full name, as request paths spell it. */ public static let name = "acme.v1.Echo"
                """
        )
        expect(
            code,
            contains: """
                        public static let say = FerryRPC.MethodDescriptor(service: "acme.v1.Echo", method: "Say")
                """
        )
        expect(
            code,
            contains: """
                        public static let all_ = FerryRPC.MethodDescriptor(service: "acme.v1.Echo", method: "All")
                """
        )
        expect(
            code,
            contains: """
                public static let all: [FerryRPC.MethodDescriptor] = [say, listen, gather, chat, all_, `import`]
                """
        )
    }

    @Test("a client protocol requires the full forms; Client implements it; an extension adds the short forms")
    func client() async throws {
        let code = try await Protoc.generate(Self.proto)
        expect(
            code,
            contains: """
                    public protocol ClientProtocol: Sendable {
                        func say(request: FerryRPC.ClientRequest<Acme_V1_Ping>, options: FerryRPC.CallOptions) async \
                throws(FerryRPC.RPCError) -> FerryRPC.ClientResponse<Acme_V1_Ping>
                """
        )
        // Client gives `options` its default; serializers follow from the message types.
        expect(
            code,
            contains: """
                        public func listen<Result: Sendable>(request: FerryRPC.ClientRequest<Acme_V1_Ping>, options: \
                FerryRPC.CallOptions = .defaults, onResponse: @escaping @Sendable \
                (FerryRPC.StreamingClientResponse<Acme_V1_Ping>) async throws -> Result) async throws(FerryRPC.RPCError) \
                -> Result { try await rpcClient.serverStreaming(request: request, descriptor: Method.listen, options: \
                options, onResponse: onResponse) }
                """
        )
        expect(
            code,
            contains: """
                extension Acme_V1_Echo.ClientProtocol {
                    /// Says it back.
                    public func say(_ message: Acme_V1_Ping, metadata: FerryRPC.Metadata = [:], options: \
                FerryRPC.CallOptions = .defaults) async throws(FerryRPC.RPCError) -> Acme_V1_Ping { try await \
                say(request: FerryRPC.ClientRequest(message: message, metadata: metadata), options: options).message }
                """
        )
        expect(
            code,
            contains: """
                -> FerryRPC.RPCAsyncSequence<Acme_V1_Ping> { FerryRPC.RPCAsyncSequence(responsesOf: { try await \
                self.listen(request: FerryRPC.ClientRequest(message: message, metadata: metadata), options: options, \
                onResponse: $0) }) }
                """
        )
        expect(
            code,
            contains: "requestProducer: @escaping @Sendable (FerryRPC.RPCWriter<Acme_V1_Ping>) async throws -> Void"
        )
        expect(
            code,
            contains:
                """
                body: @escaping @Sendable (FerryRPC.ClosableRPCWriter<Acme_V1_Ping>, \
                FerryRPC.RPCAsyncSequence<Acme_V1_Ping>) async throws -> Result
                """
        )
        expect(
            code,
            contains:
                """
                try await FerryRPC.RPCClient.bridgeBidirectional(metadata: metadata, body: body) \
                { try await self.chat(request: $0, options: options, onResponse: $1) }
                """
        )
    }

    @Test("the server protocol takes the request shape of each kind and registers every method")
    func server() async throws {
        let code = try await Protoc.generate(Self.proto)
        expect(
            code,
            contains: """
                        func say(_ request: FerryRPC.ServerRequest<Acme_V1_Ping>, context: FerryRPC.ServerContext) \
                async throws -> FerryRPC.ServerResponse<Acme_V1_Ping>
                """
        )
        expect(
            code,
            contains: """
                        func chat(_ request: FerryRPC.StreamingServerRequest<Acme_V1_Ping>, context: \
                FerryRPC.ServerContext) async throws -> FerryRPC.StreamingServerResponse<Acme_V1_Ping>
                """
        )
        expect(
            code,
            contains: """
                extension Acme_V1_Echo.ServiceProtocol {
                    /// Registers every method of the service.
                    public func registerMethods(with router: inout FerryRPC.RPCRouter) {
                        router.describe(service: Acme_V1_Echo.name, file: Test_ProtoFile.self)
                        router.registerUnary(Acme_V1_Echo.Method.say) { try await self.say($0, context: $1) }
                """
        )
        for variant in ["registerServerStreaming", "registerClientStreaming", "registerBidirectionalStreaming"] {
            #expect(code.contains("router.\(variant)(Acme_V1_Echo.Method."))
        }
    }
}
