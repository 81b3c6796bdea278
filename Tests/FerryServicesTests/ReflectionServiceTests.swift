import FerryCodec
import FerryHTTP2
import FerryRPC
import FerryServices
import ProcessTestSupport
import Testing

@Suite("Server reflection (grpc.reflection.v1 and v1alpha)")
struct ReflectionServiceTests {
    @Test(
        "grpcio's reflection client discovers TestService and calls UnaryCall from the returned descriptors",
        arguments: ["v1", "v1alpha"]
    )
    func grpcioDiscovery(_ version: String) async throws {
        try await withServicesServer { _, _, port in
            let (status, output) = try await servicesPeer(["reflection", "--port", String(port), "--version", version])
            #expect(status == 0, "\(output)")
            #expect(output.hasSuffix("PASS\n"), "\(output)")
        }
    }

    @Test("Unknown names get NOT_FOUND error responses; a file comes with its imports once per stream")
    func grpcioErrors() async throws {
        try await withServicesServer { _, _, port in
            let (status, output) = try await servicesPeer(["reflection-errors", "--port", String(port)])
            #expect(status == 0, "\(output)")
        }
    }

    /// Asks `requests` on one reflection stream of a Ferry client.
    static func ask(
        _ client: RPCClient,
        _ requests: [Grpc_Reflection_V1_ServerReflectionRequest.MessageRequest?]
    ) async throws
        -> [Grpc_Reflection_V1_ServerReflectionResponse.MessageResponse?]
    {
        let stub = Grpc_Reflection_V1_ServerReflection.Client(wrapping: client)
        return try await stub.serverReflectionInfo { writer, responses in
            var answers: [Grpc_Reflection_V1_ServerReflectionResponse.MessageResponse?] = []
            var iterator = responses.makeAsyncIterator()
            for request in requests {
                var message = Grpc_Reflection_V1_ServerReflectionRequest()
                message.host = "localhost"
                message.messageRequest = request
                try await writer.write(message)
                let response = try await iterator.next()
                #expect(response?.validHost == "localhost")
                #expect(response?.originalRequest == message)
                answers.append(response?.messageResponse)
            }
            await writer.finish()
            return answers
        }
    }

    static func fileNames(_ answer: Grpc_Reflection_V1_ServerReflectionResponse.MessageResponse?) throws -> [String] {
        guard case .fileDescriptorResponse(let files)? = answer else { return [] }
        return try files.fileDescriptorProto.map {
            try Google_Protobuf_FileDescriptorProto(serializedBytes: $0).name ?? ""
        }
    }

    @Test("Symbols of every kind, extensions at file and message scope, and extension numbers")
    func symbolsAndExtensions() async throws {
        try await withServicesServer(reflection: ReflectionService(files: [Ferry_Test_Reflected_ProtoFile.self])) {
            _,
            client,
            _ in
            let symbols = [
                "grpc.testing.TestService", "grpc.testing.TestService.UnaryCall", "grpc.testing.SimpleRequest",
                "grpc.testing.SimpleRequest.response_size", "grpc.testing.PayloadType", ".grpc.testing.Payload",
                "ferry.test.Extendable.Inner", "ferry.test.Extendable.Inner.Kind", "ferry.test.level",
                "ferry.test.Holder.tag",
                "ferry.test.Reflected.Get",
            ]
            let answers = try await Self.ask(client, symbols.map { .fileContainingSymbol($0) })
            for (symbol, answer) in zip(symbols, answers) {
                let expected =
                    symbol.hasPrefix("ferry.")
                    ? "ferry/test/reflected.proto"
                    : symbol.contains("TestService") ? "grpc/testing/test.proto" : "grpc/testing/messages.proto"
                #expect(try Self.fileNames(answer).first == expected, "\(symbol): \(String(describing: answer))")
            }

            var extensionRequest = Grpc_Reflection_V1_ExtensionRequest()
            extensionRequest.containingType = "ferry.test.Extendable"
            extensionRequest.extensionNumber = 150
            let more = try await Self.ask(
                client,
                [
                    .allExtensionNumbersOfType("ferry.test.Extendable"),
                    .fileContainingExtension(extensionRequest),
                    .allExtensionNumbersOfType("grpc.testing.Payload"),
                    .allExtensionNumbersOfType("no.such.Type"),
                    nil,
                ]
            )
            guard case .allExtensionNumbersResponse(let numbers)? = more[0] else {
                Issue.record("\(more[0] as Any)")
                return
            }
            #expect(numbers.baseTypeName == "ferry.test.Extendable")
            #expect(numbers.extensionNumber == [100, 150])
            #expect(try Self.fileNames(more[1]) == ["ferry/test/reflected.proto"])
            guard case .allExtensionNumbersResponse(let none)? = more[2] else {
                Issue.record("\(more[2] as Any)")
                return
            }
            #expect(none.extensionNumber.isEmpty)
            guard case .errorResponse(let unknown)? = more[3], case .errorResponse(let empty)? = more[4] else {
                Issue.record("\(more[3...] as Any)")
                return
            }
            #expect(unknown.errorCode == Int32(Status.Code.notFound.rawValue))
            #expect(empty.errorCode == Int32(Status.Code.invalidArgument.rawValue))
        }
    }

    @Test("list_services names exactly the services served; their files are the embedded descriptors, byte for byte")
    func listAndFiles() async throws {
        try await withServicesServer { _, client, _ in
            let answers = try await Self.ask(
                client,
                [.listServices(""), .fileByFilename("grpc/health/v1/health.proto")]
            )
            guard case .listServicesResponse(let list)? = answers[0] else {
                Issue.record("\(answers[0] as Any)")
                return
            }
            #expect(
                list.service.map(\.name) == [
                    "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
                    "grpc.reflection.v1alpha.ServerReflection",
                    "grpc.testing.TestService",
                ]
            )
            guard case .fileDescriptorResponse(let files)? = answers[1] else {
                Issue.record("\(answers[1] as Any)")
                return
            }
            #expect(files.fileDescriptorProto == [Grpc_Health_V1_Health_ProtoFile.descriptor.serializedBytes()])
        }
    }
}
